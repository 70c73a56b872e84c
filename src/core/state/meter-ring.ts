// One meter's daily ring: counters add into the day's slot, gauges carry their level forward.
import { RING_DAYS, type MeterState } from './types.ts';

export function newMeter(gauge: boolean, day: number): MeterState {
  return { gauge, derived: false, first: day, last: day, ring: new Array<number>(RING_DAYS).fill(0), level: 0, levelTs: 0, period: -1, over: 0, periodSum: 0 };
}

/** Moves the newest day forward, zeroing counters' skipped days and carrying gauges' level. */
export function advance(m: MeterState, day: number): void {
  if (day <= m.last) return;
  const fill = m.gauge ? m.level : 0;
  for (let d = Math.max(m.last + 1, day - RING_DAYS + 1); d <= day; d++) m.ring[d % RING_DAYS] = fill;
  m.last = day;
}

/** The meter's value on a day: past the newest day counters read 0 and gauges their last level. */
export function dayValue(m: MeterState, day: number): number {
  if (day > m.last) return m.gauge ? m.level : 0;
  if (day < m.first || day <= m.last - RING_DAYS) return 0;
  return m.ring[day % RING_DAYS] ?? 0;
}

/** Sum of a counter over [from, to] (inclusive days). */
export function sumDays(m: MeterState, from: number, to: number): number {
  let s = 0;
  const lo = Math.max(from, m.first, m.last - RING_DAYS + 1);
  const hi = Math.min(to, m.last);
  for (let d = lo; d <= hi; d++) s += m.ring[d % RING_DAYS] ?? 0;
  return s;
}
