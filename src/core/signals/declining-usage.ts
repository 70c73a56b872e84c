// Declining usage (negative): activity of the last two full weeks against the two before,
// silence for a month, or a recent downgrade.
import { dayOf, weekOfDay } from '../state/time.ts';
import { WEEKS } from '../state/week-counter.ts';
import { clamp01, pct, round2, type Detector } from './types.ts';

const DOWNGRADE_DAYS = 90;

export const decliningUsage: Detector = {
  id: 'declining_usage',
  kind: 'negative',
  detect(ctx) {
    const cfg = ctx.settings.signals.decliningUsage;
    const s = ctx.state;
    if (s.events === 0) return null;
    const idle = ctx.today - dayOf(s.lastTs);
    if (idle >= cfg.inactiveDays) {
      return { id: 'declining_usage', kind: 'negative', strength: 1, evidence: { idleDays: idle, drop: 1, sentence: `no activity for ${idle} days` } };
    }
    const c = s.activity;
    const w = weekOfDay(ctx.today);
    const at = (x: number): number => (x <= c.w && x > c.w - WEEKS ? (c.b[x % WEEKS] ?? 0) : 0);
    // the current (partial) week and the one before, scaled to 14 days, against the two weeks before
    const elapsed = 7 + (ctx.today - (w * 7 - 3)) + 1;
    const recent = Math.round(((at(w) + at(w - 1)) * 14) / elapsed);
    const prior = at(w - 2) + at(w - 3);
    if (s.planChange === -1 && ctx.today - dayOf(s.planChangeTs) <= DOWNGRADE_DAYS) {
      const days = ctx.today - dayOf(s.planChangeTs);
      return { id: 'declining_usage', kind: 'negative', strength: 0.6, evidence: { downgradedFrom: s.prevPlan, daysAgo: days, recent, prior, sentence: `downgraded from ${s.prevPlan} ${days} days ago` } };
    }
    if (prior < cfg.minBaseline) return null;
    const drop = 1 - recent / prior;
    if (drop < cfg.drop) return null;
    return {
      id: 'declining_usage', kind: 'negative', strength: round2(clamp01(drop)),
      evidence: { recent, prior, drop: round2(drop), sentence: `activity down ${pct(drop)} (${recent} events in the last two weeks, ${prior} in the two before)` },
    };
  },
};
