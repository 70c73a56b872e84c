// An invoice past due (negative, disqualifying): not in good standing.
import { dayOf, isoDay } from '../state/time.ts';
import { plural, type Detector } from './types.ts';

export const pastDue: Detector = {
  id: 'past_due',
  kind: 'negative',
  detect(ctx) {
    const s = ctx.state;
    const n = s.pastDue.length;
    if (n === 0 && s.status !== 'past_due') return null;
    const since = s.pastDueSince > 0 ? isoDay(dayOf(s.pastDueSince)) : null;
    const sentence = n > 0 ? `${plural(n, 'invoice')} past due${since ? ` since ${since}` : ''}` : 'the subscription is past due';
    return { id: 'past_due', kind: 'negative', strength: 1, evidence: { invoices: n, since, status: s.status, sentence } };
  },
};
