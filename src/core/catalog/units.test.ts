// Stripe's Price model for extra units: per_unit with packages, graduated and volume tiers.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { UnitPrice } from './types.ts';
import { breakEvenUnits, unitCost } from './units.ts';

interface Case { name: string; price: Partial<UnitPrice>; units: number; expect: number }
const cases = (JSON.parse(readFileSync(new URL('../../../test/fixtures/catalog/unit-prices.json', import.meta.url), 'utf8')) as { cost: Case[] }).cost;
const price = (p: Partial<UnitPrice>): UnitPrice => ({ meter: 'm', scheme: 'per_unit', unitAmount: 0, blockSize: 1, tiers: [], included: 0, maxExtra: null, stripePrices: [], ...p });

describe('unit cost (Stripe semantics)', () => {
  for (const c of cases) it(c.name, () => expect(unitCost(price(c.price), c.units)).toBe(c.expect));
});

describe('break-even with the next tier', () => {
  const plan = { id: 'pro', name: 'Pro', rank: 2, price: { monthly: 74_900 }, limits: { seats: 25 }, features: [], support: { channels: ['email'], responseHours: 24, csm: 'none' as const } };
  const next = { ...plan, id: 'ent', name: 'Enterprise', rank: 3, price: { monthly: 199_900 } };
  it('the most seats that keep the plan cheaper than the next tier', () => expect(breakEvenUnits(plan, price({ unitAmount: 2500 }), next)).toBe(49));
  it('whole packs only', () => expect(breakEvenUnits(plan, price({ unitAmount: 10_000, blockSize: 50 }), next)).toBe(600));
  it('a configured max caps it', () => expect(breakEvenUnits(plan, price({ unitAmount: 2500, maxExtra: 40 }), next)).toBe(40));
  it('no next tier: the max, or no cap', () => expect(breakEvenUnits(plan, price({ unitAmount: 2500 }), undefined)).toBeNull());
});
