// A subscriptions CSV without an id column loses no row: the dbt mrr-playbook reference history
// (242 rows: each period's start and its end; a cancel and a new period of one customer often share
// a date) imported through the real CLI with and without its ids gives every monthly figure alike.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { periodsToEvents } from '../helpers/reference-periods.ts';
import { tierwise } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-csvids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REFERENCE = new URL('../fixtures/metrics/subscription_periods.csv', import.meta.url);

function writeCsv(file: string, withIds: boolean): void {
  const events = periodsToEvents(readFileSync(REFERENCE, 'utf8'));
  const header = [...(withIds ? ['id'] : []), 'account', 'ts', 'plan', 'interval', 'mrr', 'status'];
  const rows = events.map((e) => [...(withIds ? [e.id] : []), e.account, new Date(e.ts).toISOString(), e.plan, e.interval, String(e.mrr), e.status].join(','));
  writeFileSync(file, `${[header.join(','), ...rows].join('\n')}\n`);
}

function importJson(file: string, db: string): { total: { read: number; accepted: number; duplicates: number; rejected: number } } {
  const r = tierwise(['import', file, '--db', db, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as never;
}

function monthly(db: string): unknown {
  const r = tierwise(['metrics', '--db', db, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { periods: unknown }).periods;
}

describe('CSV default ids', () => {
  it('the reference subscriptions without their id column: all 242 rows stored, every monthly figure equal to the run with ids; re-import adds nothing', () => {
    const withIds = join(dir, 'with-ids.csv');
    const withoutIds = join(dir, 'without-ids.csv');
    writeCsv(withIds, true);
    writeCsv(withoutIds, false);
    const dbA = join(dir, 'a.db');
    const dbB = join(dir, 'b.db');
    expect(importJson(withIds, dbA).total).toMatchObject({ read: 242, duplicates: 0, rejected: 0 });
    expect(importJson(withoutIds, dbB).total).toMatchObject({ read: 242, duplicates: 0, rejected: 0 });
    const a = monthly(dbA);
    expect(a).toHaveLength(30);
    expect(monthly(dbB)).toEqual(a);
    // Re-importing the same file: every row a duplicate, nothing changes.
    expect(importJson(withoutIds, dbB).total).toMatchObject({ read: 242, duplicates: 242, rejected: 0 });
  }, 120_000);

  it('only rows whose content is identical are duplicates', () => {
    const file = join(dir, 'dups.csv');
    writeFileSync(file, [
      'account,ts,plan,interval,mrr,status',
      'acme,2026-01-01T00:00:00Z,pro,month,5000,canceled',
      'acme,2026-01-01T00:00:00Z,business,month,9000,active',
      'acme,2026-01-01T00:00:00Z,business,month,9000,active',
    ].join('\n'));
    expect(importJson(file, join(dir, 'd.db')).total).toMatchObject({ read: 3, duplicates: 1, rejected: 0 });
  }, 60_000);
});
