// A trial starts the trial-conversion play only for accounts in that playbook's audience.
import { describe, expect, it } from 'vitest';
import { playbookWorld, START } from '../../test/support/playbook-world.ts';
import { createMemoryStore } from '../adapters/memory/memory-store.ts';
import type { Audience } from '../core/playbooks/types.ts';
import { runPlaybooks } from './scheduler.ts';
import { startTrial } from './trials.ts';

async function trialWith(audience: (segment: string) => Audience) {
  const store = createMemoryStore();
  const { deps, engine } = await playbookWorld(store);
  await runPlaybooks(deps, engine, START);
  const [opp] = await store.listOpportunities({ account: 'acme', status: 'open' });
  deps.playbooks = { ...deps.playbooks, playbooks: deps.playbooks.playbooks.map((p) => (p.trigger.on === 'trial' ? { ...p, audience: audience(opp!.segment) } : p)) };
  const r = await startTrial(deps, engine, { account: 'acme', now: START + 3_600_000 });
  return { trial: r.trial, plays: r.opportunity!.plays.map((p) => p.playbook), steps: (await store.listSteps({ opportunity: opp!.id })).filter((s) => s.playbook === 'trial_conversion') };
}

describe('trials and the trial-conversion audience', () => {
  it('starts the play for an account in the audience', async () => {
    const r = await trialWith((segment) => ({ segments: [segment as 'smb'], plans: ['basic'] }));
    expect(r.trial).toMatchObject({ plan: 'pro', status: 'active' });
    expect(r.plays).toContain('trial_conversion');
    expect(r.steps).toHaveLength(2);
  });

  it('records the trial but starts no play for an account outside it', async () => {
    const r = await trialWith(() => ({ segments: ['enterprise'] }));
    expect(r.trial).toMatchObject({ plan: 'pro', status: 'active' });
    expect(r.plays).not.toContain('trial_conversion');
    expect(r.steps).toHaveLength(0);
  });
});
