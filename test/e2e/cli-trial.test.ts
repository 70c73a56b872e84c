// `tierwise trial start|end` and `tierwise run` through the real CLI: a trial on the open
// opportunity moves it to Proposal; a run past the end date expires it (or records a conversion
// when the account moved up to the tier); ending one by hand records `ended`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import type { TrialRecord } from '../../src/app/ports.ts';
import { EXAMPLE_CONFIG } from '../../src/config/load.ts';
import { importWorld, ndjson } from '../support/cli-world.ts';
import { DAY, T0 } from '../support/playbook-world.ts';
import { tierwise } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-cli-trial-'));
const db = join(dir, 'store.db');
const cli = (...args: string[]) => tierwise([...args, '--db', db, '-c', EXAMPLE_CONFIG]);
const ok = (...args: string[]) => {
  const r = cli(...args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
};
const trials = async (account: string): Promise<TrialRecord[]> => {
  const store = openSqliteStore(db);
  try { return await store.listTrials({ account }); } finally { await store.close(); }
};
const iso = (ms: number) => new Date(ms).toISOString();
/** 2026-03-21 08:00 UTC: the world's last morning, when the usage-limit play starts */
const START = T0 + 20 * DAY;

beforeAll(() => {
  importWorld(dir, db);
  // day 1 of the usage-limit play: acme's opportunity opens and qualifies
  const run = JSON.parse(ok('run', '--until', iso(START + 4 * 3_600_000), '--no-deliver', '--json')) as { opened: number };
  expect(run.opened).toBeGreaterThanOrEqual(1);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tierwise trial', () => {
  let opp = '';

  it('start ACCOUNT PLAN --days N: a trial on the open opportunity, which moves to Proposal', async () => {
    const r = JSON.parse(ok('trial', 'start', 'acme', 'pro', '--days', '7', '--user', 'u1', '--at', iso(START + 4 * 3_600_000), '--json')) as
      { trial: TrialRecord; opportunity: { id: string; stage: string; triggers: string[]; plays: { playbook: string; status: string }[] } };
    expect(r.trial).toMatchObject({ account: 'acme', plan: 'pro', fromPlan: 'basic', status: 'active', startedAt: START + 4 * 3_600_000, endsAt: START + 4 * 3_600_000 + 7 * DAY, user: 'u1' });
    expect(r.opportunity).toMatchObject({ stage: 'proposal' });
    expect(r.opportunity.triggers).toContain('trial');
    expect(r.opportunity.plays).toContainEqual(expect.objectContaining({ playbook: 'trial_conversion', status: 'active' }));
    opp = r.opportunity.id;
    expect(r.trial.opportunity).toBe(opp);
    // starting it again is the same trial, not a second one
    expect(ok('trial', 'start', 'acme', '--plan', 'pro', '--at', iso(START + 5 * 3_600_000))).toMatch(`trial of pro for acme until ${iso(START + 4 * 3_600_000 + 7 * DAY)}`);
    expect(await trials('acme')).toHaveLength(1);
  });

  it('a PLAN argument and a different --plan are a usage error', () => {
    const r = cli('trial', 'start', 'acme', 'pro', '--plan', 'enterprise');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"pro" and --plan "enterprise"/);
    const unknown = cli('trial', 'start', 'acme', 'platinum');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^tierwise: no plan "platinum" in the catalog \(known: basic, pro, enterprise\)$/m);
  });

  it('a run before the end date leaves it active; a run past it records the expiry', async () => {
    const before = JSON.parse(ok('run', '--until', '2026-03-27', '--no-deliver', '--json')) as { trialsEnded: number };
    expect(before.trialsEnded).toBe(0);
    expect((await trials('acme'))[0]).toMatchObject({ status: 'active' });

    const after = JSON.parse(ok('run', '--until', '2026-03-29', '--no-deliver', '--json')) as { trialsEnded: number };
    expect(after.trialsEnded).toBe(1);
    const [t] = await trials('acme');
    // expired at its end time, not at the time the run noticed
    expect(t).toMatchObject({ status: 'expired', endedAt: START + 4 * 3_600_000 + 7 * DAY });
    expect(ok('opportunity', opp)).toMatch(/trial of pro expired/);
    // a later run does not end it again
    expect((JSON.parse(ok('run', '--until', '2026-03-30', '--no-deliver', '--json')) as { trialsEnded: number }).trialsEnded).toBe(0);
  });

  it('an account that moved up to the tier during the trial is recorded as converted', async () => {
    const at = START + 10 * DAY;
    // the world has no `calm` yet: the answer says so (exit 1, no stack trace)
    const missing = cli('trial', 'start', 'calm', '--plan', 'pro', '--days', '14', '--at', iso(at));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('tierwise: no account "calm"\n');
    // a Basic account, its trial, then an upgrade imported 3 days in
    const up = join(dir, 'calm.ndjson');
    writeFileSync(up, ndjson([
      { id: 'calm-acct', ts: T0, account: 'calm', type: 'account', traits: { name: 'Calm Co', employees: 40 } },
      { id: 'calm-sub', ts: T0, account: 'calm', type: 'subscription', plan: 'basic', interval: 'month', mrr: 29900, status: 'active' },
    ]));
    expect(tierwise(['import', up, '--db', db]).code).toBe(0);
    expect((await trials('calm'))).toHaveLength(0);
    ok('trial', 'start', 'calm', '--plan', 'pro', '--days', '14', '--at', iso(at));
    writeFileSync(up, ndjson([{ id: 'calm-up', ts: at + 3 * DAY, account: 'calm', type: 'subscription', plan: 'pro', interval: 'month', mrr: 74900, status: 'active' }]));
    expect(tierwise(['import', up, '--db', db]).code).toBe(0);
    const run = JSON.parse(ok('run', '--until', iso(at + 15 * DAY), '--no-deliver', '--json')) as { trialsEnded: number };
    expect(run.trialsEnded).toBe(1);
    expect(await trials('calm')).toMatchObject([{ plan: 'pro', fromPlan: 'basic', status: 'converted', endedAt: at + 14 * DAY }]);
  });

  it('trial end ACCOUNT ends it by hand as ended; then there is none to end', async () => {
    const at = START + 2 * DAY;
    ok('trial', 'start', 'late', 'pro', '--days', '14', '--at', iso(at));
    expect(ok('trial', 'end', 'late', '--at', iso(at + DAY))).toBe('trial of pro: ended\n');
    expect(await trials('late')).toMatchObject([{ status: 'ended', endedAt: at + DAY }]);
    expect(ok('trial', 'end', 'late')).toBe('no active trial for late\n');
  });
});

