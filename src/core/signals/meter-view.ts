// What a meter looks like at `now` against the current plan: utilization, how long it has been
// high, its trend, whether the latest jump is a one-day spike, and days until it hits 100 %.
import { limitValue } from '../catalog/catalog.ts';
import type { Catalog, Plan, ResetPeriod } from '../catalog/types.ts';
import type { SignalSettings } from '../scoring/settings.ts';
import { dayValue, sumDays } from '../state/meter-ring.ts';
import { daysInMonthOfDay, monthKeyOfDay, monthStartDay } from '../state/time.ts';
import type { MeterState } from '../state/types.ts';

const SERIES = 30;
/** a meter within 1 % of its limit is at it */
const AT_LIMIT = 0.99;

export interface MeterView {
  id: string;
  name: string;
  reset: ResetPeriod;
  /** Infinity when unlimited or when the plan does not limit it */
  limit: number;
  /** gauges: level; month counters: the larger of period-to-date and the last 30 days; day counters: last 7 days' average */
  current: number;
  /** current / limit, 0 when unlimited */
  util: number;
  periodToDate: number;
  /** over-limit hits in the current period */
  over: number;
  /** consecutive days up to today at or above the sustained level */
  sustainedDays: number;
  /** consecutive days up to today at (or over) 100 % of the limit: a product that throttles holds here */
  daysAtLimit: number;
  /** least-squares slope of the daily series over the trend window, relative to its mean, per day */
  trend: number;
  /** today's value jumped past a level from well below (spikeFactor x the prior 7-day median) */
  spike: boolean;
  /** days until 100 % at the recent pace, null if not heading there; 0 when there already */
  daysTo100: number | null;
  /** the peak of the last 30 days, in the unit the limit is in (for the next-tier search) */
  peak: number;
}

// Scratch series reused by every call: rescoring a million accounts must not allocate per meter
// (a typed-array allocation costs more than the whole computation). Single-threaded, never escapes.
const RAW = new Float64Array(SERIES);
const LEVEL = new Float64Array(SERIES);
const PRIOR = new Float64Array(7);

/** Median of ys[from..to) (at most 7 values), by insertion sort into the scratch buffer. */
function median(ys: Float64Array, from: number, to: number): number {
  const n = to - from;
  if (n <= 0) return 0;
  for (let i = 0; i < n; i++) {
    const v = ys[from + i]!;
    let j = i - 1;
    while (j >= 0 && PRIOR[j]! > v) { PRIOR[j + 1] = PRIOR[j]!; j--; }
    PRIOR[j + 1] = v;
  }
  return n % 2 ? PRIOR[(n - 1) >> 1]! : (PRIOR[n / 2 - 1]! + PRIOR[n / 2]!) / 2;
}

function slope(ys: ArrayLike<number>, from: number, to: number): number {
  const n = to - from;
  if (n < 2) return 0;
  let sx = 0, sy = 0, sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) {
    const y = ys[from + i]!;
    sx += i; sy += y; sxy += i * y; sxx += i * i;
  }
  const den = n * sxx - sx * sx;
  return den === 0 ? 0 : (n * sxy - sx * sy) / den;
}

export function meterView(id: string, name: string, reset: ResetPeriod, m: MeterState | undefined, plan: Plan | undefined,
  today: number, cfg: SignalSettings['usageCeiling']): MeterView {
  const limit = plan ? limitValue(plan, id) : Number.POSITIVE_INFINITY;
  const finite = limit > 0 && Number.isFinite(limit);
  const base: MeterView = { id, name, reset, limit: finite ? limit : Number.POSITIVE_INFINITY, current: 0, util: 0, periodToDate: 0, over: 0, sustainedDays: 0, daysAtLimit: 0, trend: 0, spike: false, daysTo100: null, peak: 0 };
  if (!m) return base;
  // raw[i]: the day's value (gauge level or counter amount); level[i]: what is compared with the limit
  const raw = RAW;
  const level = LEVEL;
  const first = today - SERIES + 1;
  for (let i = 0; i < SERIES; i++) raw[i] = dayValue(m, first + i);
  if (reset === 'month') {
    let win = sumDays(m, first - SERIES, first - 1);
    for (let i = 0; i < SERIES; i++) {
      win += raw[i]! - dayValue(m, first + i - SERIES);
      level[i] = win;
    }
  } else level.set(raw);
  const periodStart = reset === 'month' ? monthStartDay(today) : today;
  base.periodToDate = reset === 'none' ? dayValue(m, today) : sumDays(m, periodStart, today);
  const samePeriod = m.period === (reset === 'day' ? today : monthKeyOfDay(today));
  base.over = samePeriod ? m.over : 0;
  let peak = 0;
  for (let i = 0; i < SERIES; i++) if (level[i]! > peak) peak = level[i]!;
  if (reset === 'month' && base.periodToDate > peak) peak = base.periodToDate;
  base.peak = peak;
  base.current = reset === 'month' ? Math.max(level[SERIES - 1]!, base.periodToDate)
    : reset === 'day' ? (raw[SERIES - 1]! + raw[SERIES - 2]! + raw[SERIES - 3]! + raw[SERIES - 4]! + raw[SERIES - 5]! + raw[SERIES - 6]! + raw[SERIES - 7]!) / 7
      : raw[SERIES - 1]!;
  const tw = Math.min(SERIES, Math.max(2, cfg.trendDays));
  let mean = 0;
  for (let i = SERIES - tw; i < SERIES; i++) mean += raw[i]!;
  mean /= tw;
  base.trend = mean > 0 ? slope(raw, SERIES - tw, SERIES) / mean : 0;
  if (!finite) return base;
  base.util = base.current / limit;
  let sustained = 0;
  for (let i = SERIES - 1; i >= 0 && level[i]! / limit >= cfg.sustainedLevel; i--) sustained++;
  base.sustainedDays = sustained;
  // within 1 % of the limit counts as at it: throttled usage stops a hair short of the exact number
  let atLimit = 0;
  for (let i = SERIES - 1; i >= 0 && (i === SERIES - 1 ? base.current : level[i]!) >= AT_LIMIT * limit; i--) atLimit++;
  base.daysAtLimit = atLimit;
  const prior = median(raw, SERIES - 8, SERIES - 1);
  const lowest = cfg.levels[0];
  base.spike = level[SERIES - 1]! / limit >= lowest && level[SERIES - 2]! / limit < lowest && raw[SERIES - 1]! > cfg.spikeFactor * Math.max(prior, 1e-9);
  if (base.current >= limit) base.daysTo100 = 0;
  else if (reset === 'month') {
    const rate = sumDays(m, today - 6, today) / 7;
    const daysLeft = daysInMonthOfDay(today) - (today - periodStart) - 1;
    const need = limit - base.periodToDate;
    // heading to the limit within this period, or on a 30-day pace above it
    if (rate > 0 && need / rate <= daysLeft) base.daysTo100 = Math.ceil(need / rate);
  } else if (reset === 'none') {
    const perDay = slope(raw, SERIES - tw, SERIES);
    if (perDay > 0) base.daysTo100 = Math.ceil((limit - base.current) / perDay);
  }
  return base;
}

/** A view of every meter the catalog declares (seats fall back to members when not sent). */
export function meterViews(catalog: Catalog, meters: Record<string, MeterState>, plan: Plan | undefined, today: number, cfg: SignalSettings['usageCeiling']): MeterView[] {
  const out: MeterView[] = [];
  for (const mt of catalog.meters) out.push(meterView(mt.id, mt.name, mt.reset, meters[mt.id], plan, today, cfg));
  return out;
}
