// On a simulated world (src/sim), accounts the simulator's truth marks ready must rank far above
// the rest. Measure: AUC of the combined score against truth's weekly ready flag.
import { describe, expect, it } from 'vitest';
import { exampleCatalog } from '../../test/support/fixture-world.ts';
import { parseCanonical } from '../sources/canonical.ts';
import { simulateInMemory } from '../sim/world.ts';
import { evaluate } from '../core/scoring/evaluate.ts';
import { ProfileBuilder } from '../core/scoring/profile.ts';
import { DEFAULT_SETTINGS } from '../core/scoring/settings.ts';
import { DETECTORS } from '../core/signals/registry.ts';
import { emptyState } from '../core/state/create.ts';
import { fold } from '../core/state/fold.ts';
import { dayOf } from '../core/state/time.ts';
import type { AccountState } from '../core/state/types.ts';
import { auc } from '../core/model/metrics.ts';

describe('ranking on a simulated world', () => {
  it('the combined score ranks truth-ready accounts far above the rest, and beats every single signal', () => {
    const catalog = exampleCatalog();
    const startMs = Date.parse('2026-01-01T00:00:00Z');
    const world = simulateInMemory({ accounts: 800, days: 64, seed: 7, startMs, catalog });
    const week = 9;
    const now = startMs + (7 * week + 1) * 86_400_000;
    const states = new Map<string, AccountState>();
    for (const line of world.events.split('\n')) {
      if (!line) continue;
      const r = parseCanonical(JSON.parse(line));
      if (!r.ok || r.event.ts >= now) continue;
      let s = states.get(r.event.account);
      if (!s) states.set(r.event.account, (s = emptyState(r.event.account)));
      fold(s, r.event, catalog);
    }
    const pb = new ProfileBuilder();
    for (const s of states.values()) pb.add(s, dayOf(now));
    const env = { catalog, settings: DEFAULT_SETTINGS, profiles: pb.build() };
    const combined: [number, boolean][] = [];
    const single = new Map<string, [number, boolean][]>(DETECTORS.filter((d) => d.kind === 'positive').map((d) => [d.id, []]));
    for (const t of world.truth) {
      const s = states.get(t.account);
      const ready = t.weekly.ready[week];
      if (!s || ready === undefined) continue;
      const ev = evaluate(s, env, now, { offer: false });
      combined.push([ev.score.score, ready]);
      for (const [id, rows] of single) rows.push([ev.signals.find((x) => x.id === id)?.strength ?? 0, ready]);
    }
    const score = auc(combined);
    expect(combined.filter(([, r]) => r).length).toBeGreaterThan(10);
    expect(score).toBeGreaterThan(0.75);
    for (const [id, rows] of single) expect(score, `combined ${score.toFixed(3)} vs ${id} ${auc(rows).toFixed(3)}`).toBeGreaterThan(auc(rows));
  });
});
