// `tierwise decide ACCOUNT USER [--context JSON]` through the real CLI on a store built by
// `tierwise import`: a gated feature is a moment, one prompt per session, nothing while past due,
// and usage errors exit 2 before anything is recorded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { EXAMPLE_CONFIG } from '../../src/config/load.ts';
import type { TierwiseEvent } from '../../src/core/events/types.ts';
import { importWorld } from '../support/cli-world.ts';
import { DAY, T0 } from '../support/playbook-world.ts';
import { tierwise } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-cli-decide-'));
const db = join(dir, 'store.db');
const cli = (...args: string[]) => tierwise([...args, '--db', db, '-c', EXAMPLE_CONFIG]);
const json = (...args: string[]) => {
  const r = cli(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { show: boolean; code?: string; reason?: string; id: string | null; user: string; prompt?: { playbook: string; target: { id: string }; reasons: string[] } };
};
const promptsOf = async (account: string): Promise<number> => {
  const store = openSqliteStore(db);
  try { return (await store.listTouches(account, 0)).filter((t) => t.channel === 'in_app').length; } finally { await store.close(); }
};

/** A Basic account with light, steady use: no usage ceiling, so only a gated feature is a moment. */
function calm(): TierwiseEvent[] {
  const ev: TierwiseEvent[] = [
    { id: 'calm-acct', ts: T0, account: 'calm', type: 'account', traits: { name: 'Calm Co', employees: 40, segment: 'mid_market', email: 'it@calm.test' } },
    { id: 'calm-sub', ts: T0, account: 'calm', type: 'subscription', plan: 'basic', interval: 'month', mrr: 29900, status: 'active' },
  ];
  for (let d = 0; d <= 20; d++) {
    ev.push({ id: `calm-s${d}`, ts: T0 + d * DAY + 3_600_000, account: 'calm', user: 'u1', type: 'session' });
    ev.push({ id: `calm-u${d}`, ts: T0 + d * DAY + 3_600_000, account: 'calm', user: 'u1', type: 'usage', meter: 'api_calls', quantity: 40 });
  }
  return ev;
}

beforeAll(() => { importWorld(dir, db, calm()); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tierwise decide ACCOUNT USER', () => {
  it('without a moment of need it does not show', () => {
    expect(json('decide', 'calm', 'u1', '--session', 's1')).toMatchObject({ show: false, code: 'no_moment', id: null, user: 'u1' });
  });

  it('--feature with a gated feature the next tier includes shows the spotlight prompt', async () => {
    const d = json('decide', 'calm', 'u1', '--feature', 'sso', '--session', 's1');
    expect(d).toMatchObject({ show: true, user: 'u1', prompt: { playbook: 'feature_spotlight', target: { id: 'pro' } } });
    expect(d.id).toMatch(/\S/);
    expect(d.prompt!.reasons.join(' ')).toMatch(/opened Single sign-on \(SSO\), which Pro includes/);
    expect(await promptsOf('calm')).toBe(1);
  });

  it('the second decide in the same session (given in --context) is not shown: session_cap', async () => {
    const d = json('decide', 'calm', 'u1', '--context', '{"session":"s1","feature":"sso"}');
    expect(d).toMatchObject({ show: false, code: 'session_cap' });
    expect(await promptsOf('calm')).toBe(1);
  });

  it('--feature overrides the feature in --context; the text output names the prompt', () => {
    // "reports" is no feature Pro adds: alone it would be no moment
    expect(json('decide', 'calm', 'u2', '--context', '{"session":"s2","feature":"reports"}')).toMatchObject({ show: false, code: 'no_moment' });
    const r = cli('decide', 'calm', 'u2', '--context', '{"session":"s2","feature":"reports"}', '--feature', 'sso');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^show {2}\[feature_spotlight\] {2}id \S+/);
    expect(r.stdout).toContain('Pro: +$450/month');
  });

  it('a past-due account is not shown (disqualified), also with --user as the alias', () => {
    const d = json('decide', 'late', '--user', 'u1', '--feature', 'sso', '--session', 's9');
    expect(d).toMatchObject({ show: false, code: 'disqualified', user: 'u1' });
    expect(d.reason).toMatch(/past.due/i);
    const r = cli('decide', 'late', 'u1', '--user', 'u1', '--feature', 'sso');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^don't show \(disqualified\): /);
  });

  it('--at replays the account as of then: the day before its invoice went past due it was not disqualified', () => {
    const before = json('decide', 'late', 'u7', '--feature', 'sso', '--session', 's70', '--at', '2026-03-02T12:00:00Z');
    expect(before.code).not.toBe('disqualified');
    expect(json('decide', 'late', 'u7', '--feature', 'sso', '--session', 's71', '--at', '2026-03-04T12:00:00Z')).toMatchObject({ show: false, code: 'disqualified' });
    expect(cli('decide', 'late', 'u7', '--at', 'yesterday').stderr).toMatch(/--at must be a date/);
  });

  it('bad usage exits 2 with what was wrong, and records nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['decide', 'calm', 'u3', '--context', '{session: s3}'], /--context is not valid JSON .*expected an object such as \{"session":"s1","feature":"sso"\}/],
      [['decide', 'calm', 'u3', '--context', '["s3"]'], /--context must be a JSON object .* got an array/],
      [['decide', 'calm', 'u3', '--context', '"sso"'], /--context must be a JSON object .* got a string/],
      [['decide', 'calm', 'u3', '--context', '{"sesion":"s3","feature":"sso"}'], /--context: unknown key "sesion" \(known: session, feature\)/],
      [['decide', 'calm', 'u3', '--context', '{"session":3,"feature":"sso"}'], /--context: "session" must be a non-empty string, got 3/],
      [['decide', 'calm', '--feature', 'sso'], /decide needs the user: tierwise decide ACCOUNT USER \(or --user USER\)/],
      [['decide', 'calm', 'u3', '--user', 'u4', '--feature', 'sso'], /"u3" and --user "u4"/],
    ];
    const before = await promptsOf('calm');
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    expect(await promptsOf('calm')).toBe(before);
  });
});
