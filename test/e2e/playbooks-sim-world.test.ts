// Issue T4: a simulated world (T2) driven through days of playbook time with the real CLI.
// `tierwise simulate` -> `tierwise import` -> `tierwise run --until DAY` once per day, delivering to a
// real SMTP server and a real signed-webhook receiver on 127.0.0.1. The seed 000 usage-limit play
// (day 1 in-app, day 3 email if no action, day 7 CSM task for high value) must happen on its days;
// an upgrade between day 3 and day 7 must close the opportunity as won, cancel the pending step and
// start post-upgrade activation; `tierwise decide` must respect the session and account caps and
// stay silent for an account with a past-due invoice.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKey } from '../../src/app/playbook-deps.ts';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verify } from '../../src/channels/webhook.ts';
import type { Opportunity } from '../../src/core/playbooks/opportunity.ts';
import type { Step } from '../../src/core/playbooks/steps.ts';
import { ROOT, tierwiseAsync, type CliResult } from './cli.ts';

// Why these numbers: a scratch search over seeds and sizes (same simulator, same example config)
// found that seed 1 with 300 accounts over 37 days from 2026-01-01, run daily from 2026-01-31,
// starts one usage_limit play on the first run (acc-000241: day 7 falls on 2026-02-06, the world's
// last day) and another two days later (acc-000156: email on 02-04, task due 02-08), so an upgrade
// on 02-05 meets a step that is still pending; three accounts still owe a past-due invoice at the
// end. The simulator is deterministic, so the same flags give the same world. The accounts are
// still picked from `tierwise opportunities --json` by their play dates, not by id.
const SEED = 1;
const ACCOUNTS = 300;
const DAYS = 37;
const WORLD_START = '2026-01-01';
const RUN_DAYS = ['2026-01-31', '2026-02-01', '2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05', '2026-02-06'];
const UPGRADE_DAY = '2026-02-05';
const UPGRADE_TS = Date.parse(`${UPGRADE_DAY}T12:00:00Z`);
const DAY = 86_400_000;
const SECRET = 'whsec_sim_world_test';
const PRICES: Record<string, number> = { basic: 29_900, pro: 74_900, enterprise: 199_900 };

const dir = mkdtempSync(join(tmpdir(), 'tierwise-sim-playbooks-'));
const world = join(dir, 'world');
const db = join(dir, 'tierwise.db');
const cfgFile = join(dir, 'tierwise.yaml');
const endOf = (day: string): number => Date.parse(`${day}T00:00:00Z`) + DAY - 1;

interface Mail { raw: string; run: number; messageId: string; to: string; subject: string; text: string }
interface Hook { key: string; body: string; payload: Record<string, unknown>; valid: boolean; run: number }
const mails: Mail[] = [];
const hooks: Hook[] = [];
let runIndex = -1; // which daily run is delivering (index into RUN_DAYS)
let smtp: SMTPServer;
let http: Server;

/** Headers and the decoded text/plain part of a nodemailer message. */
function parseMail(raw: string, run: number): Mail {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const header = (name: string): string => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const plain = /Content-Type: text\/plain[^]*?\r\n\r\n([^]*?)\r\n--/i.exec(raw)?.[1] ?? '';
  const qp = /Content-Type: text\/plain[^]*?Content-Transfer-Encoding: quoted-printable/i.test(raw);
  const text = qp ? plain.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))) : plain;
  return { raw, run, messageId: header('Message-ID'), to: header('To'), subject: header('Subject'), text: Buffer.from(text, 'latin1').toString('utf8') };
}

