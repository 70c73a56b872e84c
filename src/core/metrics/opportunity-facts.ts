// One pass over an opportunity and its surroundings, so every upsell figure counts the same way.
// The rules (docs/adr/0006-upsell-measurement.md): an offer is an opportunity whose history records Outreach
// Sent or a later open stage; a win counts as having passed every stage after the last one it recorded
// (the customer decided, whatever the pipeline recorded); a win without a recorded offer is organic.
import { OPP_STAGES, type Opportunity, type OppStage } from '../playbooks/opportunity.ts';
import type { Channel } from '../playbooks/types.ts';
import { SOURCE_NAMES } from '../sales/types.ts';
import type { Contact, SubscriptionChange } from './upsell-types.ts';

export const DAY_MS = 86_400_000;
const RANK = new Map<OppStage, number>(OPP_STAGES.map((s, i) => [s, i]));
export const rankOf = (s: OppStage): number => RANK.get(s) ?? 0;
export const OUTREACH_RANK = rankOf('outreach_sent');

export interface Realized {
  /** the subscription change that carried the upgrade, when one is found */
  change: SubscriptionChange | null;
  /** MRR added: from the subscription when found, else the opportunity's quoted delta */
  mrrDelta: number;
}

export interface OppFacts {
  opp: Opportunity;
  /** the highest open stage its history records (trigger_identified at least) */
  recordedRank: number;
  offered: boolean;
  won: boolean;
  lost: boolean;
  organicWin: boolean;
  /** the first playbook that raised it, and the signals that playbook listens to */
  playbook: string;
  signal: string;
  channels: Channel[];
  /** the channel of the last contact before it closed (last-touch credit) */
  lastChannel: Channel | null;
  realized: Realized | null;
}

/** Highest open stage recorded in the history at or before `at`. */
export function recordedRankAt(o: Opportunity, at: number): number {
  let r = 0;
  for (const h of o.history) {
    if (h.at > at || h.stage === undefined || h.stage === 'closed_won' || h.stage === 'closed_lost') continue;
    r = Math.max(r, rankOf(h.stage));
  }
  return r;
}

/** The label of the signals that fire a playbook: one id, several joined by "|", or "score" when it fires on the score alone. */
export function signalLabel(playbook: string, playbookSignals: Readonly<Record<string, readonly string[]>>): string {
  if (playbook in SOURCE_NAMES) return playbook; // raised by a person: csm_observation, qbr, inbound
  const s = playbookSignals[playbook];
  if (s === undefined) return playbook;
  return s.length === 0 ? 'score' : [...s].sort().join('|');
}

function realize(o: Opportunity, subs: readonly SubscriptionChange[] | undefined): Realized {
  // The scheduler dates a win at the plan change (or at the opening when the change came first), so
  // the upgrade is the last move off the opportunity's plan up to a day after the close.
  const limit = (o.closedAt ?? o.updatedAt) + DAY_MS;
  const list = subs ?? [];
  let found: Realized = { change: null, mrrDelta: o.monthlyDeltaCents };
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (s === undefined || s.at > limit) break;
    const p = i > 0 ? list[i - 1] : undefined;
    if (s.plan !== o.fromPlan && p?.plan === o.fromPlan) found = { change: s, mrrDelta: s.mrr - p.mrr };
  }
  return found;
}

export function factsOf(
  opportunities: readonly Opportunity[],
  contacts: readonly Contact[],
  subscriptions: readonly SubscriptionChange[],
  playbookSignals: Readonly<Record<string, readonly string[]>>,
): OppFacts[] {
  const byOpp = new Map<string, Contact[]>();
  for (const c of contacts) {
    const list = byOpp.get(c.opportunity);
    if (list) list.push(c); else byOpp.set(c.opportunity, [c]);
  }
  const subsByAccount = new Map<string, SubscriptionChange[]>();
  for (const s of [...subscriptions].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id))) {
    const list = subsByAccount.get(s.account);
    if (list) list.push(s); else subsByAccount.set(s.account, [s]);
  }
  return opportunities.map((o) => {
    const recordedRank = recordedRankAt(o, Number.POSITIVE_INFINITY);
    const won = o.status === 'won';
    const closedAt = o.closedAt ?? Number.POSITIVE_INFINITY;
    const mine = (byOpp.get(o.id) ?? []).filter((c) => c.at <= closedAt).sort((a, b) => a.at - b.at);
    const offered = recordedRank >= OUTREACH_RANK || mine.length > 0;
    const playbook = o.triggers[0] ?? 'unknown';
    return {
      opp: o, recordedRank, offered, won, lost: o.status === 'lost', organicWin: won && !offered, playbook,
      signal: signalLabel(playbook, playbookSignals),
      channels: [...new Set(mine.map((c) => c.channel))].sort(),
      lastChannel: mine.at(-1)?.channel ?? null,
      realized: won ? realize(o, subsByAccount.get(o.account)) : null,
    };
  });
}

export const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
