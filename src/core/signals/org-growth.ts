// Organizational growth (seed 002 §3.4): members added, new integrations, seats outgrowing the plan.
import { sumWeeks } from '../state/week-counter.ts';
import { clamp01, plural, round2, type Detector } from './types.ts';

export const orgGrowth: Detector = {
  id: 'org_growth',
  kind: 'positive',
  detect(ctx) {
    const cfg = ctx.settings.signals.orgGrowth;
    const s = ctx.state;
    const added = sumWeeks(s.membersAdded, ctx.today, cfg.windowDays);
    const removed = sumWeeks(s.membersRemoved, ctx.today, cfg.windowDays);
    const integrations = sumWeeks(s.integrationsAdded, ctx.today, cfg.windowDays);
    const net = added - removed;
    if (net < cfg.minMembersAdded && integrations === 0) return null;
    const strength = clamp01(0.7 * Math.min(1, Math.max(0, net) / cfg.strongMembersAdded) + 0.3 * Math.min(1, integrations / cfg.strongIntegrations));
    if (strength === 0) return null;
    return {
      id: 'org_growth', kind: 'positive', strength: round2(strength),
      evidence: { membersAdded: added, membersRemoved: removed, integrationsConnected: integrations, members: s.members, windowDays: cfg.windowDays,
        sentence: `${plural(added, 'member')} added and ${plural(integrations, 'integration')} connected in the last ${cfg.windowDays} days; ${plural(s.members, 'member')} now` },
    };
  },
};
