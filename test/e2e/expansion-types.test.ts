// Every kind of expansion end to end on a real SQLite store: six accounts, each with one kind of
// need (seats, storage on the top tier, a module's feature, support load, a renewal, a tier-only
// limit); the scheduler opens an opportunity of the matching offer type and starts that type's play;
// the matching subscription change closes each as won: canonical events for three, and for the seat
// pack, the module and the term a signed customer.subscription.updated webhook on a real server whose
// items (base price, per-seat quantity, add-on price, a two-year price) map through the catalog;
// `tierwise metrics --json` splits expansion MRR by type, summing to the total.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { openEngine } from '../../src/app/engine.ts';
import type { PlaybookDeps } from '../../src/app/playbook-deps.ts';
import { runPlaybooks } from '../../src/app/scheduler.ts';
import { toCatalog } from '../../src/config/catalog-from-config.ts';
import { toEngineSettings } from '../../src/config/engine-schema.ts';
import { EXAMPLE_CONFIG, loadConfig } from '../../src/config/load.ts';
import { toPlaybookSettings } from '../../src/config/playbooks-schema.ts';
import type { SubscriptionEvent, TierwiseEvent } from '../../src/core/events/types.ts';
import { startServer } from '../../src/http/server.ts';
import { tierwise } from './cli.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 8);
const START = T0 + 20 * DAY;
const dir = mkdtempSync(join(tmpdir(), 'tierwise-expansion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Sub = Omit<SubscriptionEvent, 'id' | 'ts' | 'account' | 'type'>;
const cfg = loadConfig(EXAMPLE_CONFIG);
const catalog = toCatalog(cfg);

function world(): TierwiseEvent[] {
  const ev: TierwiseEvent[] = [];
  let n = 0;
  const at = (day: number, h = 1) => T0 + day * DAY + h * 3_600_000;
  const acct = (id: string, traits: Record<string, unknown>, sub: Sub) => {
    ev.push({ id: `${id}-a`, ts: T0 - 60 * DAY, account: id, type: 'account', traits: { name: id, employees: 60, segment: 'mid_market', ...traits } });
    ev.push({ id: `${id}-s`, ts: T0 - 60 * DAY, account: id, type: 'subscription', ...sub });
  };
  const daily = (id: string, f: (d: number) => Record<string, unknown>[]) => {
    for (let d = 0; d <= 20; d++) for (const e of f(d)) ev.push({ id: `${id}-${n++}`, ts: at(d), account: id, user: 'u1', ...e } as TierwiseEvent);
  };
  const pro: Sub = { plan: 'pro', interval: 'month', mrr: 74_900, status: 'active' };
  acct('seats', {}, pro);
  daily('seats', (d) => [{ type: 'usage', meter: 'seats', quantity: Math.min(25, 20 + Math.floor(d / 3)) }, { type: 'session' }]);
  ev.push({ id: 'seats-over', ts: at(20, 2), account: 'seats', type: 'usage', meter: 'seats', quantity: 27 });
  acct('volume', { employees: 2000, segment: 'enterprise' }, { plan: 'enterprise', interval: 'month', mrr: 199_900, status: 'active' });
  daily('volume', (d) => [{ type: 'usage', meter: 'storage_gb', quantity: 850 + d * 5 }, { type: 'session' }]);
  acct('module', {}, pro);
  daily('module', (d) => [{ type: 'session' }, ...(d >= 12 ? [{ type: 'gate', feature: 'advanced_analytics', user: `u${d % 3}` }] : [])]);
  acct('support', { employees: 400 }, pro);
  // a growing team (org growth) with a support load, no limit or paywall: premium support, not a tier
  daily('support', (d) => [{ type: 'session' }, ...(d >= 10 && d % 2 === 0 ? [{ type: 'member', action: 'added', user: `m${d}` }] : [])]);
  for (const [k, sev] of [['t1', 'high'], ['t2', 'normal'], ['t3', 'normal']] as const) {
    ev.push({ id: `support-${k}`, ts: at(15), account: 'support', type: 'ticket', ticket: k, status: 'opened', severity: sev, topic: 'outage' });
  }
  acct('term', { renewal_at: new Date(START + 75 * DAY).toISOString() }, pro);
  daily('term', () => [{ type: 'session' }, { type: 'feature', feature: 'dashboards' }]);
  acct('tier', {}, { plan: 'basic', interval: 'month', mrr: 29_900, status: 'active' });
  daily('tier', (d) => [{ type: 'usage', meter: 'api_calls', quantity: 300 + d * 15 }, { type: 'usage', meter: 'projects', quantity: 9 }, { type: 'session' }]);
  return ev;
}

const expected: Record<string, { type: string; playbook: string }> = {
  seats: { type: 'seats', playbook: 'seat_pack' },
  volume: { type: 'volume', playbook: 'seat_pack' },
  module: { type: 'addon', playbook: 'module_spotlight' },
  support: { type: 'support', playbook: 'support_upgrade' },
  term: { type: 'term', playbook: 'renewal_term' },
  tier: { type: 'tier', playbook: 'usage_limit' },
};

const SECRET = 'whsec_expansion_e2e';

/** A customer.subscription.updated event as Stripe sends it (API 2026-10-28 shape), its items given as [price, quantity, unit_amount, interval, interval_count]. */
function stripeUpdate(account: string, at: number, items: [string, number, number, 'month' | 'year', number][], discounts: unknown[] = []) {
  const created = Math.floor(at / 1000);
  return {
    id: `evt_${account}_items`, object: 'event', api_version: '2026-10-28', created, type: 'customer.subscription.updated', livemode: false, pending_webhooks: 1,
    data: {
      object: {
        id: `sub_${account}`, object: 'subscription', customer: `cus_${account}`, status: 'active', currency: 'usd', metadata: { tierwise_account: account },
        collection_method: 'charge_automatically', cancel_at_period_end: false, created: created - 90 * 86_400, start_date: created - 90 * 86_400, discounts,
        items: {
          object: 'list', has_more: false, url: `/v1/subscription_items?subscription=sub_${account}`,
          data: items.map(([price, quantity, unit, interval, count], i) => ({
            id: `si_${account}_${i}`, object: 'subscription_item', quantity, discounts: [], current_period_start: created, current_period_end: created + 30 * 86_400,
            price: {
              id: price, object: 'price', product: `prod_${price}`, lookup_key: null, unit_amount: unit, unit_amount_decimal: String(unit), currency: 'usd', type: 'recurring',
              // the base plan's prices say which plan they are (the catalog's stripe_prices name the rest)
              metadata: price.startsWith('price_pro_') && !price.endsWith('_seat') ? { tierwise_plan: 'pro' } : {},
              recurring: { interval, interval_count: count, usage_type: 'licensed' },
            },
          })),
        },
      },
      previous_attributes: { items: { data: [] } },
    },
  };
}

describe('every kind of expansion, from trigger to won to metrics', () => {
  it('opens one opportunity per offer type, wins each from the matching subscription change, and splits expansion MRR by type', async () => {
    const file = join(dir, 'x.db');
    const store = openSqliteStore(file);
    await store.appendEvents(world());
    const settings = toEngineSettings(cfg);
    const engine = await openEngine({ store, catalog, settings });
    engine.tick(START);
    const deps: PlaybookDeps = { store, catalog, settings, playbooks: toPlaybookSettings(cfg), webhook: { inApp: false, tasks: false } };
    await runPlaybooks(deps, engine, START);

    const opps = await store.listOpportunities({});
    const byAccount = new Map(opps.map((o) => [o.account, o]));
    for (const [account, want] of Object.entries(expected)) {
      const o = byAccount.get(account);
      expect(o, `an opportunity for ${account} (${engine.explain(account, START)?.offer?.why ?? 'no offer'})`).toBeDefined();
      expect({ account, type: o!.offerType, plays: o!.plays.map((p) => p.playbook) }).toEqual({ account, type: want.type, plays: [want.playbook] });
    }
    expect(byAccount.get('term')!.brief.offer?.name).toMatch(/2-year term at 15% off/);

    // the customers take what was offered: Stripe item changes for the seat pack, the module and the
    // term, canonical events for the rest
    const deliver = START + 2 * DAY;
    const server = await startServer({ store, config: cfg, stripeSecret: SECRET, now: () => deliver, port: 0, host: '127.0.0.1' });
    const term15 = { id: 'di_term', object: 'discount', source: { type: 'coupon', coupon: { id: 'TERM15', object: 'coupon', percent_off: 15, duration: 'forever' } }, start: Math.floor(deliver / 1000), end: null };
    const stripeChanges = [
      stripeUpdate('seats', deliver, [['price_pro_m', 1, 74_900, 'month', 1], ['price_pro_seat', 8, 2_500, 'month', 1]]),
      stripeUpdate('module', deliver, [['price_pro_m', 1, 74_900, 'month', 1], ['price_analytics_m', 1, 34_900, 'month', 1]]),
      stripeUpdate('term', deliver, [['price_pro_2y', 1, 1_498_000, 'year', 2]], [term15]),
    ];
    for (const evt of stripeChanges) {
      const payload = JSON.stringify(evt);
      const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: evt.created });
      const res = await fetch(`${server.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: payload });
      expect({ status: res.status, body: await res.json() as unknown }).toEqual({ status: 200, body: { received: true, event: evt.id } });
    }
    await server.close();
    const viaStripe = new Map<string, TierwiseEvent>();
    for await (const r of store.readEvents()) if (r.event.id.startsWith('evt_')) viaStripe.set(r.event.account, r.event);
    expect(viaStripe.get('seats')).toMatchObject({ ts: deliver, plan: 'pro', mrr: 94_900, seats: 33, units: { seats: 8 }, addons: [] });
    expect(viaStripe.get('module')).toMatchObject({ plan: 'pro', mrr: 109_800, units: {}, addons: ['analytics_module'] });
    expect(viaStripe.get('term')).toMatchObject({ plan: 'pro', interval: 'year', term_months: 24, mrr: 53_054, discount_pct: 15 });
    const changes: [string, Sub][] = [
      ['volume', { plan: 'enterprise', interval: 'month', mrr: 219_900, status: 'active', units: { storage_gb: 200 } }],
      ['support', { plan: 'pro', interval: 'month', mrr: 124_800, status: 'active', addons: ['premium_support'] }],
      ['tier', { plan: 'pro', interval: 'month', mrr: 74_900, status: 'active' }],
    ];
    await store.appendEvents(changes.map(([account, s]) => ({ id: `${account}-deliver`, ts: deliver, account, type: 'subscription', ...s })));
    await engine.catchUp();

    engine.tick(deliver + DAY);
    await runPlaybooks(deps, engine, deliver + DAY);
    const after = await store.listOpportunities({});
    // what was bought is not offered again, and no bigger jump follows right after
    expect(after.filter((o) => o.openedAt > START).map((o) => [o.account, o.offerType])).toEqual([]);
    for (const o of await store.listOpportunities({})) {
      if (!(o.account in expected)) continue;
      expect({ account: o.account, status: o.status, delivery: o.delivery }).toEqual({ account: o.account, status: 'won', delivery: 'full' });
      expect(o.closedAt).toBe(deliver);
    }
    await store.close();

    const r = tierwise(['metrics', '--json', '--db', file, '-c', EXAMPLE_CONFIG, '--from', '2026-03', '--to', '2026-03']);
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout) as { total: { expansion: number }; expansionByType: { total: number; byType: Record<string, number>; commitments: { signed: number; multiYear: number } } };
    const x = m.expansionByType;
    expect(x.byType).toEqual({ tier: 45_000, seats_volume: 40_000, addon: 34_900, support: 49_900, other: 0 });
    expect(Object.values(x.byType).reduce((a, b) => a + b, 0)).toBe(m.total.expansion);
    expect(x.total).toBe(m.total.expansion);
    expect(x.commitments).toMatchObject({ signed: 1, multiYear: 1 });
  });
});
