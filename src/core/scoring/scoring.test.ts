// Stage and score/qualification behaviour tables (test/fixtures/stages, test/fixtures/scores).
import { describe, expect, it } from 'vitest';
import { caseWorld, exampleCatalog, readCases, stateFrom, type WorldCase } from '../../../test/support/fixture-world.ts';
import { evaluate } from './evaluate.ts';
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

interface ScoreExpect { minScore?: number; maxScore?: number; ready?: boolean; reasons?: string[]; contributions?: string[]; target?: string; placeholder?: boolean }

describe('score and qualification table', () => {
  for (const c of readCases<WorldCase & { expect: ScoreExpect }>('scores/cases.json')) {
    it(c.name, () => {
      const ev = run(c);
      const x = c.expect;
      const why = `${ev.score.score}: ${ev.signals.map((s) => `${s.id} ${s.strength} (${s.evidence.sentence})`).join(' | ')} / ${ev.qualification.reasons.join('; ')}`;
      if (x.minScore !== undefined) expect(ev.score.score, why).toBeGreaterThanOrEqual(x.minScore);
      if (x.maxScore !== undefined) expect(ev.score.score, why).toBeLessThanOrEqual(x.maxScore);
      if (x.ready !== undefined) expect(ev.qualification.ready, why).toBe(x.ready);
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
