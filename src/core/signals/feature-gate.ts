// Feature-gate encounters (seed 002 §3.2): paywall hits in a window and how many users met them.
// People count more than clicks: one user clicking a paywall ten times is one person curious, three
// users each meeting it once is a team that needs it. Users who met a wall over the longer window
// (60-90 days) still count, at a discount, so a slow spread across a team is not lost.
import { sumWeeks } from '../state/week-counter.ts';
import { clamp01, plural, round2, type Detector } from './types.ts';

/** the share of strength from distinct users; the rest comes from hits */
const USER_WEIGHT = 0.75;
/** what a user seen only in the longer window counts for, against one seen inside the window */
const OLDER_USER = 0.6;

export const featureGate: Detector = {
  id: 'feature_gate',
  kind: 'positive',
  detect(ctx) {
    const cfg = ctx.settings.signals.featureGate;
    const from = ctx.today - cfg.windowDays + 1;
    const longFrom = ctx.today - Math.max(cfg.windowDays, cfg.longWindowDays) + 1;
    let hits = 0;
    let top = '';
    let topHits = 0;
    let features = 0;
    // distinct people across every gated feature, by hashed id: the same user on two walls is one user
    const recentUsers = new Set<number>();
    const olderUsers = new Set<number>();
    for (const f in ctx.state.gates) {
      const g = ctx.state.gates[f]!;
      const h = sumWeeks(g.c, ctx.today, cfg.windowDays);
      let seen = false;
      for (const [user, day] of g.u) {
        if (day >= from) { recentUsers.add(user); seen = true; } else if (day >= longFrom) { olderUsers.add(user); seen = true; }
      }
      if (h === 0 && !seen) continue;
      // a gate the account has since opened (a tier or an add-on bought) is no longer a need
      if (ctx.plan?.features.includes(f)) continue;
      features++;
      hits += h;
      if (h > topHits || (topHits === 0 && top === '')) { topHits = h; top = f; }
    }
    for (const u of recentUsers) olderUsers.delete(u);
    const users = recentUsers.size;
    const older = olderUsers.size;
    if (hits < cfg.minHits && users + older < 2) return null;
    const people = users + OLDER_USER * older;
    const strength = clamp01((1 - USER_WEIGHT) * Math.min(1, hits / cfg.strongHits) + USER_WEIGHT * Math.min(1, people / cfg.strongUsers));
    const name = ctx.catalog.features.find((x) => x.id === top)?.name ?? top;
    const longDays = Math.max(cfg.windowDays, cfg.longWindowDays);
    const lead = hits > 0
      ? `${users > 0 ? `${plural(users, 'user')} hit` : 'the account hit'} the ${name} paywall ${plural(topHits, 'time')} in the last ${cfg.windowDays} days`
      : `no paywall hits in the last ${cfg.windowDays} days`;
    const more = features > 1 && hits > 0 ? ` (${plural(features, 'gated feature')} in all, ${plural(hits, 'hit')})` : '';
    const spread = older > 0 ? `; ${plural(users + older, 'user')} met ${features > 1 ? 'paywalls' : `the ${name} paywall`} in the last ${longDays} days` : '';
    return {
      id: 'feature_gate', kind: 'positive', strength: round2(strength),
      evidence: { hits, distinctUsers: users, usersLongWindow: users + older, features, topFeature: top, topFeatureHits: topHits, windowDays: cfg.windowDays, longWindowDays: longDays,
        sentence: `${lead}${more}${spread}` },
    };
  },
};
