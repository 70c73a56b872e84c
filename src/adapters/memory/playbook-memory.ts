// The playbook part of the in-memory store: opportunities, steps, outbox, touches, tasks, trials.
import type { OutboxCounts, OutboxMessage, PlaybookStore, PlaybookWrite, TaskRecord, TrialRecord } from '../../app/ports.ts';
import type { Opportunity } from '../../core/playbooks/opportunity.ts';
import type { Step } from '../../core/playbooks/steps.ts';
import type { Touch } from '../../core/playbooks/touches.ts';

const clone = <T>(v: T): T => structuredClone(v);
const byKey = <T>(get: (t: T) => [number, string]) => (a: T, b: T): number => {
  const [x, k] = get(a); const [y, l] = get(b);
  return x - y || (k < l ? -1 : k > l ? 1 : 0);
};

export function createPlaybookMemory(): PlaybookStore {
  const opps = new Map<string, Opportunity>();
  const steps = new Map<string, Step>();
  const outbox = new Map<string, OutboxMessage>();
  const touches = new Map<string, Touch>();
  const tasks = new Map<string, TaskRecord>();
  const trials = new Map<string, TrialRecord>();

  return {
    async commitPlaybook(w: PlaybookWrite) {
      // cloned first: nothing below can throw, so a write lands whole like the SQLite transaction
      const copy = clone(w);
      for (const c of copy.cancelSteps ?? []) {
        for (const s of steps.values()) {
          if (s.opportunity === c.opportunity && s.status === 'pending') steps.set(s.id, { ...s, status: 'canceled', at: c.at, reason: c.reason });
        }
      }
      for (const o of copy.opportunities ?? []) opps.set(o.id, o);
      for (const s of copy.steps ?? []) steps.set(s.id, s);
      for (const m of copy.enqueue ?? []) if (!outbox.has(m.key)) outbox.set(m.key, m);
      for (const m of copy.outboxUpdates ?? []) outbox.set(m.key, m);
      for (const t of copy.touches ?? []) touches.set(t.id, t);
      for (const t of copy.tasks ?? []) tasks.set(t.id, t);
      for (const t of copy.trials ?? []) trials.set(t.id, t);
    },
    async getOpportunity(id) {
      const o = opps.get(id);
      return o ? clone(o) : undefined;
    },
    async listOpportunities(q = {}) {
      return [...opps.values()]
        .filter((o) => (q.account === undefined || o.account === q.account) && (q.status === undefined || o.status === q.status)
          && (q.stage === undefined || o.stage === q.stage) && (q.owner === undefined || o.owner === q.owner))
        .sort(byKey((o) => [-o.openedAt, o.id])).map(clone);
    },
    async listSteps(q = {}) {
      const out = [...steps.values()]
        .filter((s) => (q.opportunity === undefined || s.opportunity === q.opportunity) && (q.account === undefined || s.account === q.account)
          && (q.status === undefined || s.status === q.status) && (q.dueBy === undefined || (s.status === 'pending' && s.notBefore <= q.dueBy)))
        .sort(byKey((s) => [s.notBefore, s.id]));
      return (q.limit === undefined ? out : out.slice(0, q.limit)).map(clone);
    },
    async listTouches(account, since) {
      return [...touches.values()].filter((t) => t.account === account && t.at >= since).sort(byKey((t) => [t.at, t.id])).map(clone);
    },
    async getTouch(id) {
      const t = touches.get(id);
      return t ? clone(t) : undefined;
    },
    async listOutbox(q = {}) {
      const out = [...outbox.values()]
        .filter((m) => (q.status === undefined || m.status === q.status) && (q.account === undefined || m.account === q.account) && (q.dueBy === undefined || m.nextAt <= q.dueBy))
        .sort(byKey((m) => [m.nextAt, m.key]));
      return (q.limit === undefined ? out : out.slice(0, q.limit)).map(clone);
    },
    async countOutbox() {
      const c: OutboxCounts = { pending: 0, retrying: 0, dead: 0, delivered: 0 };
      for (const m of outbox.values()) c[m.status === 'pending' && m.attempts > 0 ? 'retrying' : m.status]++;
      return c;
    },
    async requeueDead(keys) {
      const dead = keys === 'all' ? [...outbox.values()].filter((m) => m.status === 'dead')
        : [...new Set(keys)].map((k) => outbox.get(k)).filter((m): m is OutboxMessage => m?.status === 'dead');
      const out = dead.map((m): OutboxMessage => ({ ...m, status: 'pending', attempts: 0, nextAt: m.createdAt })).sort(byKey((m) => [0, m.key]));
      for (const m of out) outbox.set(m.key, clone(m));
      return out;
    },
    async listTasks(q = {}) {
      return [...tasks.values()]
        .filter((t) => (q.account === undefined || t.account === q.account) && (q.owner === undefined || t.owner === q.owner) && (q.status === undefined || t.status === q.status))
        .sort(byKey((t) => [t.createdAt, t.id])).map(clone);
    },
    async listTrials(q = {}) {
      return [...trials.values()]
        .filter((t) => (q.account === undefined || t.account === q.account) && (q.status === undefined || t.status === q.status))
        .sort(byKey((t) => [t.startedAt, t.id])).map(clone);
    },
  };
}
