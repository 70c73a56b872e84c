// The world's shape: the figures docs/simulator.md states, checked on small in-process worlds.
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalEventSchema } from '../sources/canonical-schema.ts';
import { smallWorld } from './test-world.ts';
import type { AccountTruth } from './types.ts';

interface Ev { id: string; ts: string; account: string; user?: string; type: string; [k: string]: unknown }

let events: Ev[] = [];
let lines: string[] = [];
let truth: AccountTruth[] = [];
const ACCOUNTS = 800;

beforeAll(() => {
  const w = smallWorld(ACCOUNTS, 90, 11);
  lines = w.events.split('\n').filter((l) => l.length > 0);
  events = lines.map((l) => JSON.parse(l) as Ev);
  truth = w.truth;
  expect(w.eventCount).toBe(lines.length);
});

const share = (pred: (t: AccountTruth) => boolean): number => truth.filter(pred).length / truth.length;

describe('determinism', () => {
  it('same seed gives identical bytes, another seed different ones', () => {
    const a = smallWorld(150, 30, 5);
    const b = smallWorld(150, 30, 5);
    const c = smallWorld(150, 30, 6);
    expect(a.events).toBe(b.events);
    expect(JSON.stringify(a.truth)).toBe(JSON.stringify(b.truth));
    expect(c.events).not.toBe(a.events);
  });

  it('account i is the same whatever the number of accounts', () => {
    const small = smallWorld(20, 10, 5).events.split('\n').filter((l) => l.includes('"account":"acc-000003"'));
    const big = smallWorld(60, 10, 5).events.split('\n').filter((l) => l.includes('"account":"acc-000003"'));
    expect(big).toEqual(small);
  });
});

describe('events', () => {
  it('are valid canonical v1 events', () => {
    for (const line of lines.slice(0, 20000)) {
      const r = canonicalEventSchema.safeParse(JSON.parse(line));
      if (!r.success) throw new Error(`${line}: ${r.error.message}`);
    }
  });

  it('have unique ids, come in time order, and start with every account\'s traits', () => {
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    for (let i = 1; i < events.length; i++) {
      if ((events[i]?.ts ?? '') < (events[i - 1]?.ts ?? '')) throw new Error(`out of order at line ${i + 1}`);
    }
    expect(events.slice(0, ACCOUNTS).every((e) => e.type === 'account')).toBe(true);
  });

  it('bill annual plans at annual price / 12 and monthly ones at the monthly price', () => {
    const subs = events.filter((e) => e.type === 'subscription' && e['status'] === 'active');
    const annual = subs.find((e) => e['interval'] === 'year' && e['plan'] === 'pro');
    const monthly = subs.find((e) => e['interval'] === 'month' && e['plan'] === 'pro');
    expect(annual?.['mrr']).toBe(Math.round(749000 / 12));
    expect(monthly?.['mrr']).toBe(74900);
  });

  it('have every kind the issue asks for', () => {
    const types = new Set(events.map((e) => e.type));
    for (const t of ['account', 'subscription', 'usage', 'gate', 'feature', 'member', 'integration', 'ticket', 'invoice', 'nps', 'session']) expect(types).toContain(t);
    expect(events.some((e) => e.type === 'ticket' && e['topic'] === 'feature_unavailable')).toBe(true);
    expect(events.some((e) => e.type === 'ticket' && e['severity'] === 'critical')).toBe(true);
    expect(events.some((e) => e.type === 'invoice' && e['status'] === 'past_due')).toBe(true);
    expect(events.some((e) => e.type === 'usage' && e['exceeded'] === true)).toBe(true);
    expect(events.some((e) => e.type === 'member' && e['action'] === 'removed')).toBe(true);
  });
});

