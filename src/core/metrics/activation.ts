// Post-upgrade activation (seed 002: watch time to first use of the features that drove the upgrade;
// intervene at day 14 if unused). An upsell is activated at N days when one of the features its tier
// added (the brief's gainedFeatures) was used within N days of the win. Upsells whose N days have not
// passed yet are left out of that horizon; upsells that added no feature (limits only) are counted apart.
import { DAY_MS, ratio, type OppFacts } from './opportunity-facts.ts';
import { distribution } from './stats.ts';
import type { Distribution, FeatureUse } from './upsell-types.ts';

export interface ActivationAt {
  days: number;
  /** upsells with gained features whose window has fully passed */
  eligible: number;
  activated: number;
  rate: number | null;
  /** gained features used / gained features offered, over the eligible upsells */
  featureDepth: number | null;
  /** eligible upsells with nothing used yet: the day-14 intervention list */
  unused: string[];
}

export interface Activation {
  upsells: number;
  limitsOnly: number;
  horizons: ActivationAt[];
  /** days from the win to the first use of a gained feature */
  timeToFirstUse: Distribution;
}

export function activation(facts: readonly OppFacts[], features: readonly FeatureUse[], horizons: readonly number[], now: number): Activation {
  const byAccount = new Map<string, FeatureUse[]>();
  for (const u of features) {
    const list = byAccount.get(u.account);
    if (list) list.push(u); else byAccount.set(u.account, [u]);
  }
  const ups = facts.filter((f) => f.won && f.opp.closedAt !== undefined);
  const withGain = ups.filter((f) => f.opp.brief.comparison.gainedFeatures.length > 0);
  // first use of each gained feature after the win, per upsell
  const firstUse = withGain.map((f) => {
    const won = f.opp.closedAt ?? 0;
    const gained = new Set(f.opp.brief.comparison.gainedFeatures);
    const first = new Map<string, number>();
    for (const u of byAccount.get(f.opp.account) ?? []) {
      if (!gained.has(u.feature) || u.at < won) continue;
      const prev = first.get(u.feature);
      if (prev === undefined || u.at < prev) first.set(u.feature, u.at);
    }
    return { f, won, gained: gained.size, first };
  });
  return {
    upsells: ups.length,
    limitsOnly: ups.length - withGain.length,
    horizons: [...horizons].sort((a, b) => a - b).map((days) => {
      const eligible = firstUse.filter((x) => x.won + days * DAY_MS <= now);
      let activated = 0; let used = 0; let offered = 0;
      const unused: string[] = [];
      for (const x of eligible) {
        const n = [...x.first.values()].filter((at) => at <= x.won + days * DAY_MS).length;
        used += n; offered += x.gained;
        if (n > 0) activated++; else unused.push(x.f.opp.id);
      }
      return { days, eligible: eligible.length, activated, rate: ratio(activated, eligible.length), featureDepth: ratio(used, offered), unused: unused.sort() };
    }),
    timeToFirstUse: distribution(firstUse.flatMap((x) => (x.first.size === 0 ? [] : [(Math.min(...x.first.values()) - x.won) / DAY_MS]))),
  };
}
