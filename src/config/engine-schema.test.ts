import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.ts';
import { toEngineSettings } from './engine-schema.ts';
import { DEFAULT_SETTINGS } from '../core/scoring/settings.ts';
import { readFileSync } from 'node:fs';
import { EXAMPLE_CONFIG } from './load.ts';

const base = readFileSync(EXAMPLE_CONFIG, 'utf8');

describe('engine sections of tierwise.yaml', () => {
  it('absent sections keep DESIGN §4 defaults', () => {
    expect(toEngineSettings(parseConfig(base, 'x.yaml'))).toEqual(DEFAULT_SETTINGS);
  });
  it('a key given overrides only itself', () => {
    const cfg = parseConfig(`${base}
signals: { usage_ceiling: { sustained_days: 3 }, offer_declined: { cooldown_days: 45 } }
scoring: { weights: { feature_gate: 50 }, ready_score: 60 }
offers: { headroom: 0.3, routing: { ae_min_arr_cents: 10000000 }, channels: { smb: [in_app] } }
`, 'x.yaml');
    const s = toEngineSettings(cfg);
    expect(s.signals.usageCeiling).toEqual({ ...DEFAULT_SETTINGS.signals.usageCeiling, sustainedDays: 3 });
    expect(s.signals.offerDeclined.cooldownDays).toBe(45);
    expect(s.scoring.weights).toEqual({ ...DEFAULT_SETTINGS.scoring.weights, feature_gate: 50 });
    expect(s.scoring.readyScore).toBe(60);
    expect(s.offers.headroom).toBe(0.3);
    expect(s.offers.routing).toEqual({ ...DEFAULT_SETTINGS.offers.routing, aeMinArr: 10_000_000 });
    expect(s.offers.channels.smb).toEqual(['in_app']);
    expect(s.offers.channels.enterprise).toEqual(DEFAULT_SETTINGS.offers.channels.enterprise);
  });
  it('rejects unknown signals and out-of-range shares with a path', () => {
    expect(() => parseConfig(`${base}\nscoring: { weights: { magic: 3 } }\n`, 'x.yaml')).toThrow(/scoring\.weights/);
    expect(() => parseConfig(`${base}\nsignals: { usage_ceiling: { sustained_level: 1.5 } }\n`, 'x.yaml')).toThrow(/signals\.usage_ceiling\.sustained_level/);
  });
});