describe('world shape', () => {
  it('has a heavy tail of usage: the top 10% of accounts hold > 40% of api_calls', () => {
    const per = new Map<string, number>();
    for (const e of events) if (e.type === 'usage' && e['meter'] === 'api_calls') per.set(e.account, (per.get(e.account) ?? 0) + (e['quantity'] as number));
    const v = [...per.values()].sort((a, b) => b - a);
    const total = v.reduce((a, b) => a + b, 0);
    const top = v.slice(0, Math.ceil(ACCOUNTS / 10)).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.4);
  });

  it('has more sessions on weekdays than on weekends (> 3x per day)', () => {
    const perDay = new Map<string, number>();
    for (const e of events) if (e.type === 'session') perDay.set(e.ts.slice(0, 10), (perDay.get(e.ts.slice(0, 10)) ?? 0) + 1);
    let wd = 0; let wdn = 0; let we = 0; let wen = 0;
    for (const [d, n] of perDay) {
      const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
      if (dow === 0 || dow === 6) { we += n; wen++; } else { wd += n; wdn++; }
    }
    expect(wd / wdn).toBeGreaterThan(3 * (we / wen));
  });

  it('ends with 4-16% of live accounts above 80% of some limit', () => {
    const live = truth.filter((t) => t.planEnd !== null);
    const above = live.filter((t) => Object.values(t.meters).some((m) => m.limitEnd !== null && m.utilizationEnd >= 0.8)).length / live.length;
    expect(above).toBeGreaterThan(0.04);
    expect(above).toBeLessThan(0.16);
  });

  it('concentrates gate hits in accounts whose latent need exceeds their plan (> 90%)', () => {
    const all = truth.reduce((s, t) => s + t.gates.withNeed + t.gates.curious, 0);
    const needy = truth.filter((t) => t.everNeededAbovePlan).reduce((s, t) => s + t.gates.withNeed + t.gates.curious, 0);
    expect(all).toBeGreaterThan(50);
    expect(needy / all).toBeGreaterThan(0.9);
    expect(all).toBe(events.filter((e) => e.type === 'gate').length);
  });

  it('has several users of one account hitting the same gate', () => {
    const users = new Map<string, Set<string>>();
    for (const e of events) if (e.type === 'gate') {
      const k = `${e.account}/${String(e['feature'])}`;
      if (!users.has(k)) users.set(k, new Set());
      users.get(k)?.add(e.user ?? '');
    }
    expect([...users.values()].filter((s) => s.size >= 3).length).toBeGreaterThan(3);
  });

  it('has 12-30% of accounts ready to upgrade at some point, each with its reasons and a target', () => {
    const ready = truth.filter((t) => t.ready.day !== null);
    expect(ready.length / truth.length).toBeGreaterThan(0.12);
    expect(ready.length / truth.length).toBeLessThan(0.3);
    for (const t of ready) {
      expect(t.ready.reasons.length).toBeGreaterThan(0);
      expect(t.ready.targetPlan).not.toBeNull();
    }
  });

  it('has organic outcomes within the ranges of docs/simulator.md (90 days)', () => {
    const up = share((t) => t.outcomes.some((o) => o.kind === 'upgrade'));
    const down = share((t) => t.outcomes.some((o) => o.kind === 'downgrade'));
    const churn = share((t) => t.outcomes.some((o) => o.kind === 'churn'));
    expect(up).toBeGreaterThanOrEqual(0.01); expect(up).toBeLessThanOrEqual(0.06);
    expect(down).toBeGreaterThanOrEqual(0.001); expect(down).toBeLessThanOrEqual(0.025);
    expect(churn).toBeGreaterThanOrEqual(0.04); expect(churn).toBeLessThanOrEqual(0.11);
    // Every outcome is a subscription event, and so is each day's organic purchase beyond the plan
    // (units, modules, support bought the same day share one; a term is its own, and a multi-year
    // term signed ahead of its renewal one more when it starts inside the world).
    const outcomes = truth.reduce((s, t) => s + t.outcomes.length, 0);
    const purchases = truth.reduce((s, t) => s + new Set(t.purchases.filter((p) => p.type !== 'term').map((p) => p.day)).size + t.purchases.filter((p) => p.type === 'term').length, 0);
    const starts = truth.reduce((s, t) => s + t.purchases.filter((p) => p.starts !== undefined && p.starts < 90).length, 0);
    const changes = events.filter((e) => e.type === 'subscription').length - ACCOUNTS;
    expect(changes).toBe(outcomes + purchases + starts);
  });

  it('upgrades organically only accounts that were ready, and ready ones far more often', () => {
    const upgraded = truth.filter((t) => t.outcomes.some((o) => o.kind === 'upgrade'));
    expect(upgraded.every((t) => t.ready.day !== null)).toBe(true);
  });

  it('correlates NPS with health', () => {
    const health = new Map(truth.map((t) => [t.account, t.health.start]));
    const hi: number[] = []; const lo: number[] = [];
    for (const e of events) if (e.type === 'nps') ((health.get(e.account) ?? 0) >= 0.7 ? hi : lo).push(e['score'] as number);
    const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
    expect(mean(hi)).toBeGreaterThan(mean(lo) + 1);
  });
});
