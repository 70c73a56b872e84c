// Renewal approaching (60-90 days): the weakest trigger alone (seed 002: calendar outreach converts 8 %).
import { nextRenewal } from '../state/billing-period.ts';
import { DAY_MS, isoDay, dayOf } from '../state/time.ts';
import type { Detector } from './types.ts';

export const renewalWindow: Detector = {
  id: 'renewal_window',
  kind: 'positive',
  detect(ctx) {
    const cfg = ctx.settings.signals.renewalWindow;
    const at = nextRenewal(ctx.state, ctx.now);
    if (at === null) return null;
    const days = Math.floor((at - ctx.now) / DAY_MS);
    if (days < cfg.minDays || days > cfg.maxDays) return null;
    return {
      id: 'renewal_window', kind: 'positive', strength: 1,
      evidence: { daysToRenewal: days, renewalDate: isoDay(dayOf(at)), sentence: `renews in ${days} days (${isoDay(dayOf(at))})` },
    };
  },
};
