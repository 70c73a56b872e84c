// The columnar kernel against evaluate(): the same score, stage, readiness, tier and priority for
// every account of a simulated world at several moments, and for every behaviour-table case.
import { describe, expect, it } from 'vitest';
import { caseWorld, readCases, stateFrom, type WorldCase } from '../../../test/support/fixture-world.ts';
import { parseCanonical } from '../../sources/canonical.ts';
import { exampleCatalog, smallWorld } from '../../sim/test-world.ts';
import type { TierwiseEvent } from '../events/types.ts';
import { DETECTORS } from '../signals/registry.ts';
import type { PlanProfiles } from '../signals/types.ts';
import { emptyState } from '../state/create.ts';
import { fold } from '../state/fold.ts';
import { DAY_MS, dayOf } from '../state/time.ts';
import type { AccountState } from '../state/types.ts';
import { extractRow, ScoreColumns, SIGNAL_ORDER } from './columns.ts';
import { evaluate } from './evaluate.ts';
import { kernelOut, rescoreColumns } from './kernel.ts';
import { PRIORITY_TIERS } from './priority.ts';
import { ProfileBuilder } from './profile.ts';
import { DEFAULT_SETTINGS, type EngineSettings, type SignalSettings } from './settings.ts';
import { STAGES } from './stage.ts';

const catalog = exampleCatalog();

interface Row { account: string; score: number; stage: string; ready: boolean; tier: string; priority: number }

function byEvaluate(states: readonly AccountState[], settings: EngineSettings, profiles: PlanProfiles | undefined, now: number): Row[] {
  return states.map((s) => {
    const ev = evaluate(s, { catalog, settings, profiles }, now, { offer: false });
    return { account: s.account, score: ev.score.score, stage: ev.stage.stage, ready: ev.qualification.ready, tier: ev.priority.tier, priority: ev.priority.value };
  });
}

function byKernel(states: readonly AccountState[], settings: EngineSettings, profiles: PlanProfiles | undefined, now: number): { rows: Row[]; profiles: PlanProfiles } {
  const cols = new ScoreColumns(4);
  states.forEach((s, i) => extractRow(cols, i, s, { catalog, settings }, dayOf(now)));
  const out = kernelOut(states.length);
  const used = rescoreColumns(cols, states.length, { catalog, settings, profiles }, now, out);
  const rows = states.map((s, i) => ({
    account: s.account, score: out.score[i]!, stage: STAGES[out.stage[i]!]!, ready: out.ready[i] === 1, tier: PRIORITY_TIERS[out.tier[i]!]!, priority: out.priority[i]!,
  }));
  return { rows, profiles: used };
}

