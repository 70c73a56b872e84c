// The upsell measurement against the behaviour table in test/fixtures/metrics/upsell.json. The
// opportunities are built with the real pipeline transitions, so the table exercises their histories.
import { describe, expect, it } from 'vitest';
import table from '../../../test/fixtures/metrics/upsell.json' with { type: 'json' };
import { expectMatch } from '../../../test/helpers/metrics-match.ts';
import { advance, assign, closeOpportunity, handOff, openOpportunity, type OppStage, type Opportunity } from '../playbooks/opportunity.ts';
import type { Channel } from '../playbooks/types.ts';
import type { Route, Segment } from '../scoring/settings.ts';
import { forecastAccuracy } from './forecast.ts';
import { computeUpsell } from './upsell.ts';
import { DEFAULT_UPSELL_SETTINGS, type UpsellInput, type UpsellSettings } from './upsell-types.ts';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const day = (d: number): number => T0 + d * 86_400_000;

interface OppSpec {
  id: string; account: string; monthly: number; route: string; segment: string; trigger: string; opened: number;
  gained?: string[]; stages?: [string, number][]; owners?: [string, string, number][]; handoff?: [string, number]; close?: [string, number];
}
interface Case {
  name: string; now: number; settings?: Partial<UpsellSettings>; playbookSignals: Record<string, string[]>;
  opportunities: OppSpec[]; contacts: [string, string, number][];
  subscriptions: { account: string; day: number; plan: string; mrr: number; discountPct?: number; termMonths?: number }[];
  features: [string, string, number][]; expect: Record<string, unknown>;
}

/** Replays a spec through the pipeline transitions in time order. */
function buildOpportunity(s: OppSpec): Opportunity {
  let o = openOpportunity({
    id: s.id, account: s.account, fromPlan: 'starter', target: 'pro', targetName: 'Pro', route: s.route as Route, segment: s.segment as Segment,
    arrDeltaCents: s.monthly * 12, monthlyDeltaCents: s.monthly, score: 50,
    brief: { evidence: [], roi: { multiple: null, annualValueCents: 0, annualCostCents: 0 },
      comparison: { from: 'starter', to: 'pro', gainedFeatures: s.gained ?? [], limits: [] }, price: { monthlyDeltaCents: s.monthly, arrDeltaCents: s.monthly * 12 } },
  }, s.trigger, 'fixture', day(s.opened));
  const moves: [number, (x: Opportunity) => Opportunity][] = [
    ...(s.stages ?? []).map(([st, d]): [number, (x: Opportunity) => Opportunity] => [d, (x) => advance(x, st as OppStage, day(d), 'fixture')]),
    ...(s.owners ?? []).map(([role, who, d]): [number, (x: Opportunity) => Opportunity] => [d, (x) => assign(x, who, role as 'csm' | 'ae', day(d), 'fixture')]),
    ...(s.handoff ? [[s.handoff[1], (x: Opportunity) => handOff(x, s.handoff?.[0] ?? '', 24, day(s.handoff?.[1] ?? 0))] as [number, (x: Opportunity) => Opportunity]] : []),
    ...(s.close ? [[s.close[1], (x: Opportunity) => closeOpportunity(x, s.close?.[0] === 'won', day(s.close?.[1] ?? 0), 'fixture')] as [number, (x: Opportunity) => Opportunity]] : []),
  ];
  for (const [, f] of moves.sort((a, b) => a[0] - b[0])) o = f(o);
  return o;
}

const CASES = table.cases as unknown as Case[];

function inputOf(c: Case): UpsellInput {
  return {
    now: day(c.now),
    playbookSignals: c.playbookSignals,
    opportunities: c.opportunities.map(buildOpportunity),
    contacts: c.contacts.map(([opportunity, channel, d]) => ({ opportunity, channel: channel as Channel, at: day(d) })),
    subscriptions: c.subscriptions.map((s, i) => ({
      id: `s${i}`, account: s.account, at: day(s.day), plan: s.plan, mrr: s.mrr,
      ...(s.discountPct !== undefined ? { discountPct: s.discountPct } : {}), ...(s.termMonths !== undefined ? { termMonths: s.termMonths } : {}),
    })),
    features: c.features.map(([account, feature, d]) => ({ account, feature, at: day(d) })),
  };
}

