// Behaviour table: every kind of expansion (test/fixtures/offers/expansion.json). Each case is an
// account's events; the expectation is the recommended offer, its price, and what stands beside it.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { caseWorld, exampleCatalog, stateFrom, type WorldCase } from '../../../test/support/fixture-world.ts';
import { evaluate } from '../scoring/evaluate.ts';
import { DEFAULT_SETTINGS } from '../scoring/settings.ts';
import { quoteTerm } from './terms.ts';

interface Case extends WorldCase {
  expect: { type: string; key: string; monthly: number; covers: boolean; alternatives?: string[]; why?: string; notes?: string; roiAtLeast?: number; term?: Record<string, number> };
}
interface TermCase { name: string; months: number; discountPct: number; annualList: number; expect: { ok: boolean; annual?: number; reason?: string } }

const tables = JSON.parse(readFileSync(new URL('../../../test/fixtures/offers/expansion.json', import.meta.url), 'utf8')) as { cases: Case[]; termRequests: TermCase[] };
const catalog = exampleCatalog();

describe('offers of every type', () => {
  for (const c of tables.cases) {
    it(c.name, () => {
      const w = caseWorld(c);
      const o = evaluate(stateFrom(w.events, catalog), { catalog, settings: DEFAULT_SETTINGS }, w.now, { offer: true }).offer!;
      expect(o, 'an offer').not.toBeNull();
      expect({ type: o.type, key: o.key, monthly: o.price.monthly, covers: o.covers }).toEqual({ type: c.expect.type, key: c.expect.key, monthly: c.expect.monthly, covers: c.expect.covers });
      for (const k of c.expect.alternatives ?? []) expect(o.alternatives.map((a) => a.key)).toContain(k);
      if (c.expect.why) expect(o.why).toMatch(new RegExp(c.expect.why));
      if (c.expect.notes) expect(o.notes.join('\n')).toContain(c.expect.notes);
      if (c.expect.roiAtLeast !== undefined) expect(o.roi.multiple).toBeGreaterThanOrEqual(c.expect.roiAtLeast);
      if (c.expect.term) expect(o.term).toMatchObject(c.expect.term);
      // the recommendation covers its needs at least as cheaply as any covering alternative of another kind
      for (const a of o.alternatives.filter((x) => x.fullyCovers && x.type !== 'term')) {
        if (o.type !== 'tier' && o.type !== 'term') expect(a.price.monthly).toBeGreaterThanOrEqual(o.price.monthly);
      }
      expect(o.message).not.toContain(o.key);
    });
  }
});

describe('term requests (seed 002: above 10 % only for multi-year)', () => {
  for (const c of tables.termRequests) {
    it(c.name, () => {
      const r = quoteTerm(catalog.terms, c.annualList, c.months, c.discountPct);
      expect(r.ok).toBe(c.expect.ok);
      if (r.ok) expect(r.quote.annual).toBe(c.expect.annual);
      else expect(r.reason).toBe(c.expect.reason);
    });
  }
});
