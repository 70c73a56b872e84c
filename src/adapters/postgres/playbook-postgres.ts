// The playbook part of the PostgreSQL store. commitPlaybook is one transaction, as in SQLite: a step's
// new state, its outbox message and its touch land together or not at all.
import type { OutboxCounts, OutboxMessage, PlaybookStore, PlaybookWrite, TaskRecord, TrialRecord } from '../../app/ports.ts';
import { partitionOf } from '../../app/partitions.ts';
import type { Opportunity } from '../../core/playbooks/opportunity.ts';
import type { Step } from '../../core/playbooks/steps.ts';
import type { Touch } from '../../core/playbooks/touches.ts';
import type { Runner, Sql, Tx } from './connect.ts';

const bodies = <T>(rows: readonly { body: string }[]): T[] => rows.map((r) => JSON.parse(r.body) as T);
const col = <T, V>(xs: readonly T[], f: (x: T) => V): V[] => xs.map(f);

async function putSteps(tx: Tx, steps: readonly Step[]): Promise<void> {
  if (steps.length === 0) return;
  await tx.unsafe(`INSERT INTO pb_steps (id, opportunity, account, part, status, not_before, body)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::bigint[], $7::text[])
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, not_before = excluded.not_before, body = excluded.body, claimed_until = NULL`,
  [col(steps, (s) => s.id), col(steps, (s) => s.opportunity), col(steps, (s) => s.account), col(steps, (s) => partitionOf(s.account)),
    col(steps, (s) => s.status), col(steps, (s) => s.notBefore), col(steps, (s) => JSON.stringify(s))] as never[]);
}

async function putOutbox(tx: Runner, ms: readonly OutboxMessage[], onConflict: 'ignore' | 'replace'): Promise<void> {
  if (ms.length === 0) return;
  await tx.unsafe(`INSERT INTO pb_outbox (key, account, status, attempts, next_at, body)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::text[])
    ON CONFLICT (key) DO ${onConflict === 'ignore' ? 'NOTHING'
    : 'UPDATE SET status = excluded.status, attempts = excluded.attempts, next_at = excluded.next_at, body = excluded.body, claimed_until = NULL'}`,
  [col(ms, (m) => m.key), col(ms, (m) => m.account), col(ms, (m) => m.status), col(ms, (m) => m.attempts), col(ms, (m) => m.nextAt),
    col(ms, (m) => JSON.stringify(m))] as never[]);
}

/** Last write of each key wins within one statement (ON CONFLICT cannot touch a row twice). */
const lastBy = <T>(xs: readonly T[], key: (x: T) => string): T[] => [...new Map(xs.map((x) => [key(x), x])).values()];

