// Issue #15 (T11), "Done when": every kind of expansion on a simulated world, through the real CLI.
// `tierwise simulate` (example config) -> `tierwise import` -> `tierwise run --as-of DAY --no-deliver`
// once a week over the world's later weeks. The simulator's accounts buy extra units, modules,
// premium support, longer terms and higher tiers on their own (src/sim/extras.ts), and each of those
// subscription events carries the whole holding; the runs open opportunities of the offer type the
// engine recommends and close them as won when such an organic change delivers the offer.
// expansion-types.test.ts covers the Stripe-items path and, on a hand-built world, each type's win in
// isolation.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { toCatalog } from '../../src/config/catalog-from-config.ts';
import { EXAMPLE_CONFIG, loadConfig } from '../../src/config/load.ts';
import type { SubscriptionEvent } from '../../src/core/events/types.ts';
import type { Opportunity } from '../../src/core/playbooks/opportunity.ts';
import { tierwise } from './cli.ts';

// Why these numbers: after the simulator's support lag and multi-year signing ahead of the renewal
// (issue #15), a scratch search (a truth proxy over seeds 1-300, then the whole pipeline on the eight
// likeliest) found seed 30 with 800 accounts the closest to winning all seven types; its one miss was
// a support win dated at a later seats change, which a win dated at the change that delivered it
// fixes. The whole pipeline now wins every type there, each closed at the organic change that
// delivered it (runs 2026-02-19 to 04-09): acc-000485 moves to enterprise on 02-28 (tier), acc-000243
// buys an API-calls pack on 02-24 (volume), acc-000565 the integrations module on 02-27 (addon),
// acc-000403 a seat on 04-01 (seats), acc-000263 signs a two-year term on 04-09 (term, opened 02-19 by
// renewal_term), and acc-000237 buys premium support on 04-01 (day 90; its support offer opened on a
// seat ceiling) and seats on 04-02, which close its seats offer and seats + API-calls bundle. The
// ticket_load signal opens 10 of the world's 16 support opportunities, none of them won within 100
// days. 100 days with eight weekly runs from day 49 take about 1 minute here (load 4), 4 at load 7.
const SEED = 30;
const ACCOUNTS = 800;
const DAYS = 100;
const WORLD_START = '2026-01-01';
const FIRST_RUN_DAY = 49;
const DAY = 86_400_000;
const dayIso = (d: number): string => new Date(Date.parse(`${WORLD_START}T00:00:00Z`) + d * DAY).toISOString().slice(0, 10);
/** weekly from FIRST_RUN_DAY to the world's last day */
const RUNS = Array.from({ length: Math.floor((DAYS - 1 - FIRST_RUN_DAY) / 7) + 1 }, (_, k) => dayIso(FIRST_RUN_DAY + 7 * k));
const LAST = RUNS.at(-1)!;

/** offer types the world gives a reason for: each must open at least once */
const OPENED = ['tier', 'seats', 'volume', 'addon', 'support', 'term', 'bundle'] as const;
/**
 * Offer types an organic subscription change closes as won in this world: every type. Term and
 * support need the simulator to buy them after a weekly run could offer them (src/sim/extras.ts:
 * support lands one sales cycle after the ticket load that decided it, a multi-year renewal is signed
 * inside the engine's 60-90-day window), and a win dated at the change that delivered it, not at a
 * later one between two runs (acc-000237 above).
 */
const WON = ['tier', 'seats', 'volume', 'addon', 'support', 'term', 'bundle'] as const;

const dir = mkdtempSync(join(tmpdir(), 'tierwise-expansion-sim-'));
const world = join(dir, 'world');
const db = join(dir, 'tierwise.db');
const store = ['--db', db, '-c', EXAMPLE_CONFIG];
const catalog = toCatalog(loadConfig(EXAMPLE_CONFIG));
const RANK = Object.fromEntries(catalog.plans.map((p) => [p.id, p.rank]));
const MODULES = catalog.addons.filter((a) => a.kind === 'module').map((a) => a.id);
const SUPPORT = catalog.addons.filter((a) => a.kind === 'support').map((a) => a.id);

