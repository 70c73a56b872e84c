// The account's timeline: the events that matter to a CSM (gates, tickets, team and integration
// changes, billing, NPS, plan changes, prompts) over the usage window, grouped per day so a
// hundred paywall hits read as one line with a count.
import type { Store } from '../app/ports.ts';
import type { TierwiseEvent } from '../core/events/types.ts';
import { money } from './format.ts';

export interface TimelineEntry { day: string; kind: 'positive' | 'negative' | 'neutral'; text: string; count: number }

const NOTABLE = ['gate', 'ticket', 'member', 'integration', 'invoice', 'nps', 'subscription', 'prompt'] as const;

function describe(e: TierwiseEvent, currency: string): { key: string; kind: TimelineEntry['kind']; text: string } | undefined {
  switch (e.type) {
    case 'gate': return { key: `gate:${e.feature}`, kind: 'positive', text: `met the paywall for ${e.feature}` };
    case 'ticket':
      if (e.status !== 'opened') return { key: `ticket-closed:${e.ticket}`, kind: 'neutral', text: `closed ticket ${e.ticket}` };
      return { key: `ticket:${e.ticket}`, kind: e.topic === 'feature_unavailable' ? 'positive' : e.severity === 'critical' ? 'negative' : 'neutral', text: `opened a ${e.severity} ticket about ${e.topic.replace(/_/g, ' ')}` };
    case 'member': return { key: `member:${e.action}`, kind: e.action === 'added' ? 'positive' : 'negative', text: `member ${e.action}` };
    case 'integration': return { key: `int:${e.name}:${e.action}`, kind: e.action === 'connected' ? 'positive' : 'negative', text: `${e.action} the ${e.name} integration` };
    case 'invoice': return { key: `inv:${e.invoice}:${e.status}`, kind: e.status === 'past_due' ? 'negative' : 'neutral', text: `invoice ${e.invoice} ${e.status.replace('_', ' ')} (${money(e.amount, currency)})` };
    case 'nps': return { key: `nps:${e.id}`, kind: e.score <= 6 ? 'negative' : e.score >= 9 ? 'positive' : 'neutral', text: `NPS ${e.score}` };
    case 'subscription': return { key: `sub:${e.id}`, kind: 'neutral', text: `subscription ${e.status} on ${e.plan} (${money(e.mrr, currency)}/mo, ${e.interval}ly)` };
    case 'prompt': return { key: `prompt:${e.prompt}:${e.action}`, kind: e.action === 'converted' ? 'positive' : 'neutral', text: `upgrade prompt ${e.prompt} ${e.action}` };
    default: return undefined;
  }
}

export async function timelineOf(store: Store, account: string, from: number, to: number, currency: string, max = 60): Promise<TimelineEntry[]> {
  const groups = new Map<string, TimelineEntry>();
  for await (const { event } of store.readEvents({ account, types: NOTABLE, from, to })) {
    const d = describe(event, currency);
    if (!d) continue;
    const day = new Date(event.ts).toISOString().slice(0, 10);
    const k = `${day}|${d.key}`;
    const g = groups.get(k);
    if (g) g.count++;
    else groups.set(k, { day, kind: d.kind, text: d.text, count: 1 });
  }
  return [...groups.values()].sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0)).slice(0, max);
}
