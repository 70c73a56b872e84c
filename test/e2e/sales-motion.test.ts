// The sales-assisted motion end to end over HTTP, in a server running the engine and the playbook
// scheduler on a SQLite store: a CSM-observed deal qualified, handed off (bounced once, then accepted),
// quoted above policy (refused, then a compliant multi-year term approved) and won by the real upgrade
// the scheduler sees; a second deal lost to an objection; a third won by hand with its own credit
// split. The comp report credits the right owners with the right commission; the economics report's
// expansion CAC and payback follow from the configured costs. (test/e2e/cli-sales.test.ts: the same
// actions through the CLI.)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import type { Store } from '../../src/app/ports.ts';
import { startServer, type RunningServer } from '../../src/compose.ts';
import { EXAMPLE_CONFIG } from '../../src/config/load.ts';
import type { TierwiseEvent } from '../../src/core/events/types.ts';
import { DAY, T0, worldEvents } from '../support/playbook-world.ts';
import { keysFor, testConfig } from './http-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-sales-'));
const H = 3_600_000;
const D0 = T0 + 21 * DAY; // 2026-03-22 08:00 UTC, after the world's last event
let clock = D0;
const at = (hours: number) => { clock = D0 + hours * H; };
let store: Store;
let server: RunningServer;
let admin = '';

const account = (id: string, name: string, csm: string): TierwiseEvent[] => [
  { id: `${id}-acct`, ts: T0, account: id, type: 'account', traits: { name, employees: 60, segment: 'mid_market', csm } },
  { id: `${id}-sub`, ts: T0, account: id, type: 'subscription', plan: 'basic', interval: 'month', mrr: 29900, status: 'active' },
];

