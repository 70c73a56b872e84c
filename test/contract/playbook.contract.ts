// The playbook half of the store contract: opportunities, steps, outbox, touches, tasks, trials.
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { OutboxMessage, Store } from '../../src/app/ports.ts';
import { advance, openOpportunity, type Opportunity } from '../../src/core/playbooks/opportunity.ts';
import type { Playbook } from '../../src/core/playbooks/types.ts';
import { createExperiment, listExperiments, reportExperiment } from '../../src/app/experiments.ts';
import type { Step } from '../../src/core/playbooks/steps.ts';

const T0 = Date.parse('2026-03-01T09:00:00Z');
const D = 86_400_000;

const brief = { evidence: ['api_calls at 85% of the 10,000 limit'], roi: { multiple: 8, annualValueCents: 1, annualCostCents: 1 },
  comparison: { from: 'basic', to: 'pro', gainedFeatures: ['sso'], limits: [] }, price: { monthlyDeltaCents: 45000, arrDeltaCents: 540000 } };
export const opp = (id: string, account: string, at = T0): Opportunity => openOpportunity({
  id, account, fromPlan: 'basic', target: 'pro', targetName: 'Pro', route: 'csm', segment: 'smb', arrDeltaCents: 540000, monthlyDeltaCents: 45000, score: 60, brief,
}, 'usage_limit', 'api_calls at 85%', at);
const step = (id: string, o: string, due: number, status: Step['status'] = 'pending'): Step =>
  ({ id, opportunity: o, account: 'a1', playbook: 'usage_limit', index: 0, channel: 'email', when: 'always', dueAt: due, notBefore: due, status });
const msg = (key: string, nextAt: number, payload = '{"n":1}'): OutboxMessage =>
  ({ key, channel: 'webhook', account: 'a1', payload, status: 'pending', attempts: 0, nextAt, createdAt: T0 });

