// The bulk import path (large transactions, checkpoints deferred: docs/adr/0013-import-speed.md) must
// leave the same store as the per-batch path it replaced (5,000 events a transaction, live checkpoints),
// and count the same rejects, warnings and duplicates, on a first import and on a re-import.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { IMPORT_BATCH, importItems, type ImportOptions, type ImportStats } from '../../src/app/import-events.ts';
import { readNdjson } from '../../src/sources/ndjson.ts';
import { eventLine, writeEventFile } from '../helpers/event-lines.ts';

const N = 120_000;
const dir = mkdtempSync(join(tmpdir(), 'tierwise-fast-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const traits = (i: number, renewal: string) => JSON.stringify({
  id: `acct-${i}`, ts: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 1_000).toISOString(),
  account: `acc-${String(i % 1_000).padStart(6, '0')}`, type: 'account',
  traits: { name: `Co ${i}`, employees: i % 50, renewal_at: renewal },
});

interface Run { stats: ImportStats; rejects: string[]; warnings: string[] }

async function load(db: string, file: string, path: 'per-batch' | 'bulk'): Promise<Run> {
  const store = openSqliteStore(db);
  // The per-batch path: the batch size it had, and no bulk-load settings.
  if (path === 'per-batch') delete (store as { beginBulkLoad?: unknown }).beginBulkLoad;
  const rejects: string[] = [];
  const warnings: string[] = [];
  const opts: ImportOptions = {
    ...(path === 'per-batch' ? { batchSize: 5_000 } : {}),
    onReject: (r) => rejects.push(JSON.stringify(r)),
    onWarning: (w) => warnings.push(JSON.stringify(w)),
  };
  try {
    const stats = await importItems(store, readNdjson(file), opts);
    return { stats, rejects, warnings };
  } finally {
    await store.close();
  }
}

function dump(db: string): { events: unknown[]; accounts: unknown[]; usage: { sum: number }[] } {
  const d = new Database(db, { readonly: true });
  try {
    return {
      events: d.prepare('SELECT seq, id, ts, account, type, body FROM events ORDER BY seq').all(),
      accounts: d.prepare('SELECT * FROM accounts ORDER BY id').all(),
      usage: d.prepare('SELECT * FROM usage_daily ORDER BY account, meter, day').all() as { sum: number }[],
    };
  } finally {
    d.close();
  }
}

const counts = (s: ImportStats) => ({ read: s.read, accepted: s.accepted, duplicates: s.duplicates, rejected: s.rejected, warnings: s.warnings });

describe('the bulk import path', () => {
  it(`stores what the per-batch path stored, on ${N.toLocaleString('en-US')} lines with rejects, warnings and duplicates`, async () => {
    expect(IMPORT_BATCH).toBeGreaterThan(5_000);
    const file = join(dir, 'mixed.ndjson');
    const bad: Record<number, string> = { 7: '{oops', 40_001: '{"id":"z","type":"usage"}', 99_999: '' };
    // redeliveries inside the file, across transaction boundaries of both paths
    for (const k of [5_002, 50_000, 50_001, 100_002, 119_000]) bad[k] = eventLine(k - 4_999);
    // account traits, newest wins, with an unreadable optional field (a warning, the event still stored)
    for (let k = 3; k < N; k += 997) bad[k] = traits(k, k % 2 === 0 ? 'next spring' : '2026-09-01');
    await writeEventFile(file, N, bad);

    const a = join(dir, 'per-batch.db');
    const b = join(dir, 'bulk.db');
    const firstA = await load(a, file, 'per-batch');
    const firstB = await load(b, file, 'bulk');
    expect(firstA.stats.rejected).toBe(2);
    expect(firstA.stats.duplicates).toBe(5);
    expect(firstA.stats.warnings).toBeGreaterThan(50);
    expect(counts(firstB.stats)).toEqual(counts(firstA.stats));
    expect(firstB.rejects).toEqual(firstA.rejects);
    expect(firstB.warnings).toEqual(firstA.warnings);

    // a re-import: everything is a duplicate, nothing changes
    const againA = await load(a, file, 'per-batch');
    const againB = await load(b, file, 'bulk');
    expect(againA.stats.accepted).toBe(0);
    expect(counts(againB.stats)).toEqual(counts(againA.stats));

    const da = dump(a);
    const db = dump(b);
    expect(da.events.length).toBe(N - 2 - 1 - 5);
    expect(db.events).toEqual(da.events);
    expect(db.accounts).toEqual(da.accounts);
    // Sums of fractional quantities are added in another grouping (per transaction, then in SQL), as
    // with any two --batch-size values: equal to the last bits of a double, and everything else exactly.
    expect(db.usage.length).toBe(da.usage.length);
    expect(db.usage.map((u) => ({ ...u, sum: 0 }))).toEqual(da.usage.map((u) => ({ ...u, sum: 0 })));
    da.usage.forEach((u, i) => expect((db.usage[i] as { sum: number }).sum).toBeCloseTo(u.sum, 9));
  });
});
