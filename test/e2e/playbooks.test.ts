// The seed 000 sample playbook end to end on a real SQLite store: day-1 in-app, day-3 email to a
// real SMTP server, day-7 CSM task to a real signed-webhook receiver; a crash between steps and a
// re-run deliver each step exactly once; an upgrade stops the play and starts activation.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { decideFor } from '../../src/app/decide.ts';
import { openEngine } from '../../src/app/engine.ts';
import { deliverOutbox } from '../../src/app/delivery.ts';
import type { Store } from '../../src/app/ports.ts';
import { runPlaybooks } from '../../src/app/scheduler.ts';
import { smtpTransport } from '../../src/channels/smtp.ts';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verify, webhookTransport } from '../../src/channels/webhook.ts';
import { DAY, playbookWorld, START } from '../support/playbook-world.ts';

const SECRET = 'whsec_test';
const dir = mkdtempSync(join(tmpdir(), 'tierwise-playbooks-'));
const mails: string[] = [];
const hooks: { key: string; body: string; valid: boolean }[] = [];
let failNext = 0;
let smtp: SMTPServer;
let http: Server;
let smtpPort = 0;
let httpPort = 0;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _s, cb) { let raw = ''; stream.on('data', (c: Buffer) => { raw += c.toString(); }); stream.on('end', () => { mails.push(raw); cb(); }); },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  http = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      if (failNext > 0) { failNext--; res.writeHead(503).end(); return; }
      hooks.push({ key: String(req.headers[IDEMPOTENCY_HEADER]), body, valid: verify(SECRET, String(req.headers[SIGNATURE_HEADER]), body, Math.floor(Date.now() / 1000)) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  httpPort = (http.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
  await new Promise<void>((r) => http.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

/** A store that dies on its Nth commit (a crash between two writes); the file is reopened afterwards. */
function crashing(store: Store, after: number): Store {
  let n = 0;
  return new Proxy(store, {
    get(target, prop, recv) {
      if (prop === 'commitPlaybook') return async (w: Parameters<Store['commitPlaybook']>[0]) => { if (++n > after) throw new Error('crash'); return target.commitPlaybook(w); };
      return Reflect.get(target, prop, recv) as unknown;
    },
  });
}

describe('usage-limit playbook (seed 000 sample)', () => {
  it('runs day 1 in-app, day 3 email, day 7 CSM task, survives a crash, stops on upgrade', async () => {
    const file = join(dir, 'pb.db');
    let store = openSqliteStore(file);
    const { deps, engine } = await playbookWorld(store);
    const transports = () => ({
      email: smtpTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, from: 'growth@tierwise.test' }),
      webhook: webhookTransport({ url: `http://127.0.0.1:${httpPort}/hook`, secret: SECRET, timeoutMs: 5_000 }),
    });
    const retry = { baseMs: 1_000, maxMs: 60_000, maxAttempts: 3 };

    // day 1: the opportunity opens, qualifies, the play starts, the in-app step is armed
    const r1 = await runPlaybooks(deps, engine, START);
    const [opp] = await store.listOpportunities({ account: 'acme' });
    expect(opp).toMatchObject({ status: 'open', stage: 'qualified', target: 'pro', route: 'csm', owner: 'dana', triggers: ['usage_limit'] });
    // the past-due account fires the trigger but no play can act on it: it stays a signal, not an opportunity
    expect(await store.listOpportunities({ account: 'late' })).toEqual([]);
    expect(r1.steps.done).toBe(1);
    const steps = await store.listSteps({ opportunity: opp!.id });
    expect(steps.map((s) => [s.channel, s.status, (s.dueAt - START) / DAY])).toEqual([['in_app', 'done', 0], ['email', 'pending', 2], ['task', 'pending', 6]]);

    // in-app: one prompt per session, none for the past-due account
    const d1 = await decideFor(deps, engine, { account: 'acme', user: 'u1', context: { session: 's1' } }, START + 3_600_000);
    expect(d1.show).toBe(true);
    if (d1.show) {
      expect(d1.prompt.body).toContain('Projects at 90% of the 10 limit');
      expect(d1.prompt.price.monthlyDeltaCents).toBe(45000);
    }
    expect(await decideFor(deps, engine, { account: 'acme', user: 'u1', context: { session: 's1' } }, START + 3_700_000)).toMatchObject({ show: false, code: 'session_cap' });
    expect(await decideFor(deps, engine, { account: 'late', user: 'u1', context: { session: 's9' } }, START)).toMatchObject({ show: false, code: 'disqualified' });

    // day 3: the email, to a real SMTP server, with the account's name escaped in the HTML part
    await runPlaybooks(deps, engine, START + 2 * DAY);
    expect(await deliverOutbox(store, transports(), retry, START + 2 * DAY)).toEqual({ delivered: 1, retrying: 0, dead: 0, deferred: 0 });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain('To: ops@acme.test');
    const html = mails[0]!.slice(mails[0]!.indexOf('Content-Type: text/html'));
    expect(html).toContain('Acme &lt;Rockets&gt; &amp; Co');
    expect(html).not.toContain('<Rockets>');

    // day 7: crash after the first commit of the pass, then re-run on a reopened store
    engine.tick(START + 6 * DAY);
    await expect(runPlaybooks({ ...deps, store: crashing(store, 0) }, engine, START + 6 * DAY)).rejects.toThrow('crash');
    await store.close();
    store = openSqliteStore(file);
    const deps2 = { ...deps, store };
    const engine2 = await openEngine({ store, catalog: deps.catalog, settings: deps.settings });
    engine2.tick(START + 6 * DAY);
    await runPlaybooks(deps2, engine2, START + 6 * DAY);
    await runPlaybooks(deps2, engine2, START + 6 * DAY); // a second pass changes nothing
    const tasks = await store.listTasks({ account: 'acme' });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ role: 'csm', owner: 'dana' });
    expect(tasks[0]!.body).toContain('pro: +$450/month');
    failNext = 1; // the receiver is down once: the message waits and is retried with backoff
    expect(await deliverOutbox(store, transports(), retry, START + 6 * DAY)).toEqual({ delivered: 0, retrying: 1, dead: 0, deferred: 0 });
    expect(await deliverOutbox(store, transports(), retry, START + 6 * DAY + 60_000)).toEqual({ delivered: 1, retrying: 0, dead: 0, deferred: 0 });
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.valid).toBe(true);
    expect(JSON.parse(hooks[0]!.body)).toMatchObject({ type: 'task', account: 'acme', idempotency_key: hooks[0]!.key });
    expect((await store.listSteps({ opportunity: opp!.id })).map((s) => s.status)).toEqual(['done', 'done', 'done']);

    // an upgrade closes it as won and starts the activation play
    await engine2.ingest([{ id: 'acme-up', ts: START + 8 * DAY, account: 'acme', type: 'subscription', plan: 'pro', interval: 'month', mrr: 74900, status: 'active' }]);
    const r = await runPlaybooks(deps2, engine2, START + 8 * DAY + 1);
    expect(r.won).toBe(1);
    const won = await store.getOpportunity(opp!.id);
    expect(won).toMatchObject({ status: 'won', stage: 'closed_won' });
    expect(won!.plays.map((p) => [p.playbook, p.status])).toEqual([['usage_limit', 'done'], ['post_upgrade_activation', 'active']]);
    const act = (await store.listSteps({ opportunity: opp!.id })).filter((s) => s.playbook === 'post_upgrade_activation');
    expect(act.map((s) => [s.channel, s.status, (s.dueAt - (START + 8 * DAY)) / DAY])).toEqual([['email', 'pending', 13], ['task', 'pending', 13]]);
    await store.close();
  });
});
