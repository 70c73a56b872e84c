// The upsell report over a real pipeline: the example config's playbooks run on a memory store, a
// prompt is shown, the email goes out, the account upgrades; the report reads it all back.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../adapters/memory/memory-store.ts';
import { DEFAULT_UPSELL_SETTINGS } from '../core/metrics/upsell-types.ts';
import { DAY, playbookWorld, START } from '../../test/support/playbook-world.ts';
import { decideFor } from './decide.ts';
import { upsellReport } from './reports.ts';
import { runPlaybooks } from './scheduler.ts';
import { createManualOpportunity } from './sales.ts';

describe('upsellReport', () => {
  it('measures one won offer end to end: channels, realized MRR, credit, activation', async () => {
    const store = createMemoryStore();
    const { deps, engine } = await playbookWorld(store);
    await runPlaybooks(deps, engine, START);
    // plays open nothing on the past-due account (no play can act on it); its CSM raises one by hand
    await createManualOpportunity(deps, engine, { account: 'late', source: 'csm_observation', by: 'dana', now: START });
    const shown = await decideFor(deps, engine, { account: 'acme', user: 'u1', context: { session: 's1' } }, START + 3_600_000);
    expect(shown.show).toBe(true);
    await runPlaybooks(deps, engine, START + 2 * DAY);
    const up = START + 8 * DAY;
    await engine.ingest([{ id: 'acme-up', ts: up, account: 'acme', type: 'subscription', plan: 'pro', interval: 'month', mrr: 74900, status: 'active' }]);
    await runPlaybooks(deps, engine, up + 1);
    const [won] = await store.listOpportunities({ account: 'acme' });
    // Pro adds features over Basic in the example catalog; using one 3 days on activates the upgrade
    const gained = won?.brief.comparison.gainedFeatures[0];
    expect(gained).toBeTypeOf('string');
    await engine.ingest([{ id: 'acme-f1', ts: up + 3 * DAY, account: 'acme', user: 'u1', type: 'feature', feature: gained ?? '' }]);

    const r = await upsellReport(store, { playbooks: deps.playbooks, settings: DEFAULT_UPSELL_SETTINGS, now: up + 31 * DAY });
    expect(r.headline).toMatchObject({ opportunities: 2, offers: 1, upsells: 1, conversion: 1, organicWins: 0, expansionMrr: 45000, realizedFromSubscriptions: 1 });
    expect(r.attribution.byChannel.map((c) => c.key)).toEqual(['email', 'in_app']);
    expect(r.attribution.byPlaybook).toMatchObject([{ key: 'usage_limit', offers: 1, upsells: 1 }]);
    expect(r.credit.people).toEqual([{ person: 'dana', role: 'csm', upsells: 1, shared: 0, creditedArrCents: 45000 * 12 }]);
    expect(r.pipeline.stages.find((s) => s.stage === 'trigger_identified')?.open).toBe(1);
    expect(r.activation.horizons.map((h) => [h.days, h.activated, h.eligible])).toEqual([[14, 1, 1], [30, 1, 1]]);
    expect(r.activation.timeToFirstUse).toMatchObject({ count: 1, medianDays: 3 });
    // the late account's open opportunity is the whole forecast
    expect(r.forecast.lines.map((l) => l.account)).toEqual(['late']);
    await store.close();
  });

  it('reports an empty store as zeros and nulls', async () => {
    const store = createMemoryStore();
    const r = await upsellReport(store, { playbooks: { playbooks: [], team: { members: [], handoffSlaHours: 24, highValueArrCents: 0 }, etiquette: { promptsPerSession: 1, promptsPerUserWeek: 2, accountWeekCap: 3, dismissCooldownDays: 30, sessionGapMinutes: 30, emailGapDays: 3 } }, settings: DEFAULT_UPSELL_SETTINGS });
    expect(r.headline).toMatchObject({ opportunities: 0, offers: 0, conversion: null });
    expect(r.forecast.expectedMrr).toBe(0);
    expect(r.forecastChecks.checks).toEqual([]);
    await store.close();
  });
});
