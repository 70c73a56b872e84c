// One team model (docs/adr/0011-one-clock.md, "Owners"): an account's owner is its open
// opportunity's owner, else its `csm` trait, else its `ae` trait; those are ids of the config's
// `team:` (a member's name is accepted too, as the scheduler's assignment accepts it). An owner the
// team does not know is shown as such, never silently dropped: the CLI, the HTTP API and the
// dashboard all read owners through this one function.
import type { AccountTraits } from '../core/events/types.ts';
import type { Opportunity } from '../core/playbooks/opportunity.ts';
import type { OwnerRole, TeamMember } from '../core/playbooks/types.ts';

export interface OwnerView {
  /** the team member's id, or the raw value when the team does not know it */
  id: string;
  /** the member's name, or the raw value */
  name: string;
  role: OwnerRole | null;
  /** false: the data names someone who is not in the config's `team:` */
  known: boolean;
  /** where the owner comes from */
  source: 'opportunity' | 'csm' | 'ae';
}

export function resolveOwner(traits: AccountTraits | undefined, opp: Opportunity | undefined, members: readonly TeamMember[]): OwnerView | null {
  const candidates: [OwnerView['source'], unknown][] = [['opportunity', opp?.owner], ['csm', traits?.csm], ['ae', traits?.ae]];
  for (const [source, raw] of candidates) {
    if (typeof raw !== 'string' || raw === '') continue;
    const m = members.find((x) => x.id === raw) ?? members.find((x) => x.name === raw);
    if (m) return { id: m.id, name: m.name, role: m.role, known: true, source };
    return { id: raw, name: raw, role: source === 'opportunity' ? (opp?.ownerRole ?? null) : source, known: false, source };
  }
  return null;
}

/**
 * The open opportunity that speaks for an account's owner when it has several (typed offers can
 * open one per offer kind): the oldest, then by id, whatever order a store lists them in.
 */
export function ownerOpportunity(list: readonly Opportunity[]): Opportunity | undefined {
  let best: Opportunity | undefined;
  for (const o of list) {
    if (o.status !== 'open') continue;
    if (!best || o.openedAt < best.openedAt || (o.openedAt === best.openedAt && o.id < best.id)) best = o;
  }
  return best;
}

/** ownerOpportunity for every account in one list. */
export function ownerOpportunities(list: readonly Opportunity[]): Map<string, Opportunity> {
  const m = new Map<string, Opportunity>();
  for (const o of list) {
    const best = m.get(o.account);
    if (ownerOpportunity(best ? [best, o] : [o]) === o) m.set(o.account, o);
  }
  return m;
}

/** "Dana Reyes (dana)", "csm-ana (not in team)", or "-" without an owner. */
export function ownerLabel(o: OwnerView | null): string {
  if (!o) return '-';
  if (!o.known) return `${o.id} (not in team)`;
  return o.name === o.id ? o.id : `${o.name} (${o.id})`;
}
