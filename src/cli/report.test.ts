// `tierwise report` end to end: a real pipeline on a SQLite store (the example playbooks, a prompt,
// an email, an upgrade), then the real command reads it back in every format.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideFor } from '../app/decide.ts';
import { runPlaybooks } from '../app/scheduler.ts';
import { createManualOpportunity } from '../app/sales.ts';
import { openStore } from '../open-store.ts';
import { tierwise } from '../../test/e2e/cli.ts';
import { DAY, playbookWorld, START } from '../../test/support/playbook-world.ts';

describe('tierwise report', () => {
  let dir = '';
  let db = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tierwise-report-'));
    db = join(dir, 't.db');
    const store = await openStore(db);
    const { deps, engine } = await playbookWorld(store);
    await runPlaybooks(deps, engine, START);
    // plays open nothing on the past-due account (no play can act on it); its CSM raises one by hand
    await createManualOpportunity(deps, engine, { account: 'late', source: 'csm_observation', by: 'dana', now: START });
    await decideFor(deps, engine, { account: 'acme', user: 'u1', context: { session: 's1' } }, START + 3_600_000);
    await runPlaybooks(deps, engine, START + 2 * DAY);
    await engine.ingest([{ id: 'acme-up', ts: START + 8 * DAY, account: 'acme', type: 'subscription', plan: 'pro', interval: 'month', mrr: 74900, status: 'active' }]);
    await runPlaybooks(deps, engine, START + 8 * DAY + 1);
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the funnel as text with the headline figures', () => {
    const r = tierwise(['report', 'funnel', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Trigger Identified\s+2/);
    expect(r.stdout).toMatch(/Closed won\s+1/);
    expect(r.stdout).toContain('offers (reached Outreach Sent): 1   upsells: 1   conversion: too few (n=1)');
    expect(r.stdout).toContain('expansion MRR from upsells: $450');
    // by offer type: each stage reached, conversion and expansion MRR per kind of offer
    expect(r.stdout).toContain('by offer type:');
    expect(r.stdout).toMatch(/tier upgrade\s+\d+\s+\d+\s+1\s+\d+\s+\d+\s+1\s+too few \(n=1\)\s+\$450/);
  });

  it('prints attribution as CSV in cents and the full report as JSON', () => {
    const csv = tierwise(['report', 'attribution', '--db', db, '--csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('by,key,offers,upsells,conversion,expansion_mrr');
    expect(lines).toContain('playbook,usage_limit,1,1,1,45000');
    expect(lines).toContain('offer type,tier upgrade,1,1,1,45000');
    const json = tierwise(['report', 'forecast', '--db', db, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.credit.people).toEqual([{ person: 'dana', role: 'csm', upsells: 1, shared: 0, creditedArrCents: 540000 }]);
    expect(report.forecast.lines.map((l: { account: string }) => l.account)).toEqual(['late']);
  });

  it('prints pipeline and activation tables', () => {
    const p = tierwise(['report', 'pipeline', '--db', db]);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/Trigger Identified\s+1/);
    const a = tierwise(['report', 'activation', '--db', db, '--at', '2026-05-30']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain('upgrades: 1');
  });

  it('rejects an unknown report, a bad date and a missing store with exit 2', () => {
    expect(tierwise(['report', 'cohorts', '--db', db])).toMatchObject({ code: 2 });
    expect(tierwise(['report', 'funnel', '--db', db, '--at', 'soon']).stderr).toContain('--at must be a date');
    expect(tierwise(['report', 'funnel', '--db', join(dir, 'none.db')])).toMatchObject({ code: 2 });
  });
});
