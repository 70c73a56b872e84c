// Members removed (negative): the team is shrinking.
import { sumWeeks } from '../state/week-counter.ts';
import { clamp01, plural, round2, type Detector } from './types.ts';

export const membersRemoved: Detector = {
  id: 'members_removed',
  kind: 'negative',
  detect(ctx) {
    const cfg = ctx.settings.signals.membersRemoved;
    const removed = sumWeeks(ctx.state.membersRemoved, ctx.today, cfg.windowDays);
    const added = sumWeeks(ctx.state.membersAdded, ctx.today, cfg.windowDays);
    if (removed < cfg.min || removed <= added) return null;
    const base = Math.max(1, ctx.state.members + removed);
    return {
      id: 'members_removed', kind: 'negative', strength: round2(clamp01(0.3 + (removed - added) / base)),
      evidence: { removed, added, members: ctx.state.members, windowDays: cfg.windowDays,
        sentence: `${plural(removed, 'member')} removed in the last ${cfg.windowDays} days (${added} added); ${plural(ctx.state.members, 'member')} now` },
    };
  },
};
