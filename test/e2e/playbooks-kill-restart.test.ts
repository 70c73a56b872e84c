// Issue T4: kill `tierwise run` with SIGKILL between steps and again in the middle of delivery, then
// restart it: no step is missed, none runs twice, every outbox message is delivered, and a receiver
// that de-duplicates by idempotency key sees each key (a redelivery carries the same key and body).
// The end state must equal a control run on a copy of the store that was never killed.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verify } from '../../src/channels/webhook.ts';
import { ROOT, tierwiseAsync, type CliResult } from './cli.ts';

// The second pass has 2 x ACCOUNTS due steps; the scheduler may commit due steps a chunk at a time
// (step-batch.ts, 500 a chunk), so there must be more than one chunk for a kill to land between two.
const ACCOUNTS = 400;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 8);
const PLAY_DAY = '2026-03-21'; // the plays start (day 1: in-app)
const WEEK_DAY = '2026-03-27'; // day 7 of those plays: day 3 emails and day 7 CSM tasks are all due
const KILL_ON_HOOK = 25; // the webhook request during which the second kill lands
const SECRET = 'whsec_kill_restart_test';
const EMAIL_EVERY = 10;
const EMAILS = Math.ceil(ACCOUNTS / EMAIL_EVERY);

const dir = mkdtempSync(join(tmpdir(), 'tierwise-kill-restart-'));
const db = join(dir, 'tierwise.db');
const control = join(dir, 'control.db');
const cfgFile = join(dir, 'tierwise.yaml');

interface Hook { key: string; body: string; valid: boolean; phase: string }
const hooks: Hook[] = [];
const mailIds: string[] = [];
const held: ServerResponse[] = [];
let phase = 'setup';
let onHook: ((n: number) => boolean) | null = null; // true: hold the request (no answer)
let smtp: SMTPServer;
let http: Server;

/**
 * N mid-market accounts on Basic, each climbing to ~90 % of its API-call limit by PLAY_DAY (the
 * usage_limit trigger). One in EMAIL_EVERY has a contact address: the others' day-3 email step is
 * skipped for want of a recipient (each SMTP connection to smtp-server costs ~130 ms, its 100 ms
 * early-talker delay included, so a few hundred emails would dominate the run time).
 */
function worldLines(): string {
  const iso = (t: number) => new Date(t).toISOString();
  const ev: { ts: string; [k: string]: unknown }[] = [];
  for (let k = 0; k < ACCOUNTS; k++) {
    const id = `kr-${String(k).padStart(4, '0')}`;
    ev.push({ id: `${id}-acct`, ts: iso(T0), account: id, type: 'account', traits: { name: `Kill-Restart ${k} Ltd`, employees: 40, segment: 'mid_market', ...(k % EMAIL_EVERY === 0 ? { email: `ops@${id}.test` } : {}) } });
    ev.push({ id: `${id}-sub`, ts: iso(T0), account: id, type: 'subscription', plan: 'basic', interval: 'month', mrr: 29_900, status: 'active' });
    for (let d = 0; d <= 26; d++) {
      const ts = iso(T0 + d * DAY + 3_600_000 + k * 1_000);
      ev.push({ id: `${id}-u${d}`, ts, account: id, user: `${id}-u1`, type: 'usage', meter: 'api_calls', quantity: 300 + d * 15 + (k % 7) * 5 });
      ev.push({ id: `${id}-s${d}`, ts, account: id, user: `${id}-u1`, type: 'session' });
      ev.push({ id: `${id}-p${d}`, ts, account: id, type: 'usage', meter: 'projects', quantity: 9 });
    }
  }
  ev.sort((a, b) => a.ts.localeCompare(b.ts));
  return ev.map((e) => JSON.stringify(e)).join('\n') + '\n';
}

