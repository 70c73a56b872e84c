// An offer declined recently (negative, disqualifying during the cooldown).
import { DAY_MS } from '../state/time.ts';
import type { Detector } from './types.ts';

export const offerDeclined: Detector = {
  id: 'offer_declined',
  kind: 'negative',
  detect(ctx) {
    const cfg = ctx.settings.signals.offerDeclined;
    const s = ctx.state;
    if (s.lastDeclineTs === 0 || s.lastDeclineTs < s.lastConvertTs) return null;
    const ago = Math.floor((ctx.now - s.lastDeclineTs) / DAY_MS);
    if (ago < 0 || ago >= cfg.cooldownDays) return null;
    return {
      id: 'offer_declined', kind: 'negative', strength: 1,
      evidence: { daysAgo: ago, cooldownDays: cfg.cooldownDays, declines: s.declines, sentence: `declined an upgrade offer ${ago} days ago (cooldown ${cfg.cooldownDays} days)` },
    };
  },
};
