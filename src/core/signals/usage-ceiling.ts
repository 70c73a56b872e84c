// Usage ceiling (seed 002 §3.1): a meter at 70 / 80 / 90 % of its limit, sustained, trending up, not a spike.
import { clamp01, num, pct, plural, round2, type Detector, type Signal } from './types.ts';
import type { MeterView } from './meter-view.ts';

export function ceilingStrength(v: MeterView, cfg: { levels: [number, number, number]; sustainedDays: number }): number {
  const [l70, l80, l90] = cfg.levels;
  if (v.util < l70) return 0;
  // held at the limit for a week or more: the product throttles and the account is turned away daily
  if (v.daysAtLimit >= cfg.sustainedDays && !v.spike) return 1;
  let s = v.util >= 1 ? 0.85 : v.util >= l90 ? 0.7 : v.util >= l80 ? 0.5 : 0.3;
  if (v.sustainedDays >= cfg.sustainedDays) s += 0.15;
  if (v.trend > 0) s += 0.05;
  if (v.spike) s *= 0.5; // one day's burst is not a habit
  return clamp01(s);
}

export const usageCeiling: Detector = {
  id: 'usage_ceiling',
  kind: 'positive',
  detect(ctx) {
    const cfg = ctx.settings.signals.usageCeiling;
    let best: MeterView | undefined;
    let bestS = 0;
    for (const v of ctx.meters) {
      const s = ceilingStrength(v, cfg);
      if (s > bestS) { bestS = s; best = v; }
    }
    if (!best) return null;
    const v = best;
    const level = [...cfg.levels].reverse().find((l) => v.util >= l) ?? cfg.levels[0];
    const parts = [`${v.name} at ${pct(v.util)} of the ${num(v.limit)} limit`];
    if (v.daysAtLimit >= cfg.sustainedDays) parts.push(`held at the limit for ${plural(v.daysAtLimit, 'day')}`);
    else if (v.sustainedDays > 0) parts.push(`at or above ${pct(cfg.sustainedLevel)} for ${plural(v.sustainedDays, 'day')}`);
    if (v.spike) parts.push('a one-day spike');
    else if (v.trend > 0) parts.push('trending up');
    if (v.daysTo100 !== null && v.daysTo100 > 0) parts.push(`100% in about ${plural(v.daysTo100, 'day')}`);
    if (v.over > 0) parts.push(`over the limit ${plural(v.over, 'time')} this ${v.reset === 'day' ? 'day' : 'month'}`);
    const signal: Signal = {
      id: 'usage_ceiling', kind: 'positive', strength: round2(bestS),
      evidence: {
        meter: v.id, utilization: round2(v.util), level, limit: v.limit, current: round2(v.current),
        sustainedDays: v.sustainedDays, daysAtLimit: v.daysAtLimit, trendPerDay: round2(v.trend), spike: v.spike, daysTo100: v.daysTo100, overThisPeriod: v.over,
        sentence: parts.join('; '),
      },
    };
    return signal;
  },
};
