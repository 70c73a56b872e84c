// One clock (docs/adr/0011-one-clock.md): the CLI, the HTTP API and the dashboard give the same
// figures for the same account at the same moment (score, prorated charge, days to limit, owner),
// and all three say when the data ends long before the moment they use.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardCookie, exited, listening, tierwise, tierwiseAsync } from './cli.ts';

interface Explained {
  score: { score: number };
  offer: { proration: { net: number } | null } | null;
  meters: { id: string; daysTo100: number | null }[];
  owner: { id: string; known: boolean } | null;
  moment: { now: string; source: string };
}

const MOMENT = '2026-02-09';
const MOMENT_ISO = '2026-02-09T23:59:59.999Z';

function must(args: string[]): string {
  const r = tierwise(args);
  if (r.code !== 0) throw new Error(`tierwise ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

describe('one clock: CLI, HTTP and dashboard agree', () => {
  let dir = '';
  let db = '';
  let key = '';
  let url = '';
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tierwise-clock-'));
    db = join(dir, 'tierwise.db');
    // a world that ended long ago: scoring "now" is stale, the moment has to be asked for
    must(['simulate', '--accounts', '150', '--days', '45', '--seed', '5', '--start', '2025-12-27', '--out', join(dir, 'world')]);
    must(['import', join(dir, 'world', 'events.ndjson'), '--db', db]);
    must(['run', '--as-of', MOMENT, '--db', db, '--no-deliver']);
    key = /tw_[0-9a-f]{12}_[A-Za-z0-9_-]{32}/.exec(must(['keys', 'create', '--scope', 'admin', '--name', 'clock', '--db', db]))?.[0] ?? '';
    child = tierwiseAsync(['serve', '--db', db, '--port', '0']);
    url = (await listening(child)).url;
  }, 240_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await exited(child);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async <T>(path: string): Promise<T> => {
    const r = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    expect(r.status, path).toBe(200);
    return (await r.json()) as T;
  };

  async function dashboard(path: string): Promise<string> {
    const r = await fetch(`${url}${path}`, { headers: { cookie: await dashboardCookie(url, key) } });
    expect(r.status, path).toBe(200);
    return r.text();
  }

  it('the same account at the same moment: same score, prorated charge, days to limit and owner', async () => {
    const ranked = JSON.parse(must(['accounts', '--as-of', MOMENT, '--top', '40', '--json', '--db', db])) as { moment: { now: string }; accounts: { account: string; score: number; owner: { id: string } | null; offer: unknown }[] };
    expect(ranked.moment.now).toBe(MOMENT_ISO);
    const http = await api<{ moment: { now: string; source: string }; accounts: { account: string; score: number }[] }>(`/v1/accounts?as_of=${MOMENT}&limit=1000`);
    expect(http.moment).toMatchObject({ now: MOMENT_ISO, source: 'as_of' });
    const httpScore = new Map(http.accounts.map((a) => [a.account, a.score]));
    for (const a of ranked.accounts) expect(httpScore.get(a.account), a.account).toBe(a.score);

    // accounts with an offer, a prorated charge and a meter heading for its limit, owned or not
    let checked = 0;
    let withDays = 0;
    for (const a of ranked.accounts.filter((x) => x.offer !== null).slice(0, 4)) {
      const cli = JSON.parse(must(['explain', a.account, '--as-of', MOMENT, '--json', '--db', db])) as Explained;
      const web = await api<Explained>(`/v1/accounts/${encodeURIComponent(a.account)}/explain?as_of=${MOMENT}`);
      const page = await dashboard(`/accounts/${encodeURIComponent(a.account)}?as_of=${MOMENT}`);
      expect(cli.moment.now).toBe(MOMENT_ISO);
      expect(web.moment.now).toBe(MOMENT_ISO);
      expect(page).toContain(`data-moment="${MOMENT_ISO}"`);

      expect(web.score.score).toBe(cli.score.score);
      expect(/data-figure="score">(\d+)</.exec(page)?.[1]).toBe(String(cli.score.score));

      const net = cli.offer?.proration?.net ?? null;
      expect(web.offer?.proration?.net ?? null).toBe(net);
      if (net !== null) expect(/data-figure="prorated" data-cents="(-?\d+)"/.exec(page)?.[1]).toBe(String(net));

      const days = (m: Explained['meters']) => Object.fromEntries(m.filter((x) => x.daysTo100 !== null).map((x) => [x.id, x.daysTo100]));
      expect(days(web.meters)).toEqual(days(cli.meters));
      for (const [meter, d] of Object.entries(days(cli.meters))) {
        expect(page, meter).toContain(`data-meter="${meter}">100 % in about ${d} days`);
        withDays++;
      }

      expect(web.owner).toEqual(cli.owner);
      expect(/data-owner="([^"]*)"/.exec(page)?.[1]).toBe(cli.owner?.id ?? '');
      expect(cli.owner?.id ?? null).toBe(a.owner?.id ?? null);
      checked++;
    }
    expect(checked).toBeGreaterThan(2);
    expect(withDays).toBeGreaterThan(0);
  }, 120_000);

  it('the CLI tables a person reads name the plans, never their ids', () => {
    const names = new Map([['basic', 'Basic'], ['pro', 'Pro'], ['enterprise', 'Enterprise']]);
    /** the cell under the `plan` header on the row that shows `account` */
    const planCell = (text: string, account: string): string | undefined => {
      const lines = text.split('\n');
      const header = lines.find((l) => / plan /.test(l)) ?? '';
      const at = header.search(/ plan /) + 1;
      const row = lines.find((l) => l.includes(` ${account} `) || l.startsWith(`${account} `));
      return row?.slice(at).split(/\s{2,}/)[0];
    };
    const score = JSON.parse(must(['score', '--as-of', MOMENT, '--db', db, '--json'])) as { top: { account: string; plan: string; ready: boolean }[] };
    const scoreText = must(['score', '--as-of', MOMENT, '--db', db]);
    const ready = score.top.filter((r) => r.ready);
    expect(ready.length).toBeGreaterThan(0);
    for (const r of ready) expect(planCell(scoreText, r.account), r.account).toBe(names.get(r.plan));
    const accounts = JSON.parse(must(['accounts', '--as-of', MOMENT, '--top', '5', '--db', db, '--json'])) as { accounts: { account: string; plan: string }[] };
    const accountsText = must(['accounts', '--as-of', MOMENT, '--top', '5', '--db', db]);
    expect(accounts.accounts.length).toBe(5);
    for (const r of accounts.accounts) expect(planCell(accountsText, r.account), r.account).toBe(names.get(r.plan));
  }, 60_000);

  it('each surface says the data ends long before now, and how to ask for its last day', async () => {
    const r = tierwise(['accounts', '--top', '3', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/data ends 2026-02-09, \d+ days before this moment; .* pass --as-of 2026-02-09/);
    expect(r.stdout).toMatch(/^as of now, .*; data ends 2026-02-09/);
    const http = await api<{ moment: { source: string; stale: { suggest: string } | null; warning: string | null } }>('/v1/accounts?limit=1');
    expect(http.moment.source).toBe('clock');
    expect(http.moment.stale?.suggest).toBe('2026-02-09');
    expect(http.moment.warning).toContain('pass ?as_of=2026-02-09');
    const page = await dashboard('/');
    expect(page).toContain('data ends 2026-02-09');
    expect(page).toContain('pick 2026-02-09 in the date picker');
    const bad = await fetch(`${url}/v1/accounts?as_of=yesterday`, { headers: { authorization: `Bearer ${key}` } });
    expect(bad.status).toBe(400);
  }, 60_000);
});
