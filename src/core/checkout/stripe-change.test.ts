// The invoice preview against Stripe's proration rules (test/fixtures/checkout/prorations.json: the
// first case is the worked example on https://docs.stripe.com/billing/subscriptions/prorations),
// and the downgrade and cancellation paths.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stripeHandoff } from './stripe-change.ts';
import type { SubItem } from './subscription-items.ts';

interface Case {
  name: string; at: number; before: SubItem[]; after: SubItem[];
  expect: { lines: number[]; total: number; dueNow: number; items: object[]; noLines?: boolean };
}
const table = JSON.parse(readFileSync(new URL('../../../test/fixtures/checkout/prorations.json', import.meta.url), 'utf8')) as { periodStart: number; periodEnd: number; cases: Case[] };
const span = { periodStart: table.periodStart, periodEnd: table.periodEnd };

describe('Stripe hand-off: upgrade invoice preview', () => {
  for (const c of table.cases) {
    it(c.name, () => {
      const h = stripeHandoff({ kind: 'upgrade', before: c.before, after: c.after, at: c.at, ...span });
      expect(h.preview.lines.map((l) => l.amount)).toEqual(c.expect.noLines ? [] : c.expect.lines);
      expect(h.preview.total).toBe(c.expect.total);
      expect(h.preview.dueNow).toBe(c.expect.dueNow);
      expect(h.stripe).toMatchObject({ items: c.expect.items, proration_behavior: 'always_invoice', proration_date: c.at / 1000 });
      expect(h.preview.next).toMatchObject({ at: table.periodEnd, amount: c.after.reduce((s, i) => s + i.amount, 0) });
      for (const l of h.preview.lines) expect(l).toMatchObject({ proration: true, periodStart: c.at, periodEnd: table.periodEnd });
    });
  }
});

describe('Stripe hand-off: downgrade and cancellation', () => {
  const pro: SubItem = { key: 'plan:pro', kind: 'plan', id: 'pro', name: 'Pro', price: 'price_pro', quantity: 1, amount: 2000 };
  const basic: SubItem = { key: 'plan:basic', kind: 'plan', id: 'basic', name: 'Basic', price: 'price_basic', quantity: 1, amount: 1000 };
  const half = table.cases[0]!.at;

  it('a downgrade halfway credits 5 USD on the next invoice and charges nothing now', () => {
    const h = stripeHandoff({ kind: 'downgrade', before: [pro], after: [basic], at: half, ...span });
    expect(h.stripe.proration_behavior).toBe('create_prorations');
    expect(h.preview).toMatchObject({ total: -500, dueNow: 0, next: { amount: 500 } });
    expect(h.preview.lines.map((l) => l.description)).toEqual(['Unused time on Pro after 2026-06-16', 'Remaining time on Basic after 2026-06-16']);
  });

  it('a cancellation ends at the period end with nothing prorated', () => {
    const h = stripeHandoff({ kind: 'cancel', before: [pro], after: [], at: half, ...span });
    expect(h.stripe).toEqual({ items: [], proration_behavior: 'none', proration_date: half / 1000, cancel_at_period_end: true });
    expect(h.preview).toMatchObject({ lines: [], dueNow: 0, next: { at: table.periodEnd, amount: 0 } });
  });

  it('refuses a change that changes nothing, and a moment outside the period', () => {
    expect(() => stripeHandoff({ kind: 'upgrade', before: [pro], after: [pro], at: half, ...span })).toThrow(/nothing to check out/);
    expect(() => stripeHandoff({ kind: 'upgrade', before: [pro], after: [basic], at: table.periodEnd, ...span })).toThrow(/outside the billing period/);
  });
});