function start(args: string[]): { child: ReturnType<typeof tierwiseAsync>; done: Promise<CliResult & { signal: NodeJS.Signals | null }> } {
  const child = tierwiseAsync(args, { TW_KR_WEBHOOK_SECRET: SECRET });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  return { child, done: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))) };
}
async function cliJson<T>(args: string[]): Promise<T> {
  const r = await start(args).done;
  expect(r.code, `tierwise ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}
const opts = (file: string) => ['--db', file, '-c', cfgFile];

interface RunReport { steps: { done: number; skipped: number; waiting: number }; delivery: { delivered: number; retrying: number; dead: number } | null }
interface StepRow { id: string; status: string; not_before: number; body: string }
interface OutboxRow { key: string; status: string; body: string }
interface Msg { key: string; channel: string; account: string; step: string; payload: string; status: string; attempts: number }

function read<T>(file: string, sql: string): T[] {
  const d = new Database(file, { readonly: true, fileMustExist: true });
  try { return d.prepare(sql).all() as T[]; } finally { d.close(); }
}
const count = (file: string, sql: string) => read<{ n: number }>(file, sql)[0]!.n;
const PROCESSED = "SELECT count(*) AS n FROM pb_steps WHERE status <> 'pending'";
const DONE = "SELECT count(*) AS n FROM pb_steps WHERE status = 'done'";

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], disableReverseLookup: true, logger: false,
    onData(stream, _s, cb) {
      let raw = '';
      stream.on('data', (c: Buffer) => { raw += c.toString(); });
      stream.on('end', () => { mailIds.push(/^Message-ID: (.*)$/im.exec(raw)?.[1]?.trim() ?? ''); cb(); });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  let n = 0;
  http = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      const valid = verify(SECRET, String(req.headers[SIGNATURE_HEADER] ?? ''), body, Math.floor(Date.now() / 1000));
      hooks.push({ key: String(req.headers[IDEMPOTENCY_HEADER]), body, valid, phase });
      n++;
      if (onHook?.(n)) { held.push(res); return; } // received, never answered: the sender dies waiting
      res.writeHead(valid ? 204 : 401).end();
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  writeFileSync(cfgFile, `${readFileSync(join(ROOT, 'examples/tierwise.yaml'), 'utf8')}
channels:
  webhook: { url: "http://127.0.0.1:${(http.address() as AddressInfo).port}/crm", secret_env: TW_KR_WEBHOOK_SECRET, timeout_ms: 30000 }
  email: { host: 127.0.0.1, port: ${(smtp.server.address() as AddressInfo).port}, secure: false, from: "Tierwise <growth@tierwise.test>" }
  retry: { base_ms: 1000, max_ms: 60000, max_attempts: 3 }
`);
  const file = join(dir, 'world.ndjson');
  writeFileSync(file, worldLines());
  const imp = await cliJson<{ total: { accepted: number; rejected: number } }>(['import', file, '--json', ...opts(db)]);
  expect(imp.total).toMatchObject({ accepted: ACCOUNTS * (2 + 27 * 3), rejected: 0 });
});

afterAll(async () => {
  for (const r of held) r.destroy();
  http.closeAllConnections();
  await new Promise<void>((r) => http.close(() => r()));
  await new Promise<void>((r) => smtp.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe(`tierwise run killed with SIGKILL and restarted (${ACCOUNTS} accounts)`, () => {
  it('runs every due step exactly once and delivers every message, each idempotency key seen', async () => {
    // day 1: every account's usage_limit play starts and its in-app step runs (a webhook each)
    phase = 'day1';
    const first = await cliJson<RunReport>(['run', '--until', PLAY_DAY, '--json', ...opts(db)]);
    expect(first.steps.done).toBe(ACCOUNTS);
    expect(first.delivery).toEqual({ delivered: ACCOUNTS, retrying: 0, dead: 0, deferred: 0 });

    // the control: the same second pass on a copy that is never killed (no delivery, same `now`)
    const copy = new Database(db);
    copy.exec(`VACUUM INTO '${control.replace(/'/g, "''")}'`);
    copy.close();
    const ctl = await cliJson<RunReport>(['run', '--until', WEEK_DAY, '--no-deliver', '--json', ...opts(control)]);
    // day 3 email (sent, or skipped without an address) and day 7 CSM task for each account
    expect(ctl.steps).toEqual({ done: ACCOUNTS + EMAILS, skipped: ACCOUNTS - EMAILS, waiting: 0 });

    // kill 1, between steps: as soon as the second pass has committed some steps, take the write
    // lock so the child blocks at its next commit, and SIGKILL it there
    phase = 'kill-1';
    const run1 = start(['run', '--until', WEEK_DAY, '--json', ...opts(db)]);
    const lock = new Database(db, { timeout: 10_000 });
    let locked = false;
    while (!locked) {
      await new Promise((r) => setTimeout(r, 2));
      if (run1.child.exitCode !== null) throw new Error(`the run ended before it could be killed: ${(await run1.done).stderr}`);
      const n = (lock.prepare(PROCESSED).get() as { n: number }).n;
      if (n > ACCOUNTS) { lock.exec('BEGIN IMMEDIATE'); locked = true; }
    }
    run1.child.kill('SIGKILL');
    const r1 = await run1.done;
    lock.exec('ROLLBACK');
    lock.close();
    expect(r1.signal).toBe('SIGKILL');
    const processedAfterKill1 = count(db, PROCESSED);
    expect(processedAfterKill1).toBeGreaterThan(ACCOUNTS);
    expect(processedAfterKill1).toBeLessThan(3 * ACCOUNTS); // killed mid-pass: due steps are still pending
    // each committed step that sends something committed its message with it, and nothing more
    expect(count(db, "SELECT count(*) AS n FROM pb_outbox WHERE status = 'pending'")).toBe(count(db, DONE) - ACCOUNTS);
    expect(hooks.filter((h) => h.phase === 'kill-1')).toEqual([]); // delivery never started

    // kill 2, during delivery: the KILL_ON_HOOK-th webhook of the restart is received but never
    // answered; the sender dies waiting, so that message stays pending and is sent again
    phase = 'kill-2';
    const run2 = start(['run', '--until', WEEK_DAY, '--json', ...opts(db)]);
    let killedKey = '';
    const hookBase = hooks.length;
    onHook = (n) => {
      if (n !== hookBase + KILL_ON_HOOK) return false;
      killedKey = hooks[hooks.length - 1]!.key;
      run2.child.kill('SIGKILL');
      return true;
    };
    const r2 = await run2.done;
    onHook = null;
    expect(r2.signal).toBe('SIGKILL');
    expect(killedKey).not.toBe('');
    expect(count(db, PROCESSED)).toBe(3 * ACCOUNTS); // the restart finished the steps before delivering
    const afterKill2 = read<OutboxRow>(db, 'SELECT key, status, body FROM pb_outbox');
    expect(afterKill2.find((m) => m.key === killedKey)?.status).toBe('pending');
    expect(afterKill2.filter((m) => m.status === 'delivered').length).toBeLessThan(afterKill2.length);

    // restart to completion: no step left to run, the rest of the outbox delivered
    phase = 'final';
    const r3 = await cliJson<RunReport>(['run', '--until', WEEK_DAY, '--json', ...opts(db)]);
    expect(r3.steps).toEqual({ done: 0, skipped: 0, waiting: 0 });
    expect(r3.delivery).toEqual({ delivered: afterKill2.filter((m) => m.status === 'pending').length, retrying: 0, dead: 0, deferred: 0 });

    // every due step ran exactly once: the same rows as the control run that was never killed
    const steps = read<StepRow>(db, 'SELECT id, status, not_before, body FROM pb_steps ORDER BY id');
    const ctlSteps = read<StepRow>(control, 'SELECT id, status, not_before, body FROM pb_steps ORDER BY id');
    expect(steps).toHaveLength(3 * ACCOUNTS);
    expect(steps.filter((s) => s.status === 'done')).toHaveLength(2 * ACCOUNTS + EMAILS);
    for (const s of steps.filter((x) => x.status !== 'done')) {
      expect(s.status).toBe('skipped');
      expect((JSON.parse(s.body) as { channel: string; reason: string })).toMatchObject({ channel: 'email', reason: 'no recipient: the account has no email trait' });
    }
    expect(steps).toEqual(ctlSteps);
    expect(read(db, 'SELECT id, body FROM pb_tasks ORDER BY id')).toEqual(read(control, 'SELECT id, body FROM pb_tasks ORDER BY id'));
    expect(read(db, 'SELECT id, body FROM pb_touches ORDER BY id')).toEqual(read(control, 'SELECT id, body FROM pb_touches ORDER BY id'));
    expect(read(db, 'SELECT id, body FROM pb_opportunities ORDER BY id')).toEqual(read(control, 'SELECT id, body FROM pb_opportunities ORDER BY id'));
    expect(count(db, 'SELECT count(*) AS n FROM pb_tasks')).toBe(ACCOUNTS);

    // the outbox: one message per step that sends one (in-app webhook, email, task webhook), as in
    // the control, all delivered
    const outbox = read<OutboxRow>(db, 'SELECT key, status, body FROM pb_outbox ORDER BY key').map((r) => JSON.parse(r.body) as Msg);
    const ctlOutbox = read<OutboxRow>(control, 'SELECT key, status, body FROM pb_outbox ORDER BY key').map((r) => JSON.parse(r.body) as Msg);
    const stable = (m: Msg) => ({ key: m.key, channel: m.channel, account: m.account, step: m.step, payload: m.payload });
    expect(outbox.map(stable)).toEqual(ctlOutbox.map(stable));
    expect(outbox).toHaveLength(2 * ACCOUNTS + EMAILS);
    expect(new Set(outbox.map((m) => m.step)).size).toBe(outbox.length);
    expect(outbox.filter((m) => m.status !== 'delivered')).toEqual([]);
    const webhookKeys = outbox.filter((m) => m.channel === 'webhook').map((m) => m.key).sort();
    const emailKeys = outbox.filter((m) => m.channel === 'email').map((m) => m.key).sort();
    expect([webhookKeys.length, emailKeys.length]).toEqual([2 * ACCOUNTS, EMAILS]);

    // the receivers, de-duplicating by key, saw every key; the only redeliveries are messages the kill
    // interrupted (the held one, and the few others in flight beside it: delivery runs up to 4 attempts
    // per destination side by side), each with the same key and the same body; every signature verified
    expect(hooks.every((h) => h.valid && (JSON.parse(h.body) as { idempotency_key: string }).idempotency_key === h.key)).toBe(true);
    expect([...new Set(hooks.map((h) => h.key))].sort()).toEqual(webhookKeys);
    const repeated = hooks.filter((h, i) => hooks.findIndex((x) => x.key === h.key) !== i);
    expect(repeated.map((h) => h.key)).toContain(killedKey);
    expect(repeated.length).toBeLessThanOrEqual(4);
    for (const r of repeated) {
      expect(new Set(hooks.filter((h) => h.key === r.key).map((h) => h.body)).size).toBe(1);
      expect(hooks.filter((h) => h.key === r.key).map((h) => h.phase)).toEqual(['kill-2', 'final']);
    }
    // emails go side by side with the webhooks: one in flight at the kill may be sent again, same Message-ID
    expect([...new Set(mailIds)].sort()).toEqual(emailKeys.map((k) => `<${k}@tierwise>`).sort());
    expect(mailIds.length - EMAILS).toBeLessThanOrEqual(4);
    expect(hooks.length + mailIds.length).toBe(outbox.length + repeated.length + (mailIds.length - EMAILS));
  });
});
