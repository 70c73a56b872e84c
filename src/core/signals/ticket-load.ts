// Ticket load on a large account that a better support level exists for (the offer engine's support
// need). It lets a support play act on the load alone; it says nothing of growth, so it weighs 0 in
// the score, does not make an account ready, and is said only in a support pitch.
import { ticketLoad as loadOf } from '../offers/needs.ts';
import { plural, type Detector } from './types.ts';

export const ticketLoad: Detector = {
  id: 'ticket_load',
  kind: 'positive',
  detect(ctx) {
    const load = loadOf(ctx.state, ctx.catalog, ctx.plan, ctx.settings.offers);
    if (!load) return null;
    const severe = load.severe > 0 ? `, ${load.severe} high or critical` : '';
    return {
      id: 'ticket_load', kind: 'positive', strength: 1,
      evidence: { open: load.open, severe: load.severe, segment: load.segment, sentence: `${plural(load.open, 'open support ticket')}${severe} on ${load.segment === 'enterprise' ? 'an enterprise' : 'a mid-market'} account` },
    };
  },
};
