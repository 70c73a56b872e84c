// The scheduler skips accounts whose last score no playbook trigger could fire on (prefilter.ts).
// That is safe only if it never rules out an account the full trigger would take: checked on every
// account of a simulated world, at several moments, against the example config's playbooks.
import { describe, expect, it } from 'vitest';
import { exampleCatalog } from '../../test/support/fixture-world.ts';
import { toEngineSettings } from '../config/engine-schema.ts';
import { EXAMPLE_CONFIG, loadConfig } from '../config/load.ts';
import { toPlaybookSettings } from '../config/playbooks-schema.ts';
import { mayTrigger } from '../core/playbooks/prefilter.ts';
import { triggerMatch } from '../core/playbooks/trigger.ts';
import { evaluate } from '../core/scoring/evaluate.ts';
import { ProfileBuilder } from '../core/scoring/profile.ts';
import { emptyState } from '../core/state/create.ts';
import { fold } from '../core/state/fold.ts';
import { dayOf } from '../core/state/time.ts';
import type { AccountState } from '../core/state/types.ts';
import { simulateInMemory } from '../sim/world.ts';
import { parseCanonical } from '../sources/canonical.ts';

describe('scheduler prefilter', () => {
  it('never rules out an account a playbook trigger fires on, and rules most others out', () => {
    const cfg = loadConfig(EXAMPLE_CONFIG);
    const catalog = exampleCatalog();
    const settings = toEngineSettings(cfg);
    const { playbooks } = toPlaybookSettings(cfg);
    const startMs = Date.parse('2026-01-01T00:00:00Z');
    const world = simulateInMemory({ accounts: 400, days: 90, seed: 11, startMs, catalog });
    const events = world.events.split('\n').filter(Boolean).map((l) => parseCanonical(JSON.parse(l))).flatMap((r) => (r.ok ? [r.event] : []));
    let fired = 0;
    let ruledOut = 0;
    for (const day of [30, 60, 89]) {
      const now = startMs + day * 86_400_000;
      const states = new Map<string, AccountState>();
      for (const e of events) {
        if (e.ts >= now) break;
        let s = states.get(e.account);
        if (!s) states.set(e.account, (s = emptyState(e.account)));
        fold(s, e, catalog);
      }
      const pb = new ProfileBuilder();
      for (const s of states.values()) pb.add(s, dayOf(now));
      const env = { catalog, settings, profiles: pb.build() };
      for (const s of states.values()) {
        const ev = evaluate(s, env, now, { offer: true });
        const summary = { signals: ev.signals.filter((x) => x.kind === 'positive').map((x) => x.id), score: ev.score.score, stage: ev.stage.stage };
        const full = ev.offer !== null && playbooks.some((p) => triggerMatch(p, ev, ev.offer!.routing.segment, ev.offer!.routing.route).ok);
        if (full) fired++;
        if (!mayTrigger(playbooks, summary)) {
          ruledOut++;
          expect(full, `${s.account} at day ${day}`).toBe(false);
        }
      }
    }
    expect(fired).toBeGreaterThan(20);
    expect(ruledOut).toBeGreaterThan(fired);
  });
});
