// Hand-off into the CRM (docs/crm.md): every opportunity routed to a CSM or an AE becomes a deal in
// HubSpot / an Opportunity in Salesforce, with a task for its owner and the brief. Nothing is sent
// from here: messages go through the outbox (retries, dead letters), keyed so that each state of a
// deal is enqueued once (INSERT OR IGNORE on the key) and each task once per owner. The transports
// upsert by the Tierwise opportunity id, so a redelivery changes nothing in the CRM.
import { createHash } from 'node:crypto';
import { OPP_STAGE_NAMES, type Opportunity, type OppStage } from '../core/playbooks/opportunity.ts';
import type { OutboxMessage, Store } from './ports.ts';

export type CrmSystem = 'hubspot' | 'salesforce';

export interface CrmDeal {
  kind: 'deal';
  opportunity: string;
  account: string;
  name: string;
  stage: OppStage;
  status: Opportunity['status'];
  /** the ARR delta, integer cents */
  amountCents: number;
  /** the Tierwise team member (mapped to a CRM user by the transport) */
  owner?: string;
  /** YYYY-MM-DD: the close date, or the expected one */
  closeDate: string;
  description: string;
}

export interface CrmActivity {
  kind: 'task' | 'note';
  opportunity: string;
  /** created once per key in the CRM (the transport checks before creating) */
  key: string;
  subject: string;
  body: string;
  owner?: string;
  /** epoch ms: the task's due time / the note's time */
  at: number;
}

export type CrmPayload = CrmDeal | CrmActivity;

const day = 86_400_000;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const hash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 32);
const money = (cents: number): string => `$${(cents / 100).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

/** The brief as text for a CRM note: evidence, ROI, what the target tier adds. */
export function briefText(o: Opportunity, accountName: string): string {
  const b = o.brief;
  const lines = [
    `${accountName}: ${b.comparison.from} -> ${o.targetName}, ${money(b.price.arrDeltaCents)} ARR (${money(b.price.monthlyDeltaCents)} a month)`,
    ...b.evidence.map((e) => `- ${e}`),
  ];
  if (b.roi.multiple !== null) lines.push(`ROI: ${b.roi.multiple}x (${money(b.roi.annualValueCents)} a year of value for ${money(b.roi.annualCostCents)})`);
  if (b.comparison.gainedFeatures.length > 0) lines.push(`Adds: ${b.comparison.gainedFeatures.join(', ')}`);
  for (const l of b.comparison.limits) lines.push(`${l.meter}: ${l.from ?? 'unlimited'} -> ${l.to ?? 'unlimited'} (uses ${l.observed})`);
  return lines.join('\n');
}

export function crmMessages(o: Opportunity, system: CrmSystem, accountName: string, closeInDays: number, now: number): OutboxMessage[] {
  const deal: CrmDeal = {
    kind: 'deal', opportunity: o.id, account: o.account, name: `${accountName}: upgrade to ${o.targetName}`,
    stage: o.stage, status: o.status, amountCents: o.arrDeltaCents, ...(o.owner !== undefined ? { owner: o.owner } : {}),
    closeDate: isoDay(o.closedAt ?? o.openedAt + closeInDays * day),
    description: `Raised by Tierwise (${o.triggers.join(', ')}); stage ${OPP_STAGE_NAMES[o.stage]}.`,
  };
  const msg = (key: string, payload: CrmPayload): OutboxMessage => ({
    key, channel: system, account: o.account, opportunity: o.id, payload: JSON.stringify(payload),
    status: 'pending', attempts: 0, nextAt: now, createdAt: now,
  });
  // A new state of the deal is a new message; the same state again is the same key (ignored).
  const out = [msg(`crm_${system}_deal_${hash(`${o.id}|${o.stage}|${o.status}|${o.arrDeltaCents}|${o.owner ?? ''}`)}`, deal)];
  if (o.status === 'open' && o.owner !== undefined) {
    const due = o.handoff && o.handoff.to === o.owner ? o.handoff.dueAt : now + 2 * day;
    const taskKey = `crm_${system}_task_${hash(`${o.id}|${o.owner}`)}`;
    out.push(msg(taskKey, {
      kind: 'task', opportunity: o.id, key: taskKey, subject: `Upsell ${accountName} to ${o.targetName} (${money(o.arrDeltaCents)} ARR)`,
      body: briefText(o, accountName), owner: o.owner, at: due,
    }));
    // HubSpot keeps the brief as a note on the deal; Salesforce's Task carries it in its Description.
    if (system === 'hubspot') {
      const noteKey = `crm_${system}_note_${hash(o.id)}`;
      out.push(msg(noteKey, { kind: 'note', opportunity: o.id, key: noteKey, subject: 'Tierwise brief', body: briefText(o, accountName), owner: o.owner, at: now }));
    }
  }
  return out;
}

/**
 * Enqueues the CRM messages of every opportunity routed to a CSM or AE that is open, or closed in the
 * last week (so the close reaches the CRM). Returns how many messages were offered (new or not).
 */
export async function enqueueCrmSync(store: Store, systems: { system: CrmSystem; closeInDays: number }[], now: number): Promise<number> {
  if (systems.length === 0) return 0;
  const opps = (await store.listOpportunities()).filter((o) => (o.ownerRole === 'csm' || o.ownerRole === 'ae') && (o.status === 'open' || (o.closedAt ?? 0) >= now - 7 * day));
  const enqueue: OutboxMessage[] = [];
  for (const o of opps) {
    const name = (await store.getAccount(o.account))?.traits.name ?? o.account;
    for (const s of systems) enqueue.push(...crmMessages(o, s.system, name, s.closeInDays, now));
  }
  if (enqueue.length > 0) await store.commitPlaybook({ enqueue });
  return enqueue.length;
}
