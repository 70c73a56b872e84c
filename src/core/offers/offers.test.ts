// Offer behaviour tables: proration (Stripe semantics), ROI, routing, segments, next tier, price deltas.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { exampleCatalog } from '../../../test/support/fixture-world.ts';
import type { Feature } from '../catalog/types.ts';
import { DEFAULT_SETTINGS, type Segment } from '../scoring/settings.ts';
import { nextTier } from './next-tier.ts';
import { priceDelta } from './price.ts';
import { prorate } from './proration.ts';
import { roi } from './roi.ts';
import { routeOf, segmentOf } from './routing.ts';

interface Tables {
  proration: { name: string; oldPrice: number; newPrice: number; periodStart: string; periodEnd: string; at: string; intervalChange?: boolean; expect: Record<string, number> }[];
  roi: { name: string; features: Feature[]; annualCost: number; expect: { annualValue: number; multiple: number | null } }[];
  routing: { name: string; arr: number; segment: Segment; expect: Record<string, unknown> }[];
  segments: { segment: string; employees: number; expect: Segment }[];
  nextTier: { name: string; plan: string; needs: Record<string, number>; gated: string[]; expect: { plan: string; covers: boolean; shortfalls?: string[] } | null }[];
  price: { name: string; from: string; to: string; interval: 'month' | 'year'; expect: Record<string, number> }[];
}

const t = JSON.parse(readFileSync(new URL('../../../test/fixtures/offers/cases.json', import.meta.url), 'utf8')) as Tables;
const catalog = exampleCatalog();
const plan = (id: string) => catalog.plans.find((p) => p.id === id)!;

describe('proration (Stripe create_prorations, to the second)', () => {
  for (const c of t.proration) {
    it(c.name, () => {
      const p = prorate({ oldPrice: c.oldPrice, newPrice: c.newPrice, periodStart: Date.parse(c.periodStart), periodEnd: Date.parse(c.periodEnd), at: Date.parse(c.at), ...(c.intervalChange ? { intervalChange: true } : {}) });
      expect(p).toMatchObject(c.expect);
      expect(p.net).toBe(p.credit + p.charge);
    });
  }
});

describe('ROI from value drivers', () => {
  for (const c of t.roi) it(c.name, () => expect(roi(c.features, c.annualCost)).toMatchObject(c.expect));
});

describe('routing', () => {
  for (const c of t.routing) it(c.name, () => expect(routeOf(c.arr, c.segment, DEFAULT_SETTINGS.offers)).toMatchObject(c.expect));
  for (const c of t.segments) it(`segment of "${c.segment}" with ${c.employees} employees`, () => expect(segmentOf(c.segment, c.employees, DEFAULT_SETTINGS.offers)).toBe(c.expect));
});

describe('next-tier search', () => {
  for (const c of t.nextTier) {
    it(c.name, () => {
      const needs = Object.entries(c.needs).map(([meter, observed]) => ({ meter, observed }));
      const got = nextTier(catalog, c.plan, needs, c.gated, DEFAULT_SETTINGS.offers.headroom);
      if (c.expect === null) return expect(got).toBeNull();
      expect(got?.plan.id).toBe(c.expect.plan);
      expect(got?.covers).toBe(c.expect.covers);
      if (c.expect.shortfalls) expect(got?.shortfalls).toEqual(c.expect.shortfalls);
    });
  }
});

describe('price delta', () => {
  for (const c of t.price) it(c.name, () => expect(priceDelta(plan(c.from), plan(c.to), c.interval)).toEqual(c.expect));
});

describe('an offer built from an account', () => {
  it('annual billing: prorates the annual prices over the annual term and routes by the annual ARR delta', async () => {
    const { caseWorld, stateFrom } = await import('../../../test/support/fixture-world.ts');
    const { evaluate } = await import('../scoring/evaluate.ts');
    const w = caseWorld({ name: 'annual', setup: 'pro_annual', events: [
      { times: 9, days: [-9, -5, -1], users: ['a', 'b', 'c'], event: { type: 'gate', feature: 'advanced_analytics' } },
      // a tier-only feature too: the analytics module alone would leave it uncovered
      { type: 'gate', day: -2, user: 'a', feature: 'compliance' },
    ] });
    const ev = evaluate(stateFrom(w.events, catalog), { catalog, settings: DEFAULT_SETTINGS }, w.now, { offer: true });
    const o = ev.offer!;
    expect(o.target.id).toBe('enterprise');
    expect(o.gatedFeatures).toEqual(['advanced_analytics', 'compliance']);
    expect(o.alternatives.map((a) => a.key)).toContain('addon:analytics_module');
    expect(o.price).toEqual({ monthly: 125000, annual: 1250000, arr: 1250000 });
    expect(o.proration!.periodSeconds).toBe(365 * 86400);
    const r = o.proration!.remainingSeconds / o.proration!.periodSeconds;
    expect(o.proration!.net).toBe(-Math.round(749000 * r) + Math.round(1999000 * r));
    expect(o.routing.route).toBe('csm');
    expect(o.routing.assist).toBe('ae');
    expect(o.roi.multiple).toBeGreaterThan(10);
    expect(o.message).toContain('3 users hit the Advanced analytics paywall 9 times');
  });

  it('ROI counts only what the account needs from the target tier, not every feature the tier adds', async () => {
    const { caseWorld, stateFrom } = await import('../../../test/support/fixture-world.ts');
    const { evaluate } = await import('../scoring/evaluate.ts');
    const offerFor = (feature: string) => {
      const w = caseWorld({ name: feature, setup: 'pro_annual', events: [
        { times: 6, days: [-6, -2], users: ['a', 'b'], event: { type: 'gate', feature } },
      ] });
      return evaluate(stateFrom(w.events, catalog), { catalog, settings: DEFAULT_SETTINGS }, w.now, { offer: true }).offer!;
    };
    // a compliance need only: Enterprise also adds advanced analytics (10 h x 5 people), which it never asked for
    const tier = offerFor('compliance');
    expect(tier.target.id).toBe('enterprise');
    expect(tier.gainedFeatures).toContain('advanced_analytics');
    expect(tier.roi.lines.map((l) => l.feature)).not.toContain('advanced_analytics');
    expect(tier.roi.annualValue).toBe(0);
    // an integrations need: the module that grants it, valued on custom integrations alone (not premium API)
    const module = offerFor('custom_integrations');
    expect(module.target.id).toBe('addon:integrations_module');
    expect(module.roi.lines.map((l) => l.feature)).toEqual(['custom_integrations']);
    expect(module.roi.annualValue).toBe(4 * 2 * 7500 * 52);
  });
});