function cli(args: string[]): Promise<CliResult> {
  const child = tierwiseAsync(args, { TW_SIM_WEBHOOK_SECRET: SECRET });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
async function cliJson<T>(args: string[]): Promise<T> {
  const r = await cli(args);
  expect(r.code, `tierwise ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}
const store = ['--db', db, '-c', cfgFile];

interface RunReport { now: string; opened: number; won: number; steps: { done: number; skipped: number; waiting: number }; delivery: { delivered: number; retrying: number; dead: number } }
type OppJson = Omit<Opportunity, 'history' | 'brief'>;
type OppDetail = Opportunity & { steps: Step[]; tasks: { id: string; role: string; owner?: string; body: string }[] };
interface Decision { show: boolean; code?: string; reason?: string; prompt?: { playbook: string; body: string; target: { id: string } } }

const runs: RunReport[] = [];
async function runDay(i: number): Promise<RunReport> {
  runIndex = i;
  const r = await cliJson<RunReport>(['run', '--until', RUN_DAYS[i]!, '--json', ...store]);
  expect(r.now).toBe(new Date(endOf(RUN_DAYS[i]!)).toISOString());
  // every message the pass queued reached a live receiver on the first try
  expect(r.delivery.retrying + r.delivery.dead).toBe(0);
  runs[i] = r;
  return r;
}
const usagePlay = (o: Pick<Opportunity, 'plays'>) => o.plays.find((p) => p.playbook === 'usage_limit');
const usageSteps = (o: OppDetail) => o.steps.filter((s) => s.playbook === 'usage_limit').sort((a, b) => a.index - b.index);

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], disableReverseLookup: true, logger: false,
    onData(stream, _s, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => { mails.push(parseMail(Buffer.concat(chunks).toString('latin1'), runIndex)); cb(); });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  http = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      const valid = verify(SECRET, String(req.headers[SIGNATURE_HEADER] ?? ''), body, Math.floor(Date.now() / 1000));
      hooks.push({ key: String(req.headers[IDEMPOTENCY_HEADER]), body, payload: JSON.parse(body) as Record<string, unknown>, valid, run: runIndex });
      res.writeHead(valid ? 204 : 401).end();
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (http.address() as AddressInfo).port;
  writeFileSync(cfgFile, `${readFileSync(join(ROOT, 'examples/tierwise.yaml'), 'utf8')}
channels:
  webhook: { url: "http://127.0.0.1:${httpPort}/crm", secret_env: TW_SIM_WEBHOOK_SECRET, timeout_ms: 5000 }
  email: { host: 127.0.0.1, port: ${smtpPort}, secure: false, from: "Tierwise <growth@tierwise.test>" }
  retry: { base_ms: 1000, max_ms: 60000, max_attempts: 3 }
`);

  const sim = await cli(['simulate', '--accounts', String(ACCOUNTS), '--days', String(DAYS), '--seed', String(SEED), '--start', WORLD_START, '--out', world, '--threads', '1']);
  expect(sim.code, sim.stderr).toBe(0);
  // The simulator's account traits carry no contact address; a CRM export supplies one per account
  // (the email step's recipient is the `email` trait), merged into the traits by the import.
  const accounts = readFileSync(join(world, 'events.ndjson'), 'utf8').split('\n').filter((l) => l.includes('"type":"account"'))
    .map((l) => JSON.parse(l) as { account: string });
  writeFileSync(join(world, 'crm.ndjson'), accounts.map((a) => JSON.stringify({
    id: `crm-${a.account}`, ts: `${WORLD_START}T00:00:00Z`, account: a.account, type: 'account', traits: { email: `ops@${a.account}.sim.test` },
  })).join('\n') + '\n');
  const imp = await cliJson<{ total: { accepted: number; rejected: number } }>(['import', join(world, 'events.ndjson'), join(world, 'crm.ndjson'), '--json', ...store]);
  expect(imp.total.rejected).toBe(0);
  expect(imp.total.accepted).toBeGreaterThan(ACCOUNTS * DAYS);
});

afterAll(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
  http.closeAllConnections();
  await new Promise<void>((r) => http.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe(`a simulated world (seed ${SEED}, ${ACCOUNTS} accounts, ${DAYS} days) run day by day`, () => {
  let a: OppJson; // the play that runs its full week
  let b: OppJson; // the play an upgrade stops between day 3 and day 7
  let bBefore: OppDetail;
  const firstRun = endOf(RUN_DAYS[0]!);

  it('runs the first five days and holds a day-7 step pending for a play started later', async () => {
    for (let i = 0; i < 5; i++) await runDay(i);
    expect(runs[0]!.opened).toBeGreaterThan(0);
    const opps = (await cliJson<{ opportunities: OppJson[] }>(['opportunities', '--json', '--status', 'open', ...store])).opportunities;
    const usage = opps.filter((o) => usagePlay(o)?.status === 'active').sort((x, y) => x.account.localeCompare(y.account));
    // A: started on the first run, so its day 7 (start + 6 days) is the last run day
    a = usage.find((o) => usagePlay(o)!.startedAt === firstRun)!;
    // B: started later, its day-3 email already due by 02-04, its day-7 task not due before 02-08
    b = usage.find((o) => o !== a && usagePlay(o)!.startedAt > firstRun && usagePlay(o)!.startedAt + 2 * DAY <= endOf('2026-02-04'))!;
    expect(a, 'a usage_limit play started on the first run').toBeDefined();
    expect(b, 'a usage_limit play started after the first run').toBeDefined();

    bBefore = await cliJson<OppDetail>(['opportunity', b.id, '--json', ...store]);
    const start = usagePlay(bBefore)!.startedAt;
    expect(usageSteps(bBefore).map((s) => [s.channel, s.status, s.at === undefined ? null : (s.at - start) / DAY, (s.dueAt - start) / DAY]))
      .toEqual([['in_app', 'done', 0, 0], ['email', 'done', 2, 2], ['task', 'pending', null, 6]]);
    expect(start + 6 * DAY).toBeGreaterThan(endOf(UPGRADE_DAY));
    // its day-3 email went out, keyed by its step
    const emailKey = idempotencyKey('step', usageSteps(bBefore)[1]!.id);
    expect(mails.filter((m) => m.messageId === `<${emailKey}@tierwise>`)).toHaveLength(1);
  });

  it('stops the play on an upgrade: closed won, pending steps cancelled, activation started', async () => {
    const up = join(dir, 'upgrade.ndjson');
    writeFileSync(up, `${JSON.stringify({ id: `upgrade-${b.account}`, ts: new Date(UPGRADE_TS).toISOString(), account: b.account, type: 'subscription', plan: b.target, interval: 'month', mrr: PRICES[b.target], status: 'active' })}\n`);
    const imp = await cliJson<{ total: { accepted: number; rejected: number } }>(['import', up, '--json', ...store]);
    expect(imp.total).toMatchObject({ accepted: 1, rejected: 0 });

    const r = await runDay(5);
    expect(r.won).toBeGreaterThanOrEqual(1);
    await runDay(6);
    const after = await cliJson<OppDetail>(['opportunity', b.id, '--json', ...store]);
    expect(after).toMatchObject({ status: 'won', stage: 'closed_won' });
    const [inApp, email, task] = usageSteps(after);
    expect([inApp!.status, email!.status]).toEqual(['done', 'done']);
    expect(task).toMatchObject({ channel: 'task', status: 'canceled', at: endOf(UPGRADE_DAY) });
    expect(task!.reason).toContain('won');
    // every step that was pending before the upgrade is cancelled, none ran
    for (const s of bBefore.steps.filter((x) => x.status === 'pending')) {
      expect(after.steps.find((x) => x.id === s.id)).toMatchObject({ status: 'canceled' });
    }
    expect(after.tasks).toEqual([]);
    expect(hooks.filter((h) => h.payload['type'] === 'task' && h.payload['account'] === b.account)).toEqual([]);
    // post-upgrade activation: day 14 from the upgrade, email and CSM task, only if the features stay unused
    expect(after.plays.find((p) => p.playbook === 'post_upgrade_activation')).toMatchObject({ status: 'active', startedAt: UPGRADE_TS });
    expect(usagePlay(after)?.status).not.toBe('active');
    const act = after.steps.filter((s) => s.playbook === 'post_upgrade_activation');
    expect(act.map((s) => [s.channel, s.when, s.status, (s.dueAt - UPGRADE_TS) / DAY])).toEqual([
      ['email', 'features_unused', 'pending', 13], ['task', 'features_unused', 'pending', 13],
    ]);
    expect(after.history.some((h) => h.detail.includes(`upgraded ${b.fromPlan} -> ${b.target}`))).toBe(true);
  });

  it('ran day 1 in-app, day 3 email and day 7 CSM task on their days, delivered once each', async () => {
    const o = await cliJson<OppDetail>(['opportunity', a.id, '--json', ...store]);
    const start = usagePlay(o)!.startedAt;
    expect(start).toBe(firstRun);
    expect(o.status).toBe('open');
    const steps = usageSteps(o);
    expect(steps.map((s) => [s.channel, s.when, s.status, (s.at! - start) / DAY])).toEqual([
      ['in_app', 'always', 'done', 0], ['email', 'no_action', 'done', 2], ['task', 'high_value', 'done', 6],
    ]);
    const [inApp, email, task] = steps.map((s) => idempotencyKey('step', s.id));
    const dayOfRun = (i: number) => (endOf(RUN_DAYS[i]!) - start) / DAY;

    // day 1: the product hears of the armed in-app prompt through the signed webhook
    const inAppHooks = hooks.filter((h) => h.key === inApp);
    expect(inAppHooks).toHaveLength(1);
    expect(inAppHooks[0]).toMatchObject({ valid: true, payload: { type: 'in_app_prompt', account: a.account, idempotency_key: inApp, playbook: 'usage_limit' } });
    expect(dayOfRun(inAppHooks[0]!.run)).toBe(0);

    // day 3: one email to the account's address with its own numbers (the offer's message as of that day)
    const sent = mails.filter((m) => m.messageId === `<${email}@tierwise>`);
    expect(sent).toHaveLength(1);
    const mail = sent[0]!;
    expect(dayOfRun(mail.run)).toBe(2);
    expect(mail.to).toBe(`ops@${a.account}.sim.test`);
    const name = (await cliJson<{ name: string; offer: { message: string } }>(['explain', a.account, '--as-of', RUN_DAYS[mail.run]!, '--json', ...store]));
    expect(mail.subject).toBe(`${name.name}: room to grow on ${o.targetName}`);
    expect(mail.text).toContain(`Hi ${name.name} team,`);
    // usage_limit offers no trial, so the engine's trial sentence is cut from its message
    const noTrial = name.offer.message.replace(/ Try it free for \d+ days; you can switch back at any time\.$/, '');
    expect(noTrial).not.toBe(name.offer.message);
    expect(mail.text).toContain(noTrial);
    expect(mail.text).not.toContain('Try it free');
    expect(mail.text).toMatch(/at \d+% of the [\d,]+ limit/);
    expect(mail.text).toContain(`$${(o.monthlyDeltaCents / 100).toLocaleString('en-US')} more a month`);

    // day 7: a CSM task in the store and, signed, at the CRM webhook with its idempotency key
    expect(o.tasks).toHaveLength(1);
    expect(o.tasks[0]).toMatchObject({ id: task, role: 'csm', owner: o.owner });
    const taskHooks = hooks.filter((h) => h.key === task);
    expect(taskHooks).toHaveLength(1);
    const hook = taskHooks[0]!;
    expect(hook.valid).toBe(true);
    expect(dayOfRun(hook.run)).toBe(6);
    expect(hook.payload).toMatchObject({ type: 'task', idempotency_key: task, account: a.account, opportunity: a.id, playbook: 'usage_limit', step: 2 });
    expect((hook.payload['task'] as { body: string }).body).toContain(`+$${(o.monthlyDeltaCents / 100).toLocaleString('en-US')}/month`);
    expect(o.stage).toBe('outreach_sent');

    // across the whole week nothing was delivered twice and every signature verified
    expect(new Set(hooks.map((h) => h.key)).size).toBe(hooks.length);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(mails.length);
    expect(hooks.every((h) => h.valid && h.payload['idempotency_key'] === h.key)).toBe(true);
    expect(runs.reduce((n, r) => n + r.delivery.delivered, 0)).toBe(hooks.length + mails.length);
  });

  it('decide: one prompt per session, the account cap across channels, silence for a past-due account', async () => {
    const at = ['--at', '2026-02-07T09:00:00Z'];
    const decide = (account: string, session: string) => cliJson<Decision>(['decide', account, '--user', `${account}-u1`, '--session', session, ...at, '--json', ...store]);
    const first = await decide(a.account, 'sess-1');
    expect(first).toMatchObject({ show: true, prompt: { playbook: 'usage_limit', target: { id: a.target } } });
    expect(first.prompt!.body).toMatch(/at \d+% of the [\d,]+ limit/);
    expect(await decide(a.account, 'sess-1')).toMatchObject({ show: false, code: 'session_cap' });
    // a new session: the email, the CSM task and this prompt make 3 touches this week (cap 3)
    expect(await decide(a.account, 'sess-2')).toMatchObject({ show: false, code: 'account_week_cap' });

    // the simulator's past-due invoices: an account whose latest invoice state is past_due
    const last = new Map<string, { account: string; status: string; ts: string }>();
    for (const l of readFileSync(join(world, 'events.ndjson'), 'utf8').split('\n')) {
      if (!l.includes('"type":"invoice"')) continue;
      const e = JSON.parse(l) as { account: string; invoice: string; status: string; ts: string };
      last.set(`${e.account}|${e.invoice}`, e);
    }
    const owing = [...last.values()].filter((e) => e.status === 'past_due');
    expect(owing.length).toBeGreaterThan(0);
    const late = await decide(owing[0]!.account, 'sess-9');
    expect(late).toMatchObject({ show: false, code: 'disqualified' });
    expect(late.reason).toContain(`past due since ${owing[0]!.ts.slice(0, 10)}`);
  });
});