describe('columnar rescore kernel', () => {
  it('adds points in the registry order', () => {
    expect(SIGNAL_ORDER).toEqual(DETECTORS.map((d) => d.id));
  });

  it('gives every account of a simulated world what evaluate() gives, at several moments', () => {
    const world = smallWorld(300, 60, 17);
    const events: TierwiseEvent[] = [];
    for (const line of world.events.split('\n')) {
      if (!line) continue;
      const r = parseCanonical(JSON.parse(line));
      if (r.ok) events.push(r.event);
    }
    events.sort((a, b) => a.ts - b.ts);
    const start = events[0]!.ts;
    const end = events[events.length - 1]!.ts;
    // mid-day and just before midnight while events arrive, then after they stop (windows empty, renewals near)
    const moments = [start + 20.5 * DAY_MS, start + 40 * DAY_MS + 7_000, dayOf(end) * DAY_MS + DAY_MS - 1, end + 45 * DAY_MS + 3_600_000, end + 200 * DAY_MS];
    const states = new Map<string, AccountState>();
    let k = 0;
    let compared = 0;
    const seen = { ready: 0, tiers: new Set<string>(), stages: new Set<string>() };
    for (const now of moments) {
      for (; k < events.length && events[k]!.ts <= now; k++) {
        const e = events[k]!;
        let s = states.get(e.account);
        if (!s) states.set(e.account, (s = emptyState(e.account)));
        fold(s, e, catalog);
      }
      const all = [...states.values()];
      const pb = new ProfileBuilder();
      for (const s of all) pb.add(s, dayOf(now));
      const profiles = pb.build();
      const want = byEvaluate(all, DEFAULT_SETTINGS, profiles, now);
      const got = byKernel(all, DEFAULT_SETTINGS, undefined, now);
      for (const p of catalog.plans) expect(got.profiles[p.id], `profile of ${p.id}`).toEqual(profiles[p.id]);
      expect(got.rows).toEqual(want);
      // the ready bar at a score some accounts have exactly, and a live signal as a disqualifier
      const scores = want.map((r) => r.score).filter((x) => x > 0).sort((a, b) => a - b);
      const edge: EngineSettings = { ...DEFAULT_SETTINGS, scoring: { ...DEFAULT_SETTINGS.scoring, readyScore: scores[scores.length >> 1] ?? 1, disqualifiers: ['low_nps', 'declining_usage'] } };
      expect(byKernel(all, edge, undefined, now).rows).toEqual(byEvaluate(all, edge, profiles, now));
      compared += all.length;
      for (const r of want) { if (r.ready) seen.ready++; seen.tiers.add(r.tier); seen.stages.add(r.stage); }
    }
    // the comparison means something only if the world shows the range of outcomes
    expect(compared).toBeGreaterThan(1000);
    expect(seen.ready).toBeGreaterThan(0);
    expect(seen.tiers.size).toBeGreaterThanOrEqual(3);
    expect(seen.stages.size).toBeGreaterThanOrEqual(3);
  });

  it('decides the signals that move within a day at the kernel\'s moment, hour by hour across their edges', () => {
    // a ready account (the scores table's first case), then an NPS answer, a decline and a renewal near their edges
    const s = stateFrom(caseWorld(readCases<WorldCase>('scores/cases.json')[0]!).events, catalog);
    const t0 = Date.UTC(2026, 2, 15, 12);
    s.nps = 4;
    s.npsTs = t0 - 180 * DAY_MS + 5 * 3_600_000;
    s.lastDeclineTs = t0 - 30 * DAY_MS + 7 * 3_600_000;
    s.renewalTs = t0 + 90 * DAY_MS + 30 * 60_000;
    const yearly: AccountState = { ...s, account: 'yearly', renewalTs: 0, interval: 'year', anchorTs: Date.UTC(2025, 5, 14, 13) };
    let differs = 0;
    for (let h = -30; h <= 30; h++) {
      const now = t0 + h * 3_600_000;
      const got = byKernel([s, yearly], DEFAULT_SETTINGS, undefined, now).rows;
      expect(got).toEqual(byEvaluate([s, yearly], DEFAULT_SETTINGS, undefined, now));
      if (got[0]!.score !== byKernel([s], DEFAULT_SETTINGS, undefined, t0 - 30 * 3_600_000).rows[0]!.score) differs++;
    }
    // the sweep crossed at least one edge
    expect(differs).toBeGreaterThan(0);
  });

  it('refuses a row extracted for another day', () => {
    const cols = new ScoreColumns(1);
    extractRow(cols, 0, stateFrom([], catalog), { catalog, settings: DEFAULT_SETTINGS }, 100);
    expect(() => rescoreColumns(cols, 1, { catalog, settings: DEFAULT_SETTINGS }, 101 * DAY_MS, kernelOut(1))).toThrow(/day 100/);
  });
});

interface TableCase extends WorldCase {
  name: string;
  profiles?: PlanProfiles;
  settings?: Partial<{ [K in keyof SignalSettings]: Partial<SignalSettings[K]> }>;
}

function settingsFor(c: TableCase): EngineSettings {
  if (!c.settings) return DEFAULT_SETTINGS;
  const signals = { ...DEFAULT_SETTINGS.signals } as Record<string, object>;
  for (const [key, v] of Object.entries(c.settings)) signals[key] = { ...signals[key], ...v };
  return { ...DEFAULT_SETTINGS, signals: signals as unknown as SignalSettings };
}

describe('columnar rescore kernel on the behaviour tables', () => {
  for (const table of ['signals/cases.json', 'stages/cases.json', 'scores/cases.json']) {
    for (const c of readCases<TableCase>(table)) {
      it(`${table}: ${c.name}`, () => {
        const { events, now } = caseWorld(c);
        const s = stateFrom(events, catalog);
        const settings = settingsFor(c);
        expect(byKernel([s], settings, c.profiles, now).rows).toEqual(byEvaluate([s], settings, c.profiles, now));
      });
    }
  }
});
