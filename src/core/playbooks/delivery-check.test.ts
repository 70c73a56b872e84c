// Behaviour table: an opportunity is won by the subscription change that delivers its offer, in part or whole.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { checkDelivery, type Deliverable } from './delivery-check.ts';

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