describe('tierwise trial start --addon', () => {
  const at = START + 12 * DAY;

  it('tries a module on a Pro account; trial end names the module', async () => {
    const file = join(dir, 'proco.ndjson');
    writeFileSync(file, ndjson([
      { id: 'proco-acct', ts: T0, account: 'proco', type: 'account', traits: { name: 'Pro Co', employees: 40 } },
      { id: 'proco-sub', ts: T0, account: 'proco', type: 'subscription', plan: 'pro', interval: 'month', mrr: 74900, status: 'active' },
    ]));
    expect(tierwise(['import', file, '--db', db]).code).toBe(0);
    const r = JSON.parse(ok('trial', 'start', 'proco', '--addon', 'analytics_module', '--days', '14', '--at', iso(at), '--json')) as { trial: TrialRecord };
    expect(r.trial).toMatchObject({ account: 'proco', plan: 'pro', fromPlan: 'pro', addon: 'analytics_module', status: 'active', endsAt: at + 14 * DAY });
    // the same module again is the same trial; the text names the module, not its id
    expect(ok('trial', 'start', 'proco', '--addon', 'analytics_module', '--at', iso(at + DAY))).toBe(`trial of Advanced analytics module for proco until ${iso(at + 14 * DAY)}\n`);
    expect(await trials('proco')).toHaveLength(1);
    expect(ok('trial', 'end', 'proco', '--at', iso(at + 2 * DAY))).toBe('trial of Advanced analytics module: ended\n');
    expect(await trials('proco')).toMatchObject([{ addon: 'analytics_module', status: 'ended', endedAt: at + 2 * DAY }]);
  });

  it('an unknown module, a support level or a plan with --addon is a usage error (exit 2) naming the known modules', async () => {
    for (const addon of ['warp_drive', 'premium_support']) {
      const r = cli('trial', 'start', 'proco', '--addon', addon, '--at', iso(at));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^tierwise: no module "${addon}" in the catalog \\(known: analytics_module, integrations_module\\)$`, 'm'));
    }
    const both = cli('trial', 'start', 'proco', 'enterprise', '--addon', 'analytics_module');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/a tier \(PLAN or --plan\) or of a module \(--addon\), not both/);
    expect(await trials('proco')).toHaveLength(1);
  });

  it('a module not sold on the account\'s plan is the data\'s answer: exit 1 with the reason', () => {
    // acme is on Basic; the modules are sold on Pro
    const r = cli('trial', 'start', 'acme', '--addon', 'integrations_module', '--at', iso(at));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('tierwise: Integrations module is not sold on the account\'s plan "basic"\n');
  });
});
