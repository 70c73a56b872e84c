// "Exceeded the limit N times this month": over-limit usage events in the current period. A product
// that throttles at the limit never sends usage above it, so a meter held at 100 % for days counts too.
import type { MeterView } from './meter-view.ts';
import { clamp01, num, plural, round2, type Detector } from './types.ts';

/** days at the limit that make the throttled form as strong as it gets */
const STRONG_DAYS_AT_LIMIT = 14;

export const limitExceeded: Detector = {
  id: 'limit_exceeded',
  kind: 'positive',
  detect(ctx) {
    const cfg = ctx.settings.signals.limitExceeded;
    let best: MeterView | undefined;
    let held: MeterView | undefined;
    for (const v of ctx.meters) {
      if (best === undefined || v.over > best.over) best = v;
      if (held === undefined || v.daysAtLimit > held.daysAtLimit) held = v;
    }
    const overStrength = best && best.over >= cfg.minTimes
      ? clamp01(0.5 + 0.5 * ((best.over - cfg.minTimes) / Math.max(1, cfg.strongTimes - cfg.minTimes))) : 0;
    const heldStrength = held && cfg.minDaysAtLimit > 0 && held.daysAtLimit >= cfg.minDaysAtLimit
      ? clamp01(0.5 + 0.5 * ((held.daysAtLimit - cfg.minDaysAtLimit) / Math.max(1, STRONG_DAYS_AT_LIMIT - cfg.minDaysAtLimit))) : 0;
    if (overStrength === 0 && heldStrength === 0) return null;
    if (best && overStrength >= heldStrength) {
      const period = best.reset === 'day' ? 'today' : 'this month';
      return {
        id: 'limit_exceeded', kind: 'positive', strength: round2(overStrength),
        evidence: { meter: best.id, times: best.over, daysAtLimit: best.daysAtLimit, limit: best.limit, period: best.reset === 'day' ? 'day' : 'month',
          sentence: `over the ${num(best.limit)} ${best.name} limit ${plural(best.over, 'time')} ${period}` },
      };
    }
    const v = held!;
    return {
      id: 'limit_exceeded', kind: 'positive', strength: round2(heldStrength),
      evidence: { meter: v.id, times: v.over, daysAtLimit: v.daysAtLimit, limit: v.limit, period: v.reset === 'day' ? 'day' : 'month',
        sentence: `held at the ${num(v.limit)} ${v.name} limit for ${plural(v.daysAtLimit, 'day')} (usage stops at the limit)` },
    };
  },
};
