// "Exceeded the limit N times this month": over-limit usage events in the current period.
import { clamp01, plural, round2, type Detector } from './types.ts';

export const limitExceeded: Detector = {
  id: 'limit_exceeded',
  kind: 'positive',
  detect(ctx) {
    const cfg = ctx.settings.signals.limitExceeded;
    let best = ctx.meters[0];
    for (const v of ctx.meters) if (best === undefined || v.over > best.over) best = v;
    if (!best || best.over < cfg.minTimes) return null;
    const span = Math.max(1, cfg.strongTimes - cfg.minTimes);
    const strength = clamp01(0.5 + 0.5 * ((best.over - cfg.minTimes) / span));
    const period = best.reset === 'day' ? 'today' : 'this month';
    return {
      id: 'limit_exceeded', kind: 'positive', strength: round2(strength),
      evidence: { meter: best.id, times: best.over, limit: best.limit, period: best.reset === 'day' ? 'day' : 'month',
        sentence: `over the ${best.limit.toLocaleString('en-US')} ${best.id} limit ${plural(best.over, 'time')} ${period}` },
    };
  },
};
