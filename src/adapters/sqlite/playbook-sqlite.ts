// The playbook part of the SQLite store. commitPlaybook is one transaction: a step's new state,
// its outbox message and its touch land together or not at all (crash safety, DESIGN §6).
import type Database from 'better-sqlite3';
import { statementCache } from './statements.ts';
import type { OutboxCounts, OutboxMessage, PlaybookStore, PlaybookWrite, TaskRecord, TrialRecord } from '../../app/ports.ts';
import type { Opportunity } from '../../core/playbooks/opportunity.ts';
import type { Step } from '../../core/playbooks/steps.ts';
import type { Touch } from '../../core/playbooks/touches.ts';

const bodies = <T>(rows: unknown[]): T[] => (rows as { body: string }[]).map((r) => JSON.parse(r.body) as T);

export function createPlaybookSqlite(db: Database.Database): PlaybookStore {
  const stmt = statementCache(db);
  const putOpp = db.prepare(`INSERT INTO pb_opportunities (id, account, status, stage, owner, opened_at, body) VALUES (@id, @account, @status, @stage, @owner, @openedAt, @body)
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, stage = excluded.stage, owner = excluded.owner, body = excluded.body`);
  const putStep = db.prepare(`INSERT INTO pb_steps (id, opportunity, account, status, not_before, body) VALUES (@id, @opportunity, @account, @status, @notBefore, @body)
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, not_before = excluded.not_before, body = excluded.body`);
  const pendingOf = db.prepare(`SELECT body FROM pb_steps WHERE opportunity = ? AND status = 'pending'`);
  const enqueue = db.prepare('INSERT OR IGNORE INTO pb_outbox (key, account, status, next_at, body) VALUES (@key, @account, @status, @nextAt, @body)');
  const putOutbox = db.prepare(`INSERT INTO pb_outbox (key, account, status, next_at, body) VALUES (@key, @account, @status, @nextAt, @body)
    ON CONFLICT (key) DO UPDATE SET status = excluded.status, next_at = excluded.next_at, body = excluded.body`);
  const putTouch = db.prepare('INSERT INTO pb_touches (id, account, at, body) VALUES (@id, @account, @at, @body) ON CONFLICT (id) DO UPDATE SET at = excluded.at, body = excluded.body');
  const putTask = db.prepare(`INSERT INTO pb_tasks (id, account, owner, status, created_at, body) VALUES (@id, @account, @owner, @status, @createdAt, @body)
    ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, status = excluded.status, body = excluded.body`);
  const putTrial = db.prepare(`INSERT INTO pb_trials (id, account, status, started_at, body) VALUES (@id, @account, @status, @startedAt, @body)
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, body = excluded.body`);

  const stepRow = (s: Step) => ({ id: s.id, opportunity: s.opportunity, account: s.account, status: s.status, notBefore: s.notBefore, body: JSON.stringify(s) });
  const outboxRow = (m: OutboxMessage) => ({ key: m.key, account: m.account, status: m.status, nextAt: m.nextAt, body: JSON.stringify(m) });

  const commit = db.transaction((w: PlaybookWrite) => {
    for (const c of w.cancelSteps ?? []) {
      for (const s of bodies<Step>(pendingOf.all(c.opportunity))) putStep.run(stepRow({ ...s, status: 'canceled', at: c.at, reason: c.reason }));
    }
    for (const o of w.opportunities ?? []) putOpp.run({ id: o.id, account: o.account, status: o.status, stage: o.stage, owner: o.owner ?? null, openedAt: o.openedAt, body: JSON.stringify(o) });
    for (const s of w.steps ?? []) putStep.run(stepRow(s));
    for (const m of w.enqueue ?? []) enqueue.run(outboxRow(m));
    for (const m of w.outboxUpdates ?? []) putOutbox.run(outboxRow(m));
    for (const t of w.touches ?? []) putTouch.run({ id: t.id, account: t.account, at: t.at, body: JSON.stringify(t) });
    for (const t of w.tasks ?? []) putTask.run({ id: t.id, account: t.account, owner: t.owner ?? null, status: t.status, createdAt: t.createdAt, body: JSON.stringify(t) });
    for (const t of w.trials ?? []) putTrial.run({ id: t.id, account: t.account, status: t.status, startedAt: t.startedAt, body: JSON.stringify(t) });
  });

  const countOutbox = db.prepare(`SELECT CASE WHEN status = 'pending' AND json_extract(body, '$.attempts') > 0 THEN 'retrying' ELSE status END AS s, count(*) AS n
    FROM pb_outbox GROUP BY s`);
  const allDead = db.prepare(`SELECT body FROM pb_outbox WHERE status = 'dead' ORDER BY key`);
  const deadByKey = db.prepare(`SELECT body FROM pb_outbox WHERE key = ? AND status = 'dead'`);
  const requeue = db.transaction((keys: readonly string[] | 'all'): OutboxMessage[] => {
    const dead = keys === 'all' ? bodies<OutboxMessage>(allDead.all())
      : [...new Set(keys)].sort().flatMap((k) => bodies<OutboxMessage>(deadByKey.all(k)));
    const out = dead.map((m): OutboxMessage => ({ ...m, status: 'pending', attempts: 0, nextAt: m.createdAt }));
    for (const m of out) putOutbox.run(outboxRow(m));
    return out;
  });

  /** WHERE clause from the defined filters; values go in as named parameters, never into the SQL text. */
  const where = (parts: [string, unknown][]): { sql: string; params: Record<string, unknown> } => {
    const used = parts.filter(([, v]) => v !== undefined);
    const params: Record<string, unknown> = {};
    used.forEach(([, v], i) => { params[`p${i}`] = v; });
    return { sql: used.length ? `WHERE ${used.map(([c], i) => `${c.includes('?') ? c.replace('?', `@p${i}`) : `${c} = @p${i}`}`).join(' AND ')}` : '', params };
  };
  const lim = (n: number | undefined): string => (n === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(n))}`);

  return {
    async commitPlaybook(w) { commit(w); },
    async getOpportunity(id) {
      const r = stmt('SELECT body FROM pb_opportunities WHERE id = ?').get(id) as { body: string } | undefined;
      return r ? (JSON.parse(r.body) as Opportunity) : undefined;
    },
    async listOpportunities(q = {}) {
      const w = where([['account', q.account], ['status', q.status], ['stage', q.stage], ['owner', q.owner]]);
      return bodies<Opportunity>(stmt(`SELECT body FROM pb_opportunities ${w.sql} ORDER BY opened_at DESC, id`).all(w.params));
    },
    async listSteps(q = {}) {
      const w = where([['opportunity', q.opportunity], ['account', q.account], ['status', q.dueBy === undefined ? q.status : 'pending'], ['not_before <= ?', q.dueBy]]);
      if (q.dueBy !== undefined && q.status !== undefined && q.status !== 'pending') return [];
      return bodies<Step>(stmt(`SELECT body FROM pb_steps ${w.sql} ORDER BY not_before, id${lim(q.limit)}`).all(w.params));
    },
    async listTouches(account, since) {
      return bodies<Touch>(stmt('SELECT body FROM pb_touches WHERE account = ? AND at >= ? ORDER BY at, id').all(account, since));
    },
    async getTouch(id) {
      const r = stmt('SELECT body FROM pb_touches WHERE id = ?').get(id) as { body: string } | undefined;
      return r ? (JSON.parse(r.body) as Touch) : undefined;
    },
    async listOutbox(q = {}) {
      const w = where([['status', q.status], ['account', q.account], ['next_at <= ?', q.dueBy]]);
      return bodies<OutboxMessage>(stmt(`SELECT body FROM pb_outbox ${w.sql} ORDER BY next_at, key${lim(q.limit)}`).all(w.params));
    },
    async countOutbox() {
      const c: OutboxCounts = { pending: 0, retrying: 0, dead: 0, delivered: 0 };
      for (const r of countOutbox.all() as { s: keyof OutboxCounts; n: number }[]) c[r.s] = r.n;
      return c;
    },
    async requeueDead(keys) { return requeue(keys); },
    async listTasks(q = {}) {
      const w = where([['account', q.account], ['owner', q.owner], ['status', q.status]]);
      return bodies<TaskRecord>(stmt(`SELECT body FROM pb_tasks ${w.sql} ORDER BY created_at, id`).all(w.params));
    },
    async listTrials(q = {}) {
      const w = where([['account', q.account], ['status', q.status]]);
      return bodies<TrialRecord>(stmt(`SELECT body FROM pb_trials ${w.sql} ORDER BY started_at, id`).all(w.params));
    },
  };
}