export function createPlaybookPostgres(sql: Sql): PlaybookStore {
  /** WHERE clause from the defined filters, as numbered parameters. */
  const where = (parts: [string, unknown][]): { sql: string; params: unknown[] } => {
    const used = parts.filter(([, v]) => v !== undefined);
    const params = used.map(([, v]) => v);
    return { sql: used.length ? `WHERE ${used.map(([c], i) => (c.includes('?') ? c.replace('?', `$${i + 1}`) : `${c} = $${i + 1}`)).join(' AND ')}` : '', params };
  };
  const lim = (n: number | undefined): string => (n === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(n))}`);
  const query = async <T>(text: string, params: unknown[]): Promise<T[]> => bodies<T>(await sql.unsafe<{ body: string }[]>(text, params as never[]));

  return {
    async commitPlaybook(w: PlaybookWrite) {
      await sql.begin(async (tx) => {
        for (const c of w.cancelSteps ?? []) {
          const pending = bodies<Step>(await tx<{ body: string }[]>`SELECT body FROM pb_steps WHERE opportunity = ${c.opportunity} AND status = 'pending' FOR UPDATE`);
          await putSteps(tx, pending.map((s) => ({ ...s, status: 'canceled', at: c.at, reason: c.reason })));
        }
        const opps = lastBy(w.opportunities ?? [], (o) => o.id);
        if (opps.length > 0) {
          await tx.unsafe(`INSERT INTO pb_opportunities (id, account, status, stage, owner, opened_at, body)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[])
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, stage = excluded.stage, owner = excluded.owner, body = excluded.body`,
          [col(opps, (o) => o.id), col(opps, (o) => o.account), col(opps, (o) => o.status), col(opps, (o) => o.stage), col(opps, (o) => o.owner ?? null),
            col(opps, (o) => o.openedAt), col(opps, (o) => JSON.stringify(o))] as never[]);
        }
        await putSteps(tx, lastBy(w.steps ?? [], (s) => s.id));
        await putOutbox(tx, lastBy([...(w.enqueue ?? [])].reverse(), (m) => m.key), 'ignore');
        await putOutbox(tx, lastBy(w.outboxUpdates ?? [], (m) => m.key), 'replace');
        const touches = lastBy(w.touches ?? [], (t) => t.id);
        if (touches.length > 0) {
          await tx.unsafe(`INSERT INTO pb_touches (id, account, at, body) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])
            ON CONFLICT (id) DO UPDATE SET at = excluded.at, body = excluded.body`,
          [col(touches, (t) => t.id), col(touches, (t) => t.account), col(touches, (t) => t.at), col(touches, (t) => JSON.stringify(t))] as never[]);
        }
        const tasks = lastBy(w.tasks ?? [], (t) => t.id);
        if (tasks.length > 0) {
          await tx.unsafe(`INSERT INTO pb_tasks (id, account, owner, status, created_at, body) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])
            ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, status = excluded.status, body = excluded.body`,
          [col(tasks, (t) => t.id), col(tasks, (t) => t.account), col(tasks, (t) => t.owner ?? null), col(tasks, (t) => t.status), col(tasks, (t) => t.createdAt),
            col(tasks, (t) => JSON.stringify(t))] as never[]);
        }
        const trials = lastBy(w.trials ?? [], (t) => t.id);
        if (trials.length > 0) {
          await tx.unsafe(`INSERT INTO pb_trials (id, account, status, started_at, body) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[])
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, body = excluded.body`,
          [col(trials, (t) => t.id), col(trials, (t) => t.account), col(trials, (t) => t.status), col(trials, (t) => t.startedAt), col(trials, (t) => JSON.stringify(t))] as never[]);
        }
      });
    },
    async getOpportunity(id) {
      const [r] = await sql<{ body: string }[]>`SELECT body FROM pb_opportunities WHERE id = ${id}`;
      return r ? (JSON.parse(r.body) as Opportunity) : undefined;
    },
    async listOpportunities(q = {}) {
      const w = where([['account', q.account], ['status', q.status], ['stage', q.stage], ['owner', q.owner]]);
      return query<Opportunity>(`SELECT body FROM pb_opportunities ${w.sql} ORDER BY opened_at DESC, id`, w.params);
    },
    async listSteps(q = {}) {
      if (q.dueBy !== undefined && q.status !== undefined && q.status !== 'pending') return [];
      const w = where([['opportunity', q.opportunity], ['account', q.account], ['status', q.dueBy === undefined ? q.status : 'pending'], ['not_before <= ?::bigint', q.dueBy]]);
      return query<Step>(`SELECT body FROM pb_steps ${w.sql} ORDER BY not_before, id${lim(q.limit)}`, w.params);
    },
    async listTouches(account, since) {
      return bodies<Touch>(await sql<{ body: string }[]>`SELECT body FROM pb_touches WHERE account = ${account} AND at >= ${since} ORDER BY at, id`);
    },
    async getTouch(id) {
      const [r] = await sql<{ body: string }[]>`SELECT body FROM pb_touches WHERE id = ${id}`;
      return r ? (JSON.parse(r.body) as Touch) : undefined;
    },
    async listOutbox(q = {}) {
      const w = where([['status', q.status], ['account', q.account], ['next_at <= ?::bigint', q.dueBy]]);
      return query<OutboxMessage>(`SELECT body FROM pb_outbox ${w.sql} ORDER BY next_at, key${lim(q.limit)}`, w.params);
    },
    async countOutbox() {
      const c: OutboxCounts = { pending: 0, retrying: 0, dead: 0, delivered: 0 };
      const rows = await sql<{ s: keyof OutboxCounts; n: number }[]>`SELECT CASE WHEN status = 'pending' AND attempts > 0 THEN 'retrying' ELSE status END AS s, count(*) AS n
        FROM pb_outbox GROUP BY 1`;
      for (const r of rows) c[r.s] = r.n;
      return c;
    },
    async requeueDead(keys) {
      return sql.begin(async (tx) => {
        const rows = keys === 'all'
          ? await tx<{ body: string }[]>`SELECT body FROM pb_outbox WHERE status = 'dead' ORDER BY key FOR UPDATE`
          : await tx<{ body: string }[]>`SELECT body FROM pb_outbox WHERE status = 'dead' AND key = ANY(${[...new Set(keys)]}::text[]) ORDER BY key FOR UPDATE`;
        const out = bodies<OutboxMessage>(rows).map((m): OutboxMessage => ({ ...m, status: 'pending', attempts: 0, nextAt: m.createdAt }));
        await putOutbox(tx, out, 'replace');
        return out;
      });
    },
    async listTasks(q = {}) {
      const w = where([['account', q.account], ['owner', q.owner], ['status', q.status]]);
      return query<TaskRecord>(`SELECT body FROM pb_tasks ${w.sql} ORDER BY created_at, id`, w.params);
    },
    async listTrials(q = {}) {
      const w = where([['account', q.account], ['status', q.status]]);
      return query<TrialRecord>(`SELECT body FROM pb_trials ${w.sql} ORDER BY started_at, id`, w.params);
    },
  };
}
