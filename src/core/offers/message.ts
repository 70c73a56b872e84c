// The offer message, in the account's own numbers (seed 002: "show what they would get";
// no artificial urgency).
import { dollars } from '../format.ts';
import type { Signal } from '../signals/types.ts';
import type { OfferOption } from './options.ts';

export interface MessageInput {
  option: OfferOption;
  signals: readonly Signal[];
  prorated: number | null;
  roiMultiple: number | null;
  gained: string[];
}

function what(o: OfferOption, gained: readonly string[]): string {
  const adds = gained.length > 0 ? ` adds ${gained.slice(0, 3).join(', ')}${gained.length > 3 ? ` and ${gained.length - 3} more` : ''}` : '';
  const cost = `${dollars(o.price.monthly)} more a month`;
  switch (o.type) {
    case 'tier': return `${o.name}${adds}${adds ? ' and' : ''} raises your limits for ${cost}`;
    case 'term': {
      const t = o.term!;
      return `${o.name}: ${dollars(t.annual)} a year, ${dollars(t.committed)} over ${t.months} months${t.discountPct > 0 ? `, ${t.discountPct}% off your list price` : ''}`;
    }
    default: return `${o.name}${adds ? ` (${adds.trim()})` : ''} on your ${o.plan.name} plan for ${cost}`;
  }
}

/** The offer in the account's numbers, without the trial sentence (a playbook adds its own trial, or none). */
export function offerPitch(m: MessageInput): string {
  const why = m.signals.filter((s) => s.kind === 'positive' && (s.id !== 'renewal_window' || m.option.type === 'term') && (s.id !== 'ticket_load' || m.option.type === 'support'))
    .sort((a, b) => b.strength - a.strength).slice(0, 2).map((s) => s.evidence.sentence);
  const parts: string[] = [];
  if (why.length > 0) parts.push(`Your team: ${why.join('; ')}.`);
  const o = m.option;
  parts.push(`${what(o, m.gained)}${m.prorated !== null && o.type !== 'term' ? ` (${dollars(m.prorated)} prorated for the rest of this period)` : ''}.`);
  if (m.roiMultiple !== null && m.roiMultiple >= 1) parts.push(`At your team's size that is worth about ${m.roiMultiple}x its cost.`);
  return parts.join(' ');
}

/** The pitch, with the trial sentence when a trial of `days` is offered. */
export const withTrial = (pitch: string, days: number): string => (days > 0 ? `${pitch} Try it free for ${days} days; you can switch back at any time.` : pitch);