function ok(args: string[]): string {
  const r = tierwise([...args, ...store]);
  expect(r.code, `tierwise ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout;
}
const json = <T>(args: string[]): T => JSON.parse(ok([...args, '--json'])) as T;

type OppJson = Omit<Opportunity, 'history' | 'brief'>;
interface RunReport { now: string; opened: number; won: number }
interface Metrics { total: { expansion: number }; expansionByType: { total: number; byType: Record<string, number> } }

const subs = new Map<string, (SubscriptionEvent & { ts: string })[]>();
let opps: OppJson[] = [];
/** the won opportunities' histories (the store's own reader: one `tierwise opportunity ID --json` per win costs seconds) */
const histories = new Map<string, Opportunity['history']>();
const runs: RunReport[] = [];

beforeAll(async () => {
  const sim = tierwise(['simulate', '--accounts', String(ACCOUNTS), '--days', String(DAYS), '--seed', String(SEED), '--start', WORLD_START, '--out', world, '--threads', '1', '-c', EXAMPLE_CONFIG]);
  expect(sim.code, sim.stderr).toBe(0);
  const imp = json<{ total: { accepted: number; rejected: number } }>(['import', join(world, 'events.ndjson')]);
  expect(imp.total.rejected).toBe(0);
  // the organic subscription changes, to check each win against the one that delivered it
  for (const line of readFileSync(join(world, 'events.ndjson'), 'utf8').split('\n')) {
    if (!line.includes('"type":"subscription"')) continue;
    const e = JSON.parse(line) as SubscriptionEvent & { ts: string };
    subs.set(e.account, [...(subs.get(e.account) ?? []), e]);
  }
  for (const day of RUNS) runs.push(json<RunReport>(['run', '--as-of', day, '--no-deliver']));
  const list = json<{ moment: unknown; total: number; opportunities: OppJson[] }>(['opportunities', '--as-of', LAST]);
  expect(list.total).toBe(list.opportunities.length);
  opps = list.opportunities;
  const st = openSqliteStore(db);
  for (const o of await st.listOpportunities({ status: 'won' })) histories.set(o.id, o.history);
  await st.close();
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The subscription event a win was closed at (the organic change), and the one before it. */
function changeAt(o: OppJson): { before: SubscriptionEvent; after: SubscriptionEvent } {
  const list = subs.get(o.account) ?? [];
  const k = list.findIndex((e) => Date.parse(e.ts) === o.closedAt);
  expect(k, `${o.account}: a subscription event at ${new Date(o.closedAt ?? 0).toISOString()}`).toBeGreaterThan(0);
  return { before: list[k - 1]!, after: list[k]! };
}

/** "upgraded basic -> pro; delivered: plan pro" / "partly delivered: add-on x; not: add-on y" -> the delivered items */
function deliveredItems(detail: string, delivery: OppJson['delivery']): string[] {
  const m = /^(?:upgraded \w+ -> \w+; )?(delivered|partly delivered): ([^;]+)(?:; not: .+)?$/.exec(detail);
  expect(m, detail).not.toBeNull();
  expect(m![1]).toBe(delivery === 'partial' ? 'partly delivered' : 'delivered');
  return m![2]!.split(', ');
}

/** Does the change from `before` to `after` carry a delivered item ("plan pro", "10 storage_gb", "add-on x", "24-month term")? */
function carries(item: string, before: SubscriptionEvent, after: SubscriptionEvent): boolean {
  let m: RegExpExecArray | null;
  if ((m = /^plan (\w+)$/.exec(item))) return after.plan === m[1] && RANK[after.plan]! > RANK[before.plan]!;
  if ((m = /^(\d+) (\w+)$/.exec(item))) return after.plan === before.plan && (after.units?.[m[2]!] ?? 0) > (before.units?.[m[2]!] ?? 0);
  if ((m = /^add-on (\w+)$/.exec(item))) return (after.addons ?? []).includes(m[1]!) && !(before.addons ?? []).includes(m[1]!);
  if ((m = /^(\d+)-month term$/.exec(item))) return (after.term_months ?? 0) >= Number(m[1]) && (after.term_months ?? 0) > (before.term_months ?? 0);
  return false;
}

/** the delivered item that makes an offer of each type */
const KIND: Record<(typeof WON)[number], (item: string) => boolean> = {
  tier: (i) => i.startsWith('plan '),
  seats: (i) => / seats$/.test(i),
  volume: (i) => /^\d+ (?!seats$)\w+$/.test(i),
  addon: (i) => MODULES.some((a) => i === `add-on ${a}`),
  support: (i) => SUPPORT.some((a) => i === `add-on ${a}`),
  term: (i) => /^\d+-month term$/.test(i),
  bundle: (i) => i.startsWith('add-on ') || i.startsWith('plan ') || /^\d+ /.test(i),
};

describe(`a simulated world (seed ${SEED}, ${ACCOUNTS} accounts, ${DAYS} days) run weekly from ${RUNS[0]}`, () => {
  it('opens opportunities of every offer type the world gives a reason for', () => {
    expect(runs.map((r) => r.now)).toEqual(RUNS.map((d) => `${d}T23:59:59.999Z`));
    const opened = new Map<string, number>();
    for (const o of opps) opened.set(o.offerType ?? 'tier', (opened.get(o.offerType ?? 'tier') ?? 0) + 1);
    for (const t of OPENED) expect({ type: t, opened: (opened.get(t) ?? 0) > 0 }).toEqual({ type: t, opened: true });
    // every opportunity carries an offer type the catalog knows
    expect([...opened.keys()].filter((t) => !(OPENED as readonly string[]).includes(t))).toEqual([]);
  });

  it.each(WON)('closes %s opportunities as won from the organic subscription change that delivered them', (type) => {
    const won = opps.filter((o) => o.status === 'won' && o.offerType === type);
    expect(won.length, `${type} opportunities won`).toBeGreaterThan(0);
    for (const w of won) {
      const closed = (histories.get(w.id) ?? []).filter((h) => h.event === 'closed');
      expect(closed).toHaveLength(1);
      const { before, after } = changeAt(w);
      const items = deliveredItems(closed[0]!.detail, w.delivery);
      // the won history names what was delivered, and the organic change carries each of it
      for (const it of items) expect({ item: it, carried: carries(it, before, after) }).toEqual({ item: it, carried: true });
      // ... including the part that makes it this type of offer
      expect(items.some(KIND[type]), `${w.account} ${type}: ${closed[0]!.detail}`).toBe(true);
      if (type !== 'bundle') expect(w.delivery).toBe('full');
    }
    // `tierwise opportunity ID --json` shows the same won history (once per type: each call replays the store)
    const shown = json<Opportunity>(['opportunity', won[0]!.id]);
    expect({ status: shown.status, offerType: shown.offerType, closed: shown.history.filter((h) => h.event === 'closed') })
      .toEqual({ status: 'won', offerType: type, closed: (histories.get(won[0]!.id) ?? []).filter((h) => h.event === 'closed') });
  });

  it('metrics --json splits expansion MRR by type, summing to the total expansion MRR', () => {
    const r = tierwise(['metrics', '--json', '--from', '2026-01', '--to', dayIso(DAYS - 1).slice(0, 7), ...store]);
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout) as Metrics;
    const x = m.expansionByType;
    expect(m.total.expansion).toBeGreaterThan(0);
    expect(Object.values(x.byType).reduce((a, b) => a + b, 0)).toBe(m.total.expansion);
    expect(x.total).toBe(m.total.expansion);
    // the kinds won above are among the expansion MRR
    expect(x.byType['tier']).toBeGreaterThan(0);
    expect(x.byType['seats_volume']).toBeGreaterThan(0);
    expect(x.byType['addon']).toBeGreaterThan(0);
  });
});
