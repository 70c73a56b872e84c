// Stage and score/qualification behaviour tables (test/fixtures/stages, test/fixtures/scores).
import { describe, expect, it } from 'vitest';
import { caseWorld, exampleCatalog, readCases, stateFrom, type WorldCase } from '../../../test/support/fixture-world.ts';
import { evaluate } from './evaluate.ts';
import { PRIORITY_TIERS, priorityOf, type PriorityTier } from './priority.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import { scoreOf, scoreValue } from './score.ts';

const catalog = exampleCatalog();
const run = (c: WorldCase) => {
  const { events, now } = caseWorld(c);
  return evaluate(stateFrom(events, catalog), { catalog, settings: DEFAULT_SETTINGS }, now, { offer: true });
};

describe('stage table', () => {
  for (const c of readCases<WorldCase & { expect: { stage: string; rule: string } }>('stages/cases.json')) {
    it(c.name, () => {
      const ev = run(c);
      expect(ev.stage.stage).toBe(c.expect.stage);
      expect(ev.stage.rule).toContain(c.expect.rule);
    });
  }
});

interface ScoreExpect { tier?: PriorityTier; minScore?: number; maxScore?: number; ready?: boolean; reasons?: string[]; contributions?: string[]; target?: string; placeholder?: boolean }

describe('score and qualification table', () => {
  const cases = readCases<WorldCase & { expect: ScoreExpect }>('scores/cases.json');
  it('priority sorts by tier first: ready above not ready above disqualified above nothing to offer', () => {
    const rows = cases.map((c) => run(c).priority).sort((a, b) => b.value - a.value);
    const ranks = rows.map((p) => PRIORITY_TIERS.indexOf(p.tier));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(new Set(rows.map((p) => p.tier)).size).toBe(4);
    // a disqualified account with a high score still sorts under a ready one with a lower score
    const pastDue = cases.find((c) => c.expect.tier === 'disqualified' && c.name.includes('past-due'));
    const ready = cases.find((c) => c.expect.tier === 'ready');
    if (!pastDue || !ready) throw new Error('the table lost its past-due or ready case');
    const [d, r] = [run(pastDue), run(ready)];
    expect(d.priority.value).toBeLessThan(r.priority.value);
    expect(d.priority.reason).toContain('invoice past due');
  });
  it('a model\'s small propensities do not tie inside a tier, and the reason reads them', () => {
    const qualification = run(cases.find((c) => c.expect.tier === 'ready')!).qualification;
    const [a, b] = [0.00031, 0.00042].map((propensity) => priorityOf({ qualification, score: 50, propensity, canceled: false }));
    expect(b!.value).toBeGreaterThan(a!.value);
    expect(a!.reason).toBe('ready; ranked by propensity 0.031%');
    expect(priorityOf({ qualification, score: 50, propensity: 0.1234, canceled: false }).reason).toBe('ready; ranked by propensity 12.3%');
  });
  for (const c of cases) {
    it(c.name, () => {
      const ev = run(c);
      const x = c.expect;
      const why = `${ev.score.score}: ${ev.signals.map((s) => `${s.id} ${s.strength} (${s.evidence.sentence})`).join(' | ')} / ${ev.qualification.reasons.join('; ')}`;
      if (x.minScore !== undefined) expect(ev.score.score, why).toBeGreaterThanOrEqual(x.minScore);
      if (x.maxScore !== undefined) expect(ev.score.score, why).toBeLessThanOrEqual(x.maxScore);
      if (x.ready !== undefined) expect(ev.qualification.ready, why).toBe(x.ready);
      if (x.tier !== undefined) expect(ev.priority.tier, why).toBe(x.tier);
      for (const r of x.reasons ?? []) expect(ev.qualification.reasons.join(' | '), why).toContain(r);
      for (const id of x.contributions ?? []) expect(ev.score.contributions.map((k) => k.id), why).toContain(id);
      if (x.target !== undefined) expect(ev.offer?.target.id).toBe(x.target);
      if (x.placeholder !== undefined) expect(ev.placeholder).toBe(x.placeholder);
      // the contributions add up to the score a CSM sees (before clamping to 0..100)
      const sum = ev.score.contributions.reduce((a, k) => a + k.points, 0);
      expect(Math.round(Math.max(0, Math.min(100, sum)))).toBe(ev.score.score);
      expect(scoreValue(ev.signals, DEFAULT_SETTINGS.scoring)).toBe(scoreOf(ev.signals, DEFAULT_SETTINGS.scoring).score);
    });
  }
});
