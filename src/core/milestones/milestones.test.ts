// Milestones from the behaviour table test/fixtures/milestones/cases.json: when each was first
// reached, the stage they give, the first expansion, and who is stalled before which milestone.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toCatalog } from '../../config/catalog-from-config.ts';
import { toEngineSettings } from '../../config/engine-schema.ts';
import { EXAMPLE_CONFIG, loadConfig } from '../../config/load.ts';
import { milestonesConfigSchema, toMilestoneSettings } from '../../config/milestones-schema.ts';
import { configSchema } from '../../config/schema.ts';
import type { TierwiseEvent } from '../events/types.ts';
import { emptyState } from '../state/create.ts';
import { fold } from '../state/fold.ts';
import { DAY_MS, dayOf } from '../state/time.ts';
import { evaluate } from '../scoring/evaluate.ts';
import { checkMilestones, milestoneStage } from './milestones.ts';
import { milestoneReport, STALLED_NEXT_STEP, timelineOf } from './report.ts';

interface Case {
  name: string; traits: Record<string, unknown>; events: [number, string, Record<string, unknown>][]; asOfDay: number;
  reachedDay: Record<string, number | null>; expansionDay: number | null; stage: string | null; stalledAt: string | null;
}
const table = JSON.parse(readFileSync('test/fixtures/milestones/cases.json', 'utf8')) as { milestones: unknown; cases: Case[] };
const cfg = loadConfig(EXAMPLE_CONFIG);
const catalog = toCatalog(cfg);
const offers = toEngineSettings(cfg).offers;
const ms = toMilestoneSettings({ milestones: milestonesConfigSchema.parse(table.milestones) });
const T = Date.UTC(2026, 0, 5, 9);
const at = (day: number) => T + day * DAY_MS;

function eventsOf(c: Case, account: string): TierwiseEvent[] {
  return [
    { id: `${account}-a`, ts: T, account, type: 'account', traits: { employees: 30, ...c.traits } },
    { id: `${account}-s`, ts: T, account, type: 'subscription', plan: 'basic', interval: 'month', mrr: 29900, status: 'active' },
    ...c.events.map(([day, type, f], i) => ({ id: `${account}-${i}`, ts: at(day) + i, account, type, ...f }) as TierwiseEvent),
  ];
}

describe('value-realization milestones (behaviour table)', () => {
  for (const [n, c] of table.cases.entries()) {
    it(c.name, () => {
      const account = `acct${n}`;
      const events = eventsOf(c, account);
      const t = timelineOf(account, events, catalog, ms, offers);
      const days = Object.fromEntries(Object.entries(t.reached).map(([id, ts]) => [id, ts === null ? null : Math.floor((ts - T) / DAY_MS)]));
      expect(days).toEqual(c.reachedDay);
      expect(t.firstExpansionAt === null ? null : Math.floor((t.firstExpansionAt - T) / DAY_MS)).toBe(c.expansionDay);

      // the stage from the state folded up to asOfDay
      const s = emptyState(account);
      for (const e of events) fold(s, e, catalog);
      const stage = milestoneStage(checkMilestones(s, ms[t.segment] ?? [], dayOf(at(c.asOfDay))));
      expect(stage?.stage ?? null).toBe(c.stage);

      const r = milestoneReport([t], ms, at(c.asOfDay));
      expect(r.stalled.map((x) => x.milestone)).toEqual(c.stalledAt ? [c.stalledAt] : []);
      if (c.stalledAt) expect(r.stalled[0]).toMatchObject({ account, nextStep: STALLED_NEXT_STEP, daysSinceSignUp: c.asOfDay });
    });
  }

  it('groups by segment and sign-up cohort with median days and counts', () => {
    const [a, b, c2] = [0, 1, 2].map((i) => timelineOf(`acct${i}`, eventsOf(table.cases[i]!, `acct${i}`), catalog, ms, offers));
    // move the third to a later cohort
    const later = { ...c2!, cohort: '2026-02' };
    const r = milestoneReport([a!, b!, later], ms, at(30));
    expect(r.groups.map((g) => [g.segment, g.cohort, g.accounts])).toEqual([['smb', null, 3], ['smb', '2026-01', 2], ['smb', '2026-02', 1]]);
    const all = r.groups[0]!;
    // first integration on days 2, 1 and 4 (rounded to 0.1 day): median 2
    expect(all.milestones.find((m) => m.id === 'first_integration')).toMatchObject({ name: 'First integration', reached: 3, of: 3 });
    expect(Math.floor(all.milestones.find((m) => m.id === 'first_integration')!.medianDays!)).toBe(2);
    expect(all.milestones.find((m) => m.id === 'five_users')).toMatchObject({ reached: 1, of: 3 });
    expect(all.firstExpansion).toMatchObject({ reached: 1, of: 3 });
    expect(Math.floor(all.firstExpansion.medianDays!)).toBe(20);
    expect(r.stalled.map((s) => s.account)).toEqual(['acct1', 'acct2']);
    expect(milestoneReport([a!, b!], ms, at(30), 'enterprise').groups).toEqual([]);
  });

  it('evaluate: where the segment has milestones they decide the adoption stage; elsewhere the fixed rules stand', () => {
    const settings = toEngineSettings(cfg);
    const withMs = { ...settings, milestones: ms };
    const stateOf = (c: Case, account: string) => {
      const s = emptyState(account);
      for (const e of eventsOf(c, account)) fold(s, e, catalog);
      return s;
    };
    // two active users: the fixed rules say Active Usage, the SMB milestones say not yet
    const smb = stateOf(table.cases[1]!, 'smb1');
    const now = at(table.cases[1]!.asOfDay);
    expect(evaluate(smb, { catalog, settings }, now).stage.stage).toBe('active_usage');
    expect(evaluate(smb, { catalog, settings: withMs }, now).stage).toEqual({ stage: 'initial_adoption', rule: 'milestone "5 active users" not reached: 2 of 5 active users' });
    // all reached: Active Usage, with the milestones as the rule
    const done = stateOf(table.cases[0]!, 'smb0');
    expect(evaluate(done, { catalog, settings: withMs }, at(table.cases[0]!.asOfDay)).stage.rule).toMatch(/^reached every milestone \(First integration, 5 active users, First report\)$/);
    // mid-market has none: the same answer as without milestones
    const mm = stateOf(table.cases[4]!, 'mm');
    expect(evaluate(mm, { catalog, settings: withMs }, at(2)).stage).toEqual(evaluate(mm, { catalog, settings }, at(2)).stage);
  });

  it('a milestone with no condition, or with an unknown feature, is a config error naming where', () => {
    expect(milestonesConfigSchema.safeParse({ smb: [{ id: 'x', when: {} }] }).error?.issues[0]).toMatchObject({ path: ['smb', 0, 'when'], message: expect.stringMatching(/at least one condition/) });
    const bad = { ...cfg, milestones: { smb: [{ id: 'r', when: { feature: 'time_travel' } }] } };
    expect(() => loadConfigFrom(bad)).toThrow(/milestones\.smb\[0\]\.when\.feature|milestones.*smb.*0.*when.*feature/);
  });
});

function loadConfigFrom(raw: unknown): void {
  const r = configSchema.safeParse(raw);
  if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
}
