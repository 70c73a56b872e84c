// The offer message, in the account's own numbers (seed 002: "show what they would get";
// no artificial urgency).
import type { Plan } from '../catalog/types.ts';
import { dollars } from '../format.ts';
import type { Signal } from '../signals/types.ts';

export interface MessageInput {
  target: Plan;
  signals: readonly Signal[];
  monthlyDelta: number;
  prorated: number | null;
  roiMultiple: number | null;
  gained: string[];
}

/** The offer in the account's numbers, without the trial sentence (a playbook adds its own trial, or none). */
export function offerPitch(m: MessageInput): string {
  const why = m.signals.filter((s) => s.kind === 'positive' && s.id !== 'renewal_window')
    .sort((a, b) => b.strength - a.strength).slice(0, 2).map((s) => s.evidence.sentence);
  const parts: string[] = [];
  if (why.length > 0) parts.push(`Your team: ${why.join('; ')}.`);
  const what = m.gained.length > 0 ? ` adds ${m.gained.slice(0, 3).join(', ')}${m.gained.length > 3 ? ` and ${m.gained.length - 3} more` : ''} and` : '';
  parts.push(`${m.target.name}${what} raises your limits for ${dollars(m.monthlyDelta)} more a month${m.prorated !== null ? ` (${dollars(m.prorated)} prorated for the rest of this period)` : ''}.`);
  if (m.roiMultiple !== null && m.roiMultiple >= 1) parts.push(`At your team's size that is worth about ${m.roiMultiple}x its cost.`);
  return parts.join(' ');
}

/** The pitch, with the trial sentence when a trial of `days` is offered. */
export const withTrial = (pitch: string, days: number): string => (days > 0 ? `${pitch} Try it free for ${days} days; you can switch back at any time.` : pitch);
