// Expansion beyond the tier in the simulated world: accounts buy units, modules, support and longer
// terms on their own at the rates of params.ts, each purchase is a subscription event that says the
// whole holding at a higher MRR, the truth names the kinds of need, and offers are answered by kind.
import { describe, expect, it } from 'vitest';
import type { Offer } from '../core/offers/offer.ts';
import { NEED_TYPES } from './extras.ts';
import { respondToAnyOffer } from './respond-offer.ts';
import { smallWorld } from './test-world.ts';

const world = smallWorld(600, 90, 5);
const subs = world.events.split('\n').filter((l) => l.includes('"type":"subscription"')).map((l) => JSON.parse(l) as Record<string, unknown> & { account: string; ts: string; mrr: number });
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

describe('organic expansion beyond the tier', () => {
  it('is deterministic by seed', () => {
    const again = smallWorld(600, 90, 5);
    expect(again.events === world.events).toBe(true);
    expect(again.truth.map((t) => t.purchases)).toEqual(world.truth.map((t) => t.purchases));
  });

  it('buys units and terms on its own, and the truth names every kind of need it had', () => {
    const buyers = (type: string) => world.truth.filter((t) => t.purchases.some((p) => p.type === type)).length;
    expect(buyers('volume')).toBeGreaterThan(0);
    expect(buyers('term')).toBeGreaterThan(0);
    for (const t of world.truth) {
      expect(t.needTypes.every((k) => (NEED_TYPES as string[]).includes(k))).toBe(true);
      // a pack, module or support level is bought only for a need of its kind
      for (const p of t.purchases) if (p.type !== 'term') expect(t.needTypes, `${t.account} bought ${p.item}`).toContain(p.type);
    }
    const kinds = new Set(world.truth.flatMap((t) => t.needTypes));
    for (const k of ['volume', 'module', 'support', 'term', 'tier']) expect(kinds, k).toContain(k);
  });

  it('each purchase is a subscription event that day with the whole holding and more MRR', () => {
    for (const t of world.truth) {
      for (const p of t.purchases) {
        const mine = subs.filter((e) => e.account === t.account);
        const i = mine.findIndex((e) => Math.floor((Date.parse(e.ts) - START) / DAY) === p.day && ('addons' in e));
        expect(i, `${t.account} ${p.item}`).toBeGreaterThan(0);
        const e = mine[i]!;
        const before = mine[i - 1]!;
        if (p.type === 'seats' || p.type === 'volume') {
          const [meter, n] = p.item.split(':');
          expect((e['units'] as Record<string, number>)[meter!]).toBe(Number(n));
        }
        if (p.type === 'module' || p.type === 'support') expect(e['addons']).toContain(p.item);
        if (p.type === 'term') expect(e['term_months']).toBe(Number(p.item.replace('m', '')));
        // a term trades price for commitment; anything else costs more
        if (p.type !== 'term' && before['interval'] === e['interval']) expect(e.mrr).toBeGreaterThan(before.mrr);
      }
    }
  });

  it('answers an offer by its kind of need: a volume pack converts far better where the truth says volume', () => {
    const offer = { type: 'volume', price: { monthly: 20_000 }, covers: true, items: [{ kind: 'units' }], plan: { id: 'pro' } } as unknown as Offer;
    const p = { with: [] as number[], without: [] as number[] };
    for (const t of world.truth) {
      for (let d = 0; d < 84; d += 7) {
        const has = (t.weekly.needs[d / 7] ?? '').split('+').includes('volume');
        (has ? p.with : p.without).push(respondToAnyOffer(t, { offer, channel: 'in_app', dayOffset: d, cheapestCovering: null }, 3).p.accept);
      }
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    expect(p.with.length).toBeGreaterThan(20);
    expect(mean(p.with)).toBeGreaterThan(10 * mean(p.without));
    expect(mean(p.without)).toBeLessThan(0.02);
  });
});
