// Feature-gate encounters (seed 002 §3.2): paywall hits in a window and how many users met them.
import { sumWeeks } from '../state/week-counter.ts';
import { countSince } from '../state/users.ts';
import { clamp01, plural, round2, type Detector } from './types.ts';

export const featureGate: Detector = {
  id: 'feature_gate',
  kind: 'positive',
  detect(ctx) {
    const cfg = ctx.settings.signals.featureGate;
    const from = ctx.today - cfg.windowDays + 1;
    let hits = 0;
    let users = 0;
    let top = '';
    let topHits = 0;
    let features = 0;
    for (const f in ctx.state.gates) {
      const g = ctx.state.gates[f]!;
      const h = sumWeeks(g.c, ctx.today, cfg.windowDays);
      if (h === 0) continue;
      // a gate the account has since opened (a tier or an add-on bought) is no longer a need
      if (ctx.plan?.features.includes(f)) continue;
      features++;
      hits += h;
      const u = countSince(g.u, from);
      if (u > users) users = u;
      if (h > topHits) { topHits = h; top = f; }
    }
    if (hits < cfg.minHits) return null;
    // several users of one account meeting the wall is the strong form (seed 002)
    const strength = clamp01(0.5 * Math.min(1, hits / cfg.strongHits) + 0.5 * Math.min(1, users / cfg.strongUsers));
    const name = ctx.catalog.features.find((x) => x.id === top)?.name ?? top;
    const who = users > 0 ? `${plural(users, 'user')} hit` : 'the account hit';
    const more = features > 1 ? ` (${plural(features, 'gated feature')} in all, ${plural(hits, 'hit')})` : '';
    return {
      id: 'feature_gate', kind: 'positive', strength: round2(strength),
      evidence: { hits, distinctUsers: users, features, topFeature: top, topFeatureHits: topHits, windowDays: cfg.windowDays,
        sentence: `${who} the ${name} paywall ${plural(topHits, 'time')} in the last ${cfg.windowDays} days${more}` },
    };
  },
};