export function playbookContract(name: string, open: () => Promise<Store>): void {
  describe(`playbook store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => { store = await open(); });
    afterEach(async () => { await store.close(); });

    it('keeps opportunities with their history and filters by account, status, stage and owner', async () => {
      const a = opp('o1', 'a1');
      const b = advance({ ...opp('o2', 'a2', T0 + D), owner: 'dana', ownerRole: 'csm' }, 'qualified', T0 + D, 'ready');
      await store.commitPlaybook({ opportunities: [a, b] });
      expect(await store.getOpportunity('o2')).toEqual(b);
      expect((await store.listOpportunities()).map((o) => o.id)).toEqual(['o2', 'o1']);
      expect((await store.listOpportunities({ account: 'a1' })).map((o) => o.id)).toEqual(['o1']);
      expect((await store.listOpportunities({ stage: 'qualified' })).map((o) => o.id)).toEqual(['o2']);
      expect((await store.listOpportunities({ owner: 'dana', status: 'open' })).map((o) => o.id)).toEqual(['o2']);
      expect(await store.getOpportunity('nope')).toBeUndefined();
      expect((await store.getOpportunity('o2'))?.history.map((h) => h.event)).toEqual(['opened', 'stage']);
    });

    it('keeps a manual opportunity\'s source and sales record (qualification, hand-offs, quotes, loss, credit) as they are', async () => {
      // the sales motion adds no table and no store method: it lives in the opportunity (docs/adr/0008-sales-motion.md)
      const o: Opportunity = {
        ...opp('o3', 'a3'), source: 'csm_observation', status: 'lost', stage: 'closed_lost', closedAt: T0 + 2 * D,
        sales: {
          qualification: { budget: { met: true, note: 'FY26', by: 'dana', at: T0 + D } },
          handoffs: [{ from: 'dana', to: 'sam', at: T0 + D, dueAt: T0 + 3 * D, intro: 'warm', decision: 'bounced', decidedAt: T0 + D + 1, reason: 'no approver' }],
          quotes: [{ id: 'o3:q1', discountPct: 20, termMonths: 12, at: T0 + D, by: 'sam', allowedPct: 10, status: 'refused', decidedBy: 'vp', decidedAt: T0 + D, reason: 'term' }],
          loss: { reason: 'timing', note: 'next quarter', by: 'dana', at: T0 + 2 * D },
          credit: [{ person: 'dana', role: 'csm', pct: 100, arrCents: 540000 }],
        },
      };
      await store.commitPlaybook({ opportunities: [o] });
      expect(await store.getOpportunity('o3')).toEqual(o);
      expect((await store.listOpportunities({ status: 'lost' })).map((x) => x.sales?.loss?.reason)).toEqual(['timing']);
    });

    it('lists due pending steps by time and cancels only pending steps of an opportunity', async () => {
      await store.commitPlaybook({ steps: [step('s3', 'o1', T0 + 6 * D), step('s1', 'o1', T0), step('s2', 'o1', T0 + 2 * D), step('x', 'o2', T0, 'done')] });
      expect((await store.listSteps({ dueBy: T0 + 2 * D })).map((s) => s.id)).toEqual(['s1', 's2']);
      expect((await store.listSteps({ dueBy: T0 + 9 * D, limit: 1 })).map((s) => s.id)).toEqual(['s1']);
      await store.commitPlaybook({ steps: [{ ...step('s1', 'o1', T0), status: 'done', at: T0 }], cancelSteps: [{ opportunity: 'o1', reason: 'won', at: T0 + D }] });
      const all = await store.listSteps({ opportunity: 'o1' });
      expect(all.map((s) => [s.id, s.status])).toEqual([['s1', 'done'], ['s2', 'canceled'], ['s3', 'canceled']]);
      expect(all[1]?.reason).toBe('won');
      expect(await store.listSteps({ dueBy: T0 + 9 * D })).toEqual([]);
    });

    it('enqueues an outbox message once per idempotency key; updates replace it', async () => {
      await store.commitPlaybook({ enqueue: [msg('k1', T0), msg('k2', T0 + D)] });
      await store.commitPlaybook({ enqueue: [msg('k1', T0, '{"n":2}')] });
      expect((await store.listOutbox()).map((m) => [m.key, m.payload])).toEqual([['k1', '{"n":1}'], ['k2', '{"n":1}']]);
      await store.commitPlaybook({ outboxUpdates: [{ ...msg('k1', T0), status: 'delivered', attempts: 1, deliveredAt: T0 }] });
      expect((await store.listOutbox({ status: 'pending', dueBy: T0 + D })).map((m) => m.key)).toEqual(['k2']);
      expect((await store.listOutbox({ status: 'pending', dueBy: T0 })).map((m) => m.key)).toEqual([]);
      expect((await store.listOutbox({ status: 'delivered' }))[0]).toMatchObject({ key: 'k1', attempts: 1, deliveredAt: T0 });
    });

    it('counts the outbox per delivery state and requeues dead letters, all of them or by key', async () => {
      expect(await store.countOutbox()).toEqual({ pending: 0, retrying: 0, dead: 0, delivered: 0 });
      const dead = (key: string, createdAt: number): OutboxMessage => ({ ...msg(key, createdAt + 9 * D), createdAt, status: 'dead', attempts: 3, lastError: 'webhook answered 500' });
      await store.commitPlaybook({
        enqueue: [msg('p1', T0), { ...msg('r1', T0 + D), attempts: 2, lastError: 'webhook answered 503' }, { ...msg('ok', T0), status: 'delivered', attempts: 1, deliveredAt: T0 },
          dead('d2', T0 + D), dead('d1', T0), dead('d3', T0 + 2 * D)],
      });
      expect(await store.countOutbox()).toEqual({ pending: 1, retrying: 1, dead: 3, delivered: 1 });

      // by key: only dead letters move; unknown and live keys are left alone
      const one = await store.requeueDead(['d2', 'p1', 'ok', 'nope', 'd2']);
      expect(one.map((m) => m.key)).toEqual(['d2']);
      expect(one[0]).toMatchObject({ status: 'pending', attempts: 0, nextAt: T0 + D, createdAt: T0 + D, lastError: 'webhook answered 500', payload: '{"n":1}' });
      expect((await store.listOutbox({ status: 'pending', dueBy: T0 + D })).map((m) => m.key)).toEqual(['p1', 'd2', 'r1']);
      expect((await store.listOutbox({ status: 'delivered' })).map((m) => m.attempts)).toEqual([1]);
      expect((await store.listOutbox({ account: 'a1' })).find((m) => m.key === 'r1')).toMatchObject({ status: 'pending', attempts: 2 });
      expect(await store.countOutbox()).toEqual({ pending: 2, retrying: 1, dead: 2, delivered: 1 });

      // all: the rest of the dead letters, by key; a second call finds none
      expect((await store.requeueDead('all')).map((m) => [m.key, m.attempts, m.nextAt])).toEqual([['d1', 0, T0], ['d3', 0, T0 + 2 * D]]);
      expect(await store.requeueDead('all')).toEqual([]);
      expect(await store.listOutbox({ status: 'dead' })).toEqual([]);
      expect(await store.countOutbox()).toEqual({ pending: 4, retrying: 1, dead: 0, delivered: 1 });
    });

    it('keeps touches per account in time order, and tasks and trials with their filters', async () => {
      await store.commitPlaybook({
        touches: [{ id: 't2', account: 'a1', channel: 'email', at: T0 + D }, { id: 't1', account: 'a1', channel: 'in_app', at: T0, user: 'u1', session: 's' },
          { id: 't3', account: 'a2', channel: 'in_app', at: T0 }],
        tasks: [{ id: 'k1', account: 'a1', opportunity: 'o1', playbook: 'usage_limit', role: 'csm', owner: 'dana', title: 'Call', body: 'b', brief, createdAt: T0, dueAt: T0 + D, status: 'open' }],
        trials: [{ id: 'tr1', account: 'a1', plan: 'pro', fromPlan: 'basic', startedAt: T0, endsAt: T0 + 14 * D, status: 'active' }],
      });
      expect((await store.listTouches('a1', 0)).map((t) => t.id)).toEqual(['t1', 't2']);
      expect((await store.listTouches('a1', T0 + 1)).map((t) => t.id)).toEqual(['t2']);
      await store.commitPlaybook({ touches: [{ id: 't1', account: 'a1', channel: 'in_app', at: T0, user: 'u1', outcome: 'dismissed', outcomeAt: T0 + 5 }] });
      expect(await store.getTouch('t1')).toMatchObject({ outcome: 'dismissed', outcomeAt: T0 + 5 });
      expect((await store.listTasks({ owner: 'dana' })).map((t) => t.id)).toEqual(['k1']);
      expect(await store.listTasks({ owner: 'sam' })).toEqual([]);
      expect((await store.listTrials({ account: 'a1', status: 'active' })).map((t) => t.id)).toEqual(['tr1']);
      expect(await store.listTrials({ status: 'expired' })).toEqual([]);
    });

    it('keeps experiments (meta values) and the arms tagged on opportunities and steps, for the report', async () => {
      const playbooks = [{ id: 'usage_limit', name: 'Usage limit', steps: [{ day: 1, channel: 'in_app', when: 'always', template: { body: 'x' } }] }] as unknown as Playbook[];
      const input = { id: 'copy', playbook: 'usage_limit', factor: 'copy', holdout: 0.1, variants: [{ id: 'a', template: { body: 'A' } }, { id: 'b', template: { body: 'B' } }] };
      const e = await createExperiment(store, input, playbooks, T0);
      await expect(createExperiment(store, input, playbooks, T0)).rejects.toThrow('experiment "copy" exists');
      expect(await listExperiments(store)).toEqual([e]);
      const arms = [{ experiment: 'copy', arm: 'b' }];
      await store.commitPlaybook({ opportunities: [{ ...opp('o1', 'a1'), arms }, { ...opp('o2', 'a2'), arms: [{ experiment: 'copy', arm: 'holdout' }] }], steps: [{ ...step('s1', 'o1', T0), arms }] });
      expect((await store.getOpportunity('o1'))!.arms).toEqual(arms);
      expect((await store.listSteps({ opportunity: 'o1' }))[0]!.arms).toEqual(arms);
      const r = await reportExperiment(store, 'copy', undefined, T0);
      expect(r.arms.map((x) => [x.arm, x.accounts])).toEqual([['holdout', 1], ['a', 0], ['b', 1]]);
    });
  });
}
