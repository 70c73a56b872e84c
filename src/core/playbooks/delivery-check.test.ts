// Behaviour table: an opportunity is won by the subscription change that delivers its offer, in part or whole.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { checkDelivery, deliveredAt, type Deliverable } from './delivery-check.ts';

interface Case { name: string; deliver: Deliverable; rank: number; held: { addons?: string[]; units?: Record<string, number>; termMonths?: number }; expect: string }
const cases = (JSON.parse(readFileSync(new URL('../../../test/fixtures/offers/delivery.json', import.meta.url), 'utf8')) as { cases: Case[] }).cases;

describe('delivery of an offer', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = checkDelivery(c.deliver, c.rank, { addons: c.held.addons ?? [], units: c.held.units ?? {}, termMonths: c.held.termMonths ?? 1 });
      expect(r.status).toBe(c.expect);
      if (r.status === 'partial') expect(r.missing.length).toBeGreaterThan(0);
    });
  }
});

describe('when an offer was delivered', () => {
  const held = { addons: ['premium_support'], units: { seats: 5 }, termMonths: 24, extrasTs: { 'addon:premium_support': 90, 'units:seats': 91, term: 60 } };
  it('at the change that delivered it, not a later, unrelated one', () => {
    expect(deliveredAt({ addons: ['premium_support'] }, 2, held, 10)).toBe(90);
    expect(deliveredAt({ units: { seats: [0, 5] } }, 2, held, 10)).toBe(91);
    expect(deliveredAt({ termMonths: [12, 24] }, 2, held, 10)).toBe(60);
  });
  it('at the last of its delivered parts, the plan move among them', () => {
    expect(deliveredAt({ addons: ['premium_support'], termMonths: [12, 24] }, 2, held, 10)).toBe(90);
    expect(deliveredAt({ plan: { id: 'enterprise', rank: 3, fromRank: 2 }, addons: ['premium_support'] }, 3, held, 95)).toBe(95);
    // a part not yet delivered does not date it
    expect(deliveredAt({ addons: ['premium_support', 'analytics_module'] }, 2, held, 10)).toBe(90);
  });
  it('unknown (0) where a delivered part has no time: a state saved before per-part times', () => {
    expect(deliveredAt({ addons: ['premium_support'] }, 2, { ...held, extrasTs: {} }, 10)).toBe(0);
    expect(deliveredAt({ addons: ['premium_support'] }, 2, { addons: held.addons, units: held.units, termMonths: 24 }, 10)).toBe(0);
  });
});
