// A count per week over the last WEEKS weeks: windows of "last N days" are read at week resolution,
// which is enough for gate hits, member moves and ticket asks, and costs 8 numbers.
import { weekOfDay } from './time.ts';

export const WEEKS = 8;

export interface WeekCounter {
  /** the week of the newest bucket */
  w: number;
  /** b[w % WEEKS] */
  b: number[];
}

export const newWeekCounter = (): WeekCounter => ({ w: 0, b: new Array<number>(WEEKS).fill(0) });

export function addWeek(c: WeekCounter, day: number, n = 1): void {
  const w = weekOfDay(day);
  if (w > c.w) {
    // clear the buckets we skip over (at most WEEKS of them)
    for (let x = Math.max(c.w + 1, w - WEEKS + 1); x <= w; x++) c.b[x % WEEKS] = 0;
    c.w = w;
  } else if (w <= c.w - WEEKS) return; // too old to matter
  c.b[w % WEEKS] = (c.b[w % WEEKS] ?? 0) + n;
}

/** Sum of the weeks overlapping [day - days + 1, day]. */
export function sumWeeks(c: WeekCounter, day: number, days: number): number {
  const last = weekOfDay(day);
  const first = weekOfDay(day - days + 1);
  let s = 0;
  for (let w = Math.max(first, last - WEEKS + 1, c.w - WEEKS + 1); w <= Math.min(last, c.w); w++) s += c.b[w % WEEKS] ?? 0;
  return s;
}
