// Credit per closed deal (seed 002's compensation models): shared credit splits the ARR between the
// CSM and the AE who worked it; CSM-only and AE-only give one side all of it; overlay gives the AE full
// quota credit and the CSM a pipeline bonus (comp.ts). A deal can carry its own split, set at close.
import { ownersOf } from '../metrics/attribution.ts';
import type { Opportunity } from '../playbooks/opportunity.ts';
import type { OwnerRole } from '../playbooks/types.ts';
import type { CreditShare, SalesSettings } from './types.ts';

/** n people share `cents` in integer parts that add up to it. */
export const parts = (cents: number, n: number): number[] => Array.from({ length: n }, (_, i) => Math.floor(cents / n) + (i < cents % n ? 1 : 0));

/** Whole-percent shares per person, from the model and the people who worked the deal. */
export function modelShares(o: Opportunity, comp: SalesSettings['comp']): { person: string; role: OwnerRole; pct: number }[] {
  const t = ownersOf(o);
  const side = (people: string[], role: OwnerRole, pct: number) => parts(Math.round(pct * 100), people.length).map((p, i) => ({ person: people[i] ?? '', role, pct: p / 100 }));
  const both = t.csm.length > 0 && t.ae.length > 0;
  switch (comp.model) {
    case 'csm_only': return side(t.csm, 'csm', 100);
    case 'ae_only': return side(t.ae, 'ae', 100);
    case 'overlay': return both ? [...side(t.csm, 'csm', 0), ...side(t.ae, 'ae', 100)] : [...side(t.csm, 'csm', 100), ...side(t.ae, 'ae', 100)];
    case 'shared': {
      if (!both) return [...side(t.csm, 'csm', 100), ...side(t.ae, 'ae', 100)];
      const csmPct = Math.round((comp.split.csm / (comp.split.csm + comp.split.ae)) * 100);
      return [...side(t.csm, 'csm', csmPct), ...side(t.ae, 'ae', 100 - csmPct)];
    }
  }
}

/** Shares in cents of the deal's ARR; the last person with a share takes the rounding, so they add up exactly. */
export function creditShares(shares: readonly { person: string; role: OwnerRole; pct: number }[], arrCents: number): CreditShare[] {
  const out = shares.map((s) => ({ ...s, arrCents: Math.floor((arrCents * s.pct) / 100) }));
  const total = shares.reduce((a, s) => a + s.pct, 0);
  const last = [...out].reverse().find((s) => s.pct > 0);
  if (last && total === 100) last.arrCents += arrCents - out.reduce((a, s) => a + s.arrCents, 0);
  return out;
}
