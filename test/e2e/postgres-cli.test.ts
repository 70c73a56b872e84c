// Moving to PostgreSQL through the real CLI: a SQLite store with events, playbook state and a key
// is copied with `tierwise db copy` (verified by counts), a second copy is refused, `db migrate`
// reports the schema version, and the commands read the same answers from either store, whether
// PostgreSQL is named by --db or by $TIERWISE_DB.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_MIGRATIONS } from '../../src/adapters/postgres/migrations.ts';
import { importWorld, tierwiseAsync } from '../support/cli-world.ts';
import { START } from '../support/playbook-world.ts';
import { testDatabase, type TestDatabase } from '../support/postgres.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-pg-cli-'));
const file = join(dir, 'store.db');
let pg: TestDatabase;

async function ok(args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await tierwiseAsync(args, env);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  pg = await testDatabase('cli');
  importWorld(dir, file);
  await ok(['run', '--until', new Date(START + 86_400_000).toISOString(), '--no-deliver', '--db', file]);
  await ok(['keys', 'create', '--name', 'ci', '--scope', 'ingest', '--db', file]);
});
afterAll(async () => {
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('tierwise db', () => {
  it('copies a SQLite store into PostgreSQL, verified by counts, and refuses to copy into a store that has events', async () => {
    const r = JSON.parse(await ok(['db', 'copy', '--from', file, '--to', pg.url, '--json'])) as { source: Record<string, number>; target: Record<string, number> };
    expect(r.target).toEqual(r.source);
    expect(r.source.events).toBeGreaterThan(100);
    expect(r.source.opportunities).toBeGreaterThan(0);
    expect(r.source.steps).toBeGreaterThan(0);
    expect(r.source.keys).toBe(1);

    const [again, bad] = await Promise.all([tierwiseAsync(['db', 'copy', '--from', file, '--to', pg.url]), tierwiseAsync(['db', 'copy', '--from', file, '--to', join(dir, 'other.db')])]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`the target already holds ${r.source.events} events`);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--to must be a postgres:// URL');
  });

  it('migrates on request and says when there is nothing to apply', async () => {
    const r = JSON.parse(await ok(['db', 'migrate', '--json'], { TIERWISE_DB: pg.url })) as { kind: string; from: number; to: number };
    expect(r).toMatchObject({ kind: 'postgres', from: PG_MIGRATIONS.length, to: PG_MIGRATIONS.length });
  });

  it('answers the same from PostgreSQL as from the SQLite file it was copied from', async () => {
    // each CLI start costs seconds here: two commands, one through $TIERWISE_DB, one through --db
    // one moment for both (one clock, ADR 0011): without --as-of each answers at its own wall clock
    const at = new Date(START + 86_400_000).toISOString();
    const [a1, a2, o1, o2] = await Promise.all([ok(['accounts', '--json', '--as-of', at, '--db', file]), ok(['accounts', '--json', '--as-of', at], { TIERWISE_DB: pg.url }),
      ok(['opportunities', '--json', '--as-of', at, '--db', file]), ok(['opportunities', '--json', '--as-of', at, '--db', pg.url])]);
    expect(a2).toBe(a1);
    expect(o2).toBe(o1);
    expect(JSON.parse(o1)).not.toEqual([]);
  });
});
