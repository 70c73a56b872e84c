// `tierwise metrics` end to end: the real command on a store imported from NDJSON.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tierwise } from '../../test/e2e/cli.ts';

const sub = (id: string, account: string, ts: string, mrr: number, status = 'active', plan = 'pro') =>
  JSON.stringify({ id, account, ts, type: 'subscription', plan, interval: 'month', mrr, status });

describe('tierwise metrics', () => {
  let dir = '';
  let db = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tierwise-metrics-'));
    db = join(dir, 't.db');
    const file = join(dir, 'subs.ndjson');
    writeFileSync(file, [
      sub('s1', 'a', '2024-01-10T00:00:00Z', 5000),
      sub('s2', 'a', '2024-02-10T00:00:00Z', 8000),
      sub('s3', 'b', '2024-02-12T00:00:00Z', 3000),
      sub('s4', 'b', '2024-04-15T00:00:00Z', 0, 'canceled'),
    ].join('\n') + '\n');
    const r = tierwise(['import', file, '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says when the range is before the data instead of printing zeros', () => {
    const before = tierwise(['metrics', '--db', db, '--from', '2023-06', '--to', '2023-09']);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toBe('no subscription data from 2023-06 to 2023-09: the data starts in 2024-01 (try --from 2024-01)\n');
    const across = tierwise(['metrics', '--db', db, '--from', '2023-11', '--to', '2024-02']);
    expect(across.stdout).toContain('the data starts in 2024-01: the months before it have no revenue on record');
    expect(JSON.parse(tierwise(['metrics', '--db', db, '--json']).stdout)).toMatchObject({ dataFrom: '2024-01', dataTo: '2024-04' });
  });

  it('prints reconciled movements by month as JSON', () => {
    const r = tierwise(['metrics', '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.periods.map((p: { period: string; endMrr: number }) => [p.period, p.endMrr])).toEqual([['2024-01', 5000], ['2024-02', 11000], ['2024-03', 11000], ['2024-04', 8000]]);
    expect(report.total).toMatchObject({ new: 8000, expansion: 3000, churn: 3000, endMrr: 8000 });
  });

  it('prints quarters as CSV, the whole range last', () => {
    const r = tierwise(['metrics', '--db', db, '--by', 'quarter', '--csv', '--from', '2024-01', '--to', '2024-06']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^period,from,to,start_mrr,new,expansion,reactivation,contraction,churn,end_mrr/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 10).join(','))).toEqual([
      '2024-Q1,2024-01,2024-03,0,8000,3000,0,0,0,11000',
      '2024-Q2,2024-04,2024-06,11000,0,0,0,0,3000,8000',
      '2024-01..2024-06,2024-01,2024-06,0,8000,3000,0,0,3000,8000',
    ]);
  });

  it('prints a table with NRR and GRR', () => {
    const r = tierwise(['metrics', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    // two accounts paid at the start of April: too few for a rate (--json still has 72.7 %)
    expect(r.stdout).toMatch(/2024-04\s+\$110\s+\$0\s+\$0\s+\$0\s+\$0\s+-\$30\s+\$80\s+1\s+n=2\s+n=2/);
    expect(r.stdout).toMatch(/fewer than 10 accounts paid at the start of 2024-02, 2024-03, 2024-04/);
    expect(r.stdout).not.toMatch(/still running/);
  });

  it('flags the month running now as partial, with no NRR or GRR for it', () => {
    const now = new Date();
    const month = now.toISOString().slice(0, 7);
    const file = join(dir, 'now.ndjson');
    writeFileSync(file, `${sub('n1', 'c', `${month}-01T00:00:00Z`, 4000)}\n`);
    const db2 = join(dir, 'now.db');
    expect(tierwise(['import', file, '--db', db2]).code).toBe(0);
    const r = tierwise(['metrics', '--db', db2]);
    const days = now.getUTCDate();
    expect(r.stdout).toMatch(new RegExp(`${month} \\(${days} of \\d\\d days\\)\\s.*partial\\s+partial`));
    expect(r.stdout).toContain(`${month} is still running (${days} of`);
    const json = JSON.parse(tierwise(['metrics', '--db', db2, '--json']).stdout);
    expect(json.periods[0].partial).toMatchObject({ days });
  });

  it.each([
    [['--by', 'week'], /--by must be month, quarter, segment, plan or cohort/],
    [['--by', 'plan', '--csv'], /not --csv/],
    [['--from', '2024-1'], /--from must be a month as YYYY-MM/],
    [['--from', '2024-05', '--to', '2024-01'], /after --to/],
    [['--json', '--csv'], /cannot be used together/],
  ])('exits 2 on bad flags %j', (args, message) => {
    const r = tierwise(['metrics', '--db', db, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('--by plan|cohort|segment --json: the groups add up to the unsegmented totals, the seeds\' bands beside them', () => {
    const whole = JSON.parse(tierwise(['metrics', '--db', db, '--json']).stdout).total;
    for (const by of ['plan', 'cohort', 'segment']) {
      const r = tierwise(['metrics', '--db', db, '--by', by, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const g = JSON.parse(r.stdout) as { by: string; total: Record<string, number>; groups: { group: string; name: string; accounts: number; startMrr: number; endMrr: number; expansionMrr: number }[]; bands: { source: string }[] };
      expect(g.by).toBe(by);
      expect(g.total).toMatchObject({ accounts: 2, startMrr: whole.startMrr, endMrr: whole.endMrr, expansionMrr: whole.expansion, nrr: whole.nrr });
      for (const k of ['accounts', 'startMrr', 'endMrr', 'expansionMrr'] as const) expect(g.groups.reduce((s, x) => s + x[k], 0), `${by} ${k}`).toBe(g.total[k]);
      expect(g.bands.map((b) => b.source).join(' ')).toMatch(/seed 001.*seed 000.*seed 002/);
    }
    const cohorts = JSON.parse(tierwise(['metrics', '--db', db, '--by', 'cohort', '--json']).stdout) as { groups: { group: string; endMrr: number }[] };
    expect(cohorts.groups.map((x) => [x.group, x.endMrr])).toEqual([['2024-01', 8000], ['2024-02', 0]]);
    const text = tierwise(['metrics', '--db', db, '--by', 'plan']).stdout;
    expect(text).toMatch(/^Pro\s+2\s/m);
    expect(text).toContain('Benchmarks (the seeds\' figures, not ours)');
  });

  it('exits 2 when there is no store', () => {
    const r = tierwise(['metrics', '--db', join(dir, 'missing.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no store here/);
  });
});
