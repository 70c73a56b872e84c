// Conversion by trigger signal, channel, segment, route and playbook, and the credit split for
// compensation. Signal and playbook credit go to the first trigger (the one that opened the
// opportunity); channels count every channel that reached the offer (any-touch) and, apart, the
// last one before the win (last-touch), because a funnel of 3 touches has no single true answer.
import type { Opportunity } from '../playbooks/opportunity.ts';
import type { OppFacts } from './opportunity-facts.ts';
import { ratio } from './opportunity-facts.ts';
import { offerTypeOf } from './upsell-by-type.ts';
import type { Conversion, UpsellSettings } from './upsell-types.ts';

function groupBy(facts: readonly OppFacts[], keys: (f: OppFacts) => readonly string[]): Conversion[] {
  const m = new Map<string, { offers: number; upsells: number; mrr: number }>();
  for (const f of facts) {
    if (!f.offered) continue;
    for (const k of keys(f)) {
      const g = m.get(k) ?? { offers: 0, upsells: 0, mrr: 0 };
      g.offers++;
      if (f.won) { g.upsells++; g.mrr += f.realized?.mrrDelta ?? 0; }
      m.set(k, g);
    }
  }
  return [...m].map(([key, g]) => ({ key, offers: g.offers, upsells: g.upsells, conversion: ratio(g.upsells, g.offers), expansionMrr: g.mrr }))
    .sort((a, b) => b.offers - a.offers || a.key.localeCompare(b.key));
}

export interface LastTouch { channel: string; upsells: number; expansionMrr: number }

export interface Attribution {
  bySignal: Conversion[];
  byChannel: Conversion[];
  lastTouch: LastTouch[];
  bySegment: Conversion[];
  byRoute: Conversion[];
  byPlaybook: Conversion[];
  /** tier, seats, volume, addon, support, term, bundle */
  byOfferType: Conversion[];
}

export function attribution(facts: readonly OppFacts[]): Attribution {
  const last = new Map<string, LastTouch>();
  for (const f of facts) {
    if (!f.won || !f.offered) continue;
    const channel = f.lastChannel ?? 'none';
    const g = last.get(channel) ?? { channel, upsells: 0, expansionMrr: 0 };
    g.upsells++;
    g.expansionMrr += f.realized?.mrrDelta ?? 0;
    last.set(channel, g);
  }
  return {
    bySignal: groupBy(facts, (f) => [f.signal]),
    // an offer recorded in the history with no contact row (e.g. a prompt before touches were kept) is 'unrecorded'
    byChannel: groupBy(facts, (f) => (f.channels.length > 0 ? f.channels : ['unrecorded'])),
    lastTouch: [...last.values()].sort((a, b) => b.upsells - a.upsells || a.channel.localeCompare(b.channel)),
    bySegment: groupBy(facts, (f) => [f.opp.segment]),
    byRoute: groupBy(facts, (f) => [f.opp.route]),
    byPlaybook: groupBy(facts, (f) => [f.playbook]),
    byOfferType: groupBy(facts, (f) => [offerTypeOf(f)]),
  };
}

export interface Credit { person: string; role: 'csm' | 'ae'; upsells: number; shared: number; creditedArrCents: number }

export interface CreditSplit {
  split: UpsellSettings['creditSplit'];
  people: Credit[];
  /** won offers no CSM or AE touched: product-led, credited to nobody */
  productLed: { upsells: number; arrCents: number };
}

const OWNER_DETAIL = /^(csm|ae) (\S+):/;

/** Who worked the deal: every owner its history records, and both sides of a hand-off. */
export const touchedBy = (f: OppFacts): { csm: string[]; ae: string[] } => ownersOf(f.opp);

export function ownersOf(o: Opportunity): { csm: string[]; ae: string[] } {
  const f = { opp: o };
  const csm = new Set<string>();
  const ae = new Set<string>();
  for (const h of f.opp.history) {
    if (h.event !== 'owner') continue;
    const m = OWNER_DETAIL.exec(h.detail);
    if (m?.[2]) (m[1] === 'csm' ? csm : ae).add(m[2]);
  }
  const ho = f.opp.handoff;
  if (ho) { ae.add(ho.to); if (ho.from !== null && !ae.has(ho.from)) csm.add(ho.from); }
  if (f.opp.owner && f.opp.ownerRole) (f.opp.ownerRole === 'csm' ? csm : ae).add(f.opp.owner);
  return { csm: [...csm].sort(), ae: [...ae].sort() };
}

/** Splits each upsell's ARR in integer cents: the CSM side rounds, the AE side takes the rest, so the parts add up exactly. */
export function creditSplit(facts: readonly OppFacts[], split: UpsellSettings['creditSplit']): CreditSplit {
  const people = new Map<string, Credit>();
  const productLed = { upsells: 0, arrCents: 0 };
  const give = (person: string, role: 'csm' | 'ae', cents: number, shared: boolean): void => {
    const k = `${role}:${person}`;
    const c = people.get(k) ?? { person, role, upsells: 0, shared: 0, creditedArrCents: 0 };
    c.upsells++;
    if (shared) c.shared++;
    c.creditedArrCents += cents;
    people.set(k, c);
  };
  /** n people share `cents` in integer parts that add up to it */
  const parts = (cents: number, n: number): number[] => Array.from({ length: n }, (_, i) => Math.floor(cents / n) + (i < cents % n ? 1 : 0));
  for (const f of facts) {
    if (!f.won || !f.offered) continue;
    const arr = (f.realized?.mrrDelta ?? 0) * 12;
    const t = touchedBy(f);
    if (t.csm.length === 0 && t.ae.length === 0) { productLed.upsells++; productLed.arrCents += arr; continue; }
    const both = t.csm.length > 0 && t.ae.length > 0;
    const csmCents = both ? Math.round(arr * split.csm / (split.csm + split.ae)) : t.csm.length > 0 ? arr : 0;
    parts(csmCents, t.csm.length).forEach((c, i) => give(t.csm[i] ?? '', 'csm', c, both));
    parts(arr - csmCents, t.ae.length).forEach((c, i) => give(t.ae[i] ?? '', 'ae', c, both));
  }
  return {
    split, productLed,
    people: [...people.values()].sort((a, b) => b.creditedArrCents - a.creditedArrCents || a.person.localeCompare(b.person)),
  };
}