describe('upsell measurement (test/fixtures/metrics/upsell.json)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const report = computeUpsell(inputOf(c), { ...DEFAULT_UPSELL_SETTINGS, ...c.settings });
      for (const [k, v] of Object.entries(c.expect)) expectMatch((report as unknown as Record<string, unknown>)[k], v, k);
    });
  }

  it('credit parts add up to each upsell\'s ARR, to the cent', () => {
    for (const c of CASES) {
      const r = computeUpsell(inputOf(c), { ...DEFAULT_UPSELL_SETTINGS, ...c.settings });
      const credited = r.credit.people.reduce((a, p) => a + p.creditedArrCents, 0) + r.credit.productLed.arrCents;
      expect(credited, c.name).toBe(r.headline.expansionMrr * 12);
    }
  });

  it('the funnel never grows from one stage to the next', () => {
    for (const c of CASES) {
      const f = computeUpsell(inputOf(c), DEFAULT_UPSELL_SETTINGS).funnel;
      f.slice(1).forEach((s, i) => expect(s.reached, `${c.name}: ${s.stage}`).toBeLessThanOrEqual(f[i]?.reached ?? 0));
    }
  });

  it('splits the funnel, conversion and expansion MRR by offer type, the parts summing to the whole', () => {
    const types = ['seats', 'term', 'tier', 'addon'] as const;
    for (const c of CASES) {
      const input = inputOf(c);
      // an opportunity without a type (opened before offers had types) counts as a tier offer
      input.opportunities = input.opportunities.map((o, i) => (i % 5 === 4 ? o : { ...o, offerType: types[i % 4]! }));
      const r = computeUpsell(input, { ...DEFAULT_UPSELL_SETTINGS, ...c.settings });
      const sum = (k: 'opportunities' | 'offers' | 'upsells' | 'expansionMrr') => r.byOfferType.reduce((a, t) => a + t[k], 0);
      expect([sum('opportunities'), sum('offers'), sum('upsells'), sum('expansionMrr')], c.name)
        .toEqual([r.headline.opportunities, r.headline.offers, r.headline.upsells, r.headline.expansionMrr]);
      r.funnel.forEach((s, i) => expect(r.byOfferType.reduce((a, t) => a + (t.funnel[i]?.reached ?? 0), 0), `${c.name}: ${s.stage}`).toBe(s.reached));
      const attributed = new Map(r.attribution.byOfferType.map((x) => [x.key, x]));
      for (const t of r.byOfferType) {
        if (t.offers > 0) expect(attributed.get(t.type), `${c.name}: ${t.type}`).toMatchObject({ offers: t.offers, upsells: t.upsells, expansionMrr: t.expansionMrr });
      }
      expect(r.byOfferType.map((t) => t.type).every((t) => ['seats', 'term', 'tier', 'addon'].includes(t))).toBe(true);
    }
  });

  it('checks past forecasts with only what was known then', () => {
    const c = (CASES)[0];
    if (!c) throw new Error('no case');
    const opps = inputOf(c).opportunities;
    // as of day 1 no period had passed: the prior alone; o1, o2, o5 (all open then) win within 30 days
    const acc = forecastAccuracy(opps, [day(1)], DEFAULT_UPSELL_SETTINGS.forecast);
    const first = acc.checks[0];
    expect(first?.open).toBe(6);
    expect(first?.wins).toBe(3);
    expect(first?.actualMrr).toBe(5000 + 6000 + 4000);
    // stages as of day 1: o1, o2, o3, o6 qualified (prior 12 %), o4 and o5 at the trigger (8 %)
    expect(first?.expectedMrr).toBe(600 + 720 + 480 + 160 + 320 + 1200);
    expect(acc.meanAbsError).toBe(Math.abs(first?.error ?? 0));
  });
});
