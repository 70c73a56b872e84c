// The subscription history before the telemetry (history.ts): a year of sign-ups and plan moves,
// so that revenue metrics have a cohort, an NRR and a GRR to show.
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalEventSchema } from '../sources/canonical-schema.ts';
import { exampleCatalog, START_MS } from './test-world.ts';
import { simulateInMemory } from './world.ts';

interface Ev { id: string; ts: string; account: string; type: string; plan?: string; mrr?: number; status?: string; traits?: Record<string, unknown>; email?: string }

const world = (historyDays: number, accounts = 300) => simulateInMemory({ accounts, days: 30, seed: 3, startMs: START_MS, catalog: exampleCatalog(), historyDays });
let events: Ev[] = [];
let text = '';

beforeAll(() => {
  text = world(365).events;
  events = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Ev);
});

const history = (): Ev[] => events.filter((e) => Date.parse(e.ts) < START_MS);
const subsOf = (account: string): Ev[] => events.filter((e) => e.account === account && e.type === 'subscription');

describe('subscription history', () => {
  it('is deterministic, valid canonical v1, in time order, and all of it before the start', () => {
    expect(world(365).events).toBe(text);
    const h = history();
    expect(h.length).toBeGreaterThan(300);
    for (const e of h) expect(canonicalEventSchema.safeParse(e).success).toBe(true);
    const ts = events.map((e) => Date.parse(e.ts));
    for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1] as number);
    expect(Math.min(...ts)).toBeGreaterThanOrEqual(START_MS - 365 * 86_400_000);
  });

  it('spreads the sign-ups over the year: every account starts with its traits (and its contact email), then a plan', () => {
    const months = new Set(history().filter((e) => e.type === 'account').map((e) => e.ts.slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(11);
    for (const id of ['acc-000001', 'acc-000150', 'acc-000300']) {
      const mine = events.filter((e) => e.account === id);
      expect(mine[0]?.type).toBe('account');
      expect(mine[0]?.traits?.['email']).toMatch(/^user0@[a-z0-9-]+\.example$/);
      expect(mine[1]?.type).toBe('subscription');
      expect(Date.parse(mine[1]?.ts ?? '')).toBeLessThan(START_MS);
    }
  });

  it('holds organic upgrades, downgrades, churn with comebacks, and former customers gone before the start', () => {
    const rank: Record<string, number> = { basic: 1, pro: 2, enterprise: 3 };
    let up = 0;
    let down = 0;
    let comeback = 0;
    for (let i = 1; i <= 300; i++) {
      const subs = subsOf(`acc-${String(i).padStart(6, '0')}`).filter((e) => Date.parse(e.ts) < START_MS);
      for (let k = 1; k < subs.length; k++) {
        const [a, b] = [subs[k - 1] as Ev, subs[k] as Ev];
        if (a.status === 'canceled' && b.status === 'active') comeback++;
        else if (a.status === 'active' && b.status === 'active' && (rank[b.plan ?? ''] ?? 0) > (rank[a.plan ?? ''] ?? 0)) up++;
        else if (a.status === 'active' && b.status === 'active' && (rank[b.plan ?? ''] ?? 0) < (rank[a.plan ?? ''] ?? 0)) down++;
      }
    }
    expect(up).toBeGreaterThan(30);
    expect(down).toBeGreaterThan(3);
    expect(comeback).toBeGreaterThan(3);
    const formers = new Set(events.filter((e) => e.account.startsWith('former-')).map((e) => e.account));
    expect(formers.size).toBe(Math.round(300 * 0.08));
    for (const f of formers) {
      const subs = subsOf(f);
      expect(subs.at(-1)).toMatchObject({ status: 'canceled', mrr: 0 });
      expect(Date.parse(subs.at(-1)?.ts ?? '')).toBeLessThan(START_MS);
    }
  });

  it('users carry emails on the domain of their account', () => {
    const joined = events.filter((e) => e.type === 'member' && e.account === 'acc-000007');
    expect(joined.length).toBeGreaterThan(0);
    const domain = (events.find((e) => e.account === 'acc-000007' && e.type === 'account')?.traits?.['email'] as string).split('@')[1];
    for (const m of joined) expect(m.email).toMatch(new RegExp(`^user\\d+@${domain?.replace(/\./g, '\\.')}$`));
  });

  it('is off by default: no event before the start', () => {
    const w = world(0, 50).events.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Ev);
    expect(w.every((e) => Date.parse(e.ts) >= START_MS)).toBe(true);
  });
});
