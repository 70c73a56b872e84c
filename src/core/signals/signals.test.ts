// Every detector against the behaviour table in test/fixtures/signals/cases.json.
import { describe, expect, it } from 'vitest';
import { caseWorld, exampleCatalog, readCases, stateFrom } from '../../../test/support/fixture-world.ts';
import { evaluate } from '../scoring/evaluate.ts';
import { DEFAULT_SETTINGS, type EngineSettings, type SignalSettings } from '../scoring/settings.ts';
import { DETECTORS } from './registry.ts';
import type { PlanProfiles } from './types.ts';

interface SignalExpect { min?: number; max?: number; evidence?: Record<string, unknown>; sentence?: string[] }
interface Case {
  name: string;
  setup: string;
  now?: string;
  profiles?: PlanProfiles;
  events: Record<string, unknown>[];
  expect: Record<string, SignalExpect | null>;
  unmapped?: Record<string, number>;
  /** signal settings that differ from the defaults, per detector */
  settings?: Partial<{ [K in keyof SignalSettings]: Partial<SignalSettings[K]> }>;
}

const catalog = exampleCatalog();

function settingsFor(c: Case): EngineSettings {
  if (!c.settings) return DEFAULT_SETTINGS;
  const signals = { ...DEFAULT_SETTINGS.signals } as Record<string, object>;
  for (const [k, v] of Object.entries(c.settings)) signals[k] = { ...signals[k], ...v };
  return { ...DEFAULT_SETTINGS, signals: signals as unknown as SignalSettings };
}

function runCase(c: Case) {
  const { events, now } = caseWorld(c);
  return evaluate(stateFrom(events, catalog), { catalog, settings: settingsFor(c), profiles: c.profiles }, now, { offer: true });
}

describe('signals table', () => {
  const cases = readCases<Case>('signals/cases.json');
  it('covers every registered detector, firing and not firing', () => {
    for (const d of DETECTORS) {
      expect(cases.some((c) => c.expect[d.id] && c.expect[d.id] !== null), `${d.id} fires in some case`).toBe(true);
      expect(cases.some((c) => c.expect[d.id] === null), `${d.id} stays quiet in some case`).toBe(true);
    }
  });
  for (const c of cases) {
    it(c.name, () => {
      const ev = runCase(c);
      for (const [id, want] of Object.entries(c.expect)) {
        const got = ev.signals.find((s) => s.id === id);
        if (want === null) {
          expect(got, `${id} should not fire: ${got?.evidence.sentence}`).toBeUndefined();
          continue;
        }
        expect(got, `${id} should fire`).toBeDefined();
        if (!got) continue;
        if (want.min !== undefined) expect(got.strength).toBeGreaterThanOrEqual(want.min);
        if (want.max !== undefined) expect(got.strength).toBeLessThanOrEqual(want.max);
        if (want.evidence) expect(got.evidence).toMatchObject(want.evidence);
        for (const s of want.sentence ?? []) expect(got.evidence.sentence).toContain(s);
      }
      if (c.unmapped) expect(ev.unmapped).toEqual(c.unmapped);
    });
  }
});
