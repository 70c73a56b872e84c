// An open critical support ticket (negative, disqualifying): fix the problem before selling more.
import { plural, type Detector } from './types.ts';

export const criticalTicket: Detector = {
  id: 'critical_ticket',
  kind: 'negative',
  detect(ctx) {
    let critical = 0;
    let high = 0;
    for (const k in ctx.state.openTickets) {
      const sev = ctx.state.openTickets[k]![0];
      if (sev === 3) critical++;
      else if (sev === 2) high++;
    }
    if (critical === 0) return null;
    return { id: 'critical_ticket', kind: 'negative', strength: 1, evidence: { critical, high, sentence: `${plural(critical, 'critical support ticket')} open` } };
  },
};
