// Due steps commit a chunk at a time (step-batch.ts). A batch must decide exactly what one commit
// per step decides: here two customer emails of one play fall due in the same pass under an
// account cap of one touch a week, so the second must see the first's touch and wait.
import { describe, expect, it } from 'vitest';
import { DAY, playbookWorld, START } from '../../test/support/playbook-world.ts';
import { createMemoryStore } from '../adapters/memory/memory-store.ts';
import type { Playbook } from '../core/playbooks/types.ts';
import type { Store } from './ports.ts';
import { runPlaybooks } from './scheduler.ts';

async function world() {
  const store = createMemoryStore();
  const w = await playbookWorld(store);
  const base = w.deps.playbooks.playbooks.find((p) => p.id === 'usage_limit')!;
  const twoEmails: Playbook = {
    ...base, qualification: { ready: true, disqualifiers: [] },
    steps: [1, 2].map((day) => ({ day, channel: 'email' as const, when: 'always' as const, template: { subject: `day ${day}`, body: '{{evidence}}' } })),
  };
  w.deps.playbooks = { ...w.deps.playbooks, playbooks: [twoEmails], etiquette: { ...w.deps.playbooks.etiquette, accountWeekCap: 1 } };
  w.deps.emailTrait = 'email';
  // open the opportunity and plan the play without running any step yet
  await runPlaybooks(w.deps, w.engine, START, { stepLimit: 0 });
  return { store, ...w };
}

async function snapshot(store: Store) {
  const steps = (await store.listSteps({ account: 'acme' })).map((s) => ({ index: s.index, status: s.status, notBefore: s.notBefore, reason: s.reason }));
  const outbox = (await store.listOutbox({ account: 'acme' })).map((m) => m.key);
  const [opp] = await store.listOpportunities({ account: 'acme' });
  return { steps, outbox, stage: opp?.stage, history: opp?.history.map((h) => h.detail) };
}

describe('step batches', () => {
  it('decide as one commit per step would: the second email waits for the account cap', async () => {
    const batched = await world();
    const r = await runPlaybooks(batched.deps, batched.engine, START + 2 * DAY);
    expect(r.steps).toEqual({ done: 1, skipped: 0, waiting: 1 });

    const single = await world();
    for (let i = 0; i < 4; i++) await runPlaybooks(single.deps, single.engine, START + 2 * DAY, { stepLimit: 1 });

    const a = await snapshot(batched.store);
    expect(a.steps.map((s) => s.status)).toEqual(['done', 'pending']);
    expect(a.steps[1]!.reason).toContain('cap 1');
    expect(a.outbox).toHaveLength(1);
    expect(a).toEqual(await snapshot(single.store));
  });
});
