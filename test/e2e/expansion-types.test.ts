// Every kind of expansion end to end on a real SQLite store: six accounts, each with one kind of
// need (seats, storage on the top tier, a module's feature, support load, a renewal, a tier-only
// limit); the scheduler opens an opportunity of the matching offer type and starts that type's play;
// the matching subscription change (canonical events, and Stripe items mapped through the catalog)
// closes each as won; `tierwise metrics --json` splits expansion MRR by type, summing to the total.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { openEngine } from '../../src/app/engine.ts';
import type { PlaybookDeps } from '../../src/app/playbook-deps.ts';
import { runPlaybooks } from '../../src/app/scheduler.ts';
import { toCatalog } from '../../src/config/catalog-from-config.ts';
import { toEngineSettings } from '../../src/config/engine-schema.ts';
import { EXAMPLE_CONFIG, loadConfig } from '../../src/config/load.ts';
import { toPlaybookSettings } from '../../src/config/playbooks-schema.ts';
import { mapStripeItems } from '../../src/core/catalog/stripe-items.ts';
import type { SubscriptionEvent, TierwiseEvent } from '../../src/core/events/types.ts';
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

    // the customers take what was offered: canonical events for most, Stripe items for the seat pack
    const deliver = START + 2 * DAY;
    const seatsItems = mapStripeItems(catalog, [{ price: 'price_pro_m', quantity: 1 }, { price: 'price_pro_seat', quantity: 8 }], (p) => (p === 'price_pro_m' ? 'pro' : undefined));
    const changes: [string, Sub][] = [
      ['seats', { ...seatsItems, plan: seatsItems.plan!, addons: seatsItems.addons, interval: 'month', mrr: 94_900, status: 'active' }],
      ['volume', { plan: 'enterprise', interval: 'month', mrr: 219_900, status: 'active', units: { storage_gb: 200 } }],
      ['module', { plan: 'pro', interval: 'month', mrr: 109_800, status: 'active', addons: ['analytics_module'] }],
      ['support', { plan: 'pro', interval: 'month', mrr: 124_800, status: 'active', addons: ['premium_support'] }],
      ['term', { plan: 'pro', interval: 'year', mrr: 53_054, status: 'active', term_months: 24, discount_pct: 15 }],
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