beforeAll(async () => {
  store = openSqliteStore(join(dir, 'store.db'));
  await store.appendEvents([...worldEvents(), ...account('beta', 'Beta Labs', 'dana'), ...account('gamma', 'Gamma Foods', 'lee')]);
  admin = (await keysFor(store)).admin;
  // the example's sales: section with a Q1 quota for the AE, so his accelerator applies; no playbooks, so
  // the only opportunities are the ones people raise
  const sales = (parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as { sales: Record<string, unknown> }).sales;
  const config = testConfig({ playbooks: [], sales: { ...sales, quotas: [{ owner: 'sam', period: '2026-Q1', expansion_arr_cents: 1_000_000 }] } });
  server = await startServer({ store, config, port: 0, host: '127.0.0.1', now: () => clock, runEngine: true, engineCycleMs: 20, playbookRunMs: 30, deliverMs: 1_000 });
});
afterAll(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Opp { id: string; account: string; stage: string; status: string; owner?: string; ownerRole?: string; source?: string; arrDeltaCents: number; history: { detail: string }[]; sales?: Record<string, unknown> }
const call = (method: string, path: string, body?: unknown) => fetch(`${server.url}${path}`, {
  method, headers: { authorization: `Bearer ${admin}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
  ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
});
async function json<T = Opp>(r: Promise<Response>, status = 200): Promise<T> {
  const res = await r;
  const body = await res.json() as T;
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}
const post = <T = Opp>(path: string, body: unknown, status = 200) => json<T>(call('POST', path, body), status);
const get = <T>(path: string) => json<T>(call('GET', path));
const refused = async (path: string, body: unknown, status: number, detail: RegExp) => {
  const p = await post<{ detail: string }>(path, body, status);
  expect(p.detail).toMatch(detail);
};

describe('the sales-assisted motion', () => {
  let deal1 = '';
  let deal2 = '';
  let deal3 = '';
  const o = (id: string) => `/v1/opportunities/${encodeURIComponent(id)}`;

  it('a CSM-observed opportunity enters the pipeline with its owner and brief', async () => {
    at(0);
    await refused('/v1/opportunities', { account: 'acme', offer: 'platinum', source: 'csm_observation' }, 404, /no plan "platinum"/);
    await refused('/v1/opportunities', { account: 'acme', source: 'hunch' }, 400, /source/);
    const c = await post('/v1/opportunities', { account: 'acme', offer: 'enterprise', source: 'csm_observation', by: 'dana', note: 'asked about SSO on the weekly call' }, 201);
    expect(c).toMatchObject({ account: 'acme', source: 'csm_observation', stage: 'trigger_identified', owner: 'dana', ownerRole: 'csm', arrDeltaCents: 2_040_000 });
    deal1 = c.id;
    // the same tier again attaches instead of opening a second one
    expect((await post('/v1/opportunities', { account: 'acme', offer: 'enterprise', source: 'qbr', by: 'lee' })).id).toBe(deal1);
  });

  it('Proposal waits for the qualification', async () => {
    at(1);
    await post(`${o(deal1)}/stage`, { stage: 'qualified' });
    await post(`${o(deal1)}/qualification`, { goals_met: { met: true }, roi_articulated: { met: true, note: 'saves 10 h a week' }, budget: { met: true, note: 'FY26 tooling budget' }, by: 'dana' });
    await refused(`${o(deal1)}/stage`, { stage: 'proposal' }, 409, /Proposal needs the qualification first; not met yet: approver identified, decision timeline agreed/);
    at(2);
    const q = await post(`${o(deal1)}/qualification`, { approver: { met: true, note: 'CFO Ana Silva' }, timeline: { met: true, note: 'before the April renewal' } });
    expect(q.sales).toMatchObject({ qualification: { approver: { met: true, note: 'CFO Ana Silva', by: expect.stringContaining('API key') } } });
  });

  it('hand-off: bounced once with a reason, introduced again, accepted late', async () => {
    at(3);
    await post(`${o(deal1)}/owner`, { to: 'sam', intro: 'Ana signs; wants SSO before the audit' });
    at(4);
    await refused(`${o(deal1)}/handoff`, { decision: 'bounced', by: 'sam' }, 400, /a bounced hand-off needs a reason/);
    expect(await post(`${o(deal1)}/handoff`, { decision: 'bounced', reason: 'no security review booked yet', by: 'sam' })).toMatchObject({ owner: 'dana', ownerRole: 'csm' });
    await refused(`${o(deal1)}/handoff`, { decision: 'accepted', by: 'sam' }, 409, /no hand-off is waiting/);
    at(6);
    await post(`${o(deal1)}/owner`, { to: 'sam', intro: 'security review booked for Tuesday' });
    at(66); // 60 hours later: 12 past the 48-hour SLA
    expect(await post(`${o(deal1)}/handoff`, { decision: 'accepted', by: 'sam' })).toMatchObject({ owner: 'sam', ownerRole: 'ae' });
    at(67);
    await post(`${o(deal1)}/stage`, { stage: 'engaged' });
    const r = await get<{ breaches: { opportunity: string; to: string; decision: string; hoursLate: number }[] }>('/v1/reports/handoffs');
    expect(r.breaches).toEqual([expect.objectContaining({ opportunity: deal1, to: 'sam', decision: 'accepted', hoursLate: 12 })]);
  });

  it('a discount above policy needs a named approver: refused, then a compliant term approved', async () => {
    at(68);
    const q1 = await post(`${o(deal1)}/quote`, { discount_pct: 20, term_months: 12, by: 'sam' });
    expect(q1.sales).toMatchObject({ quotes: [{ discountPct: 20, termMonths: 12, allowedPct: 10, status: 'pending' }] });
    await refused(`${o(deal1)}/stage`, { stage: 'proposal' }, 409, /waits for an approver: the offer cannot go out before it is approved/);
    at(69);
    await refused(`${o(deal1)}/quote/decision`, { approve: true, approver: 'sam' }, 400, /"sam" is not a discount approver/);
    await refused(`${o(deal1)}/quote/decision`, { approve: true, approver: 'vp_sales' }, 409, /outside the term rules .*20 % needs a 24-month term/);
    await post(`${o(deal1)}/quote/decision`, { approve: false, approver: 'vp_sales', reason: 'more than 10 % only on a multi-year term' });
    at(70);
    await post(`${o(deal1)}/quote`, { discount_pct: 20, term_months: 24, by: 'sam' });
    at(71);
    const ok = await post(`${o(deal1)}/quote/decision`, { approve: true, approver: 'Val Pierce' });
    expect((ok.sales as { quotes: { status: string; decidedBy?: string }[] }).quotes.map((q) => [q.status, q.decidedBy])).toEqual([['refused', 'vp_sales'], ['approved', 'vp_sales']]);
    at(72);
    expect(await post(`${o(deal1)}/stage`, { stage: 'proposal' })).toMatchObject({ stage: 'proposal' });
    expect(await get('/v1/reports/discounts')).toMatchObject({ approved: 1, refused: 1, pending: 0, rows: [{ status: 'refused', reason: 'more than 10 % only on a multi-year term' }, { status: 'approved', termMonths: 24 }] });
  });

  it('the upgrade wins the deal: the scheduler closes it and credits it by the shared model', async () => {
    at(80);
    const ingest = await call('POST', '/v1/events', [{ id: 'acme-up', ts: new Date(clock).toISOString(), account: 'acme', type: 'subscription', plan: 'enterprise', interval: 'month', mrr: 199900, status: 'active' }]);
    expect(ingest.status).toBeLessThan(300);
    let won: Opp | undefined;
    for (let i = 0; i < 400 && won?.status !== 'won'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      won = await get<Opp>(o(deal1));
    }
    expect(won).toMatchObject({ status: 'won', stage: 'closed_won' });
  });

  it('a lost deal needs a reason from the objections taxonomy', async () => {
    at(10);
    deal2 = (await post('/v1/opportunities', { account: 'beta', offer: 'pro', source: 'inbound', by: 'dana' }, 201)).id;
    at(11);
    await post(`${o(deal2)}/stage`, { stage: 'qualified' });
    at(12);
    await refused(`${o(deal2)}/close`, { outcome: 'lost' }, 400, /closing as lost needs a reason from the objections taxonomy \(price_budget, timing, no_need, authority, competitor, product_gap, other\)/);
    await refused(`${o(deal2)}/close`, { outcome: 'lost', loss_reason: 'cheap' }, 400, /loss_reason/);
    const lost = await post(`${o(deal2)}/close`, { outcome: 'lost', loss_reason: 'timing', reason: 'after their Q2 budget cycle' });
    expect(lost.sales).toMatchObject({ loss: { reason: 'timing', note: 'after their Q2 budget cycle' } });
    const losses = await get<{ lost: number; byReason: { key: string; lost: number }[]; byOfferType: { key: string }[]; bySegment: { key: string }[]; byOwner: { key: string }[] }>('/v1/reports/losses?period=2026-Q1');
    expect(losses).toMatchObject({ lost: 1, byReason: [{ key: 'timing', lost: 1 }], byOfferType: [{ key: 'tier' }], bySegment: [{ key: 'mid_market' }], byOwner: [{ key: 'dana' }] });
  });

  it('a QBR deal won by hand with its own credit split', async () => {
    at(20);
    deal3 = (await post('/v1/opportunities', { account: 'gamma', offer: 'pro', source: 'qbr', by: 'lee' }, 201)).id;
    at(21);
    await refused(`${o(deal3)}/close`, { outcome: 'won', credit: [{ person: 'lee', pct: 40 }, { person: 'sam', pct: 50 }] }, 400, /add up to 90 %/);
    const won = await post(`${o(deal3)}/close`, { outcome: 'won', credit: [{ person: 'lee', pct: 40 }, { person: 'sam', pct: 60 }] });
    expect(won.sales).toMatchObject({ credit: [{ person: 'lee', role: 'csm', pct: 40, arrCents: 216_000 }, { person: 'sam', role: 'ae', pct: 60, arrCents: 324_000 }] });
  });

  const net1 = 2_040_000 * 0.8; // 20 % off, the approved quote
  const dana = Math.floor(net1 * 0.35); // shared credit: metrics.credit_split 35 / 65
  const sam = net1 - dana + 324_000;
  const samCommission = Math.round(1_000_000 * 0.10 + (sam - 1_000_000) * 0.15); // 10 % to quota, 15 % above

  it('comp: credited ARR, attainment and commission per owner, with the deals behind it', async () => {
    const r = await get<{ rows: { owner: string; role: string; creditedArrCents: number; quotaCents: number | null; attainment: number | null; commissionCents: number; deals: { opportunity: string }[] }[] }>('/v1/reports/comp?period=2026-Q1');
    expect(r.rows.map((x) => [x.owner, x.role, x.creditedArrCents, x.quotaCents, x.commissionCents, x.deals.map((d) => d.opportunity)])).toEqual([
      ['sam', 'ae', sam, 1_000_000, samCommission, [deal3, deal1]],
      ['dana', 'csm', dana, null, Math.round(dana * 0.05), [deal1]],
      ['lee', 'csm', 216_000, null, 216_000 * 0.05, [deal3]],
    ]);
    expect(r.rows[0]?.attainment).toBeCloseTo(sam / 1_000_000, 6);
    expect((await get<{ rows: unknown[] }>('/v1/reports/comp?period=2026-Q2')).rows).toEqual([]);
  });

  it('economics: expansion CAC and payback from the configured costs, beside new business', async () => {
    interface Row { motion: string; won: number; expansionArrCents: number; timeCents: number; commissionCents: number; discountCents: number; costCents: number; cacCents: number; paybackMonths: number }
    const r = await get<{ byMotion: Row[]; total: Row; newBusiness: unknown; cheaperBy: number }>('/v1/reports/economics?period=2026-Q1');
    // CSM motion: deal 2 (Qualified: 30 CSM minutes at $60/h) and deal 3 (won, 540,000 ARR: lee's 5 % and sam's share of his commission)
    const csmCost = 3_000 + 10_800 + Math.round((samCommission * 324_000) / sam);
    expect(r.byMotion.find((m) => m.motion === 'csm')).toMatchObject({
      won: 1, expansionArrCents: 540_000, timeCents: 3_000, discountCents: 0, costCents: csmCost, cacCents: csmCost,
      paybackMonths: Math.round((csmCost / ((540_000 / 12) * 0.8)) * 10) / 10,
    });
    // AE motion: Qualified by the CSM (30 min at $60/h), Engaged and Proposal after the hand-off (60 + 120 min at $90/h), 20 % given away
    const aeCost = 3_000 + 9_000 + 18_000 + Math.round(dana * 0.05) + Math.round((samCommission * (net1 - dana)) / sam) + 408_000;
    expect(r.byMotion.find((m) => m.motion === 'ae')).toMatchObject({ won: 1, expansionArrCents: net1, timeCents: 30_000, discountCents: 408_000, costCents: aeCost, cacCents: aeCost });
    expect(r.total).toMatchObject({ won: 2, costCents: csmCost + aeCost, paybackMonths: Math.round(((csmCost + aeCost) / (((net1 + 540_000) / 12) * 0.8)) * 10) / 10 });
    // the example's new business: $600,000 for 40 customers and $480,000 ARR
    expect(r.newBusiness).toEqual({ cacCents: 1_500_000, costPerArrDollar: 1.25, paybackMonths: 18.8 });
    expect(r.cheaperBy).toBe(Math.round((1.25 / (Math.round(((csmCost + aeCost) / (net1 + 540_000)) * 1000) / 1000)) * 10) / 10);
  });
});
