// Support asks for higher-tier capabilities: tickets with topic feature_unavailable (seed 004).
import { sumWeeks } from '../state/week-counter.ts';
import { clamp01, plural, round2, type Detector } from './types.ts';

export const featureRequest: Detector = {
  id: 'feature_request',
  kind: 'positive',
  detect(ctx) {
    const cfg = ctx.settings.signals.featureRequest;
    const asked = sumWeeks(ctx.state.featureAsks, ctx.today, cfg.windowDays);
    let open = 0;
    for (const k in ctx.state.openTickets) if (ctx.state.openTickets[k]![1] === 1) open++;
    const n = Math.max(asked, open);
    if (n === 0) return null;
    return {
      id: 'feature_request', kind: 'positive', strength: round2(clamp01(0.5 + 0.5 * Math.min(1, (n - 1) / Math.max(1, cfg.strongCount - 1)))),
      evidence: { tickets: asked, open, windowDays: cfg.windowDays,
        sentence: `${plural(asked, 'support ticket')} asking for features beyond the plan in the last ${cfg.windowDays} days${open ? ` (${open} open)` : ''}` },
    };
  },
};
