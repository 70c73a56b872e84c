// Premium-feature adoption: already uses most of the next tier's own features (a trial, a preview).
import { clamp01, round2, type Detector } from './types.ts';

export const premiumAdoption: Detector = {
  id: 'premium_adoption',
  kind: 'positive',
  detect(ctx) {
    const cfg = ctx.settings.signals.premiumAdoption;
    if (!ctx.nextPlan) return null;
    const have = new Set(ctx.plan?.features ?? []);
    const extra = ctx.nextPlan.features.filter((f) => !have.has(f));
    if (extra.length === 0) return null;
    const from = ctx.today - cfg.windowDays + 1;
    const used = extra.filter((f) => (ctx.state.features[f]?.last ?? -1) >= from);
    const share = used.length / extra.length;
    if (used.length === 0 || share < cfg.minShare) return null;
    const names = used.map((f) => ctx.catalog.features.find((x) => x.id === f)?.name ?? f);
    return {
      id: 'premium_adoption', kind: 'positive', strength: round2(clamp01(share)),
      evidence: { used: used.length, of: extra.length, share: round2(share), trial: ctx.state.status === 'trialing', features: used.join(','),
        sentence: `uses ${used.length} of ${extra.length} ${ctx.nextPlan.name}-only features (${names.join(', ')}) in the last ${cfg.windowDays} days` },
    };
  },
};
