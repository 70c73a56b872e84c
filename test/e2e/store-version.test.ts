// A store's schema version through the real CLI: a store of the previous release is migrated on open
// (the business-event indexes added, nothing else touched); a store written by a newer Tierwise is
// refused with exit 2 and a sentence that says what to do, and is left as it was.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/adapters/sqlite/migrations.ts';
import type { TierwiseEvent } from '../../src/core/events/types.ts';
import { ndjson } from '../support/cli-world.ts';
import { tierwise } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-version-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function storeOf(name: string): string {
  const file = join(dir, `${name}.ndjson`);
  const t = Date.parse('2026-11-01T00:00:00Z');
  writeFileSync(file, ndjson([
    { id: 'a1', ts: t, account: 'acme', type: 'account', traits: { name: 'Acme' } },
    { id: 's1', ts: t + 1, account: 'acme', type: 'subscription', plan: 'basic', status: 'active', mrr: 49, interval: 'month' },
    { id: 'u1', ts: t + 2, account: 'acme', user: 'u1', type: 'usage', meter: 'api_calls', quantity: 5 },
  ] as TierwiseEvent[]));
  const db = join(dir, `${name}.db`);
  const r = tierwise(['import', file, '--db', db]);
  expect(r.code, r.stderr).toBe(0);
  return db;
}

const look = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      indexes: (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name").all() as { name: string }[]).map((r) => r.name),
      events: (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
};

describe('store schema versions (SQLite, through the CLI)', () => {
  it('migrates a store of schema 4 and says from which version to which: the indexes arrive, the events stay', () => {
    const path = storeOf('old');
    const db = new Database(path);
    db.exec('DROP INDEX events_history; DROP INDEX events_by_type');
    db.pragma('user_version = 4');
    db.close();
    expect(look(path)).toEqual({ version: 4, indexes: ['events_dedupe'], events: 3 });
    const r = tierwise(['db', 'migrate', '--db', path, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ store: path, kind: 'sqlite', from: 4, to: MIGRATIONS.length, latest: MIGRATIONS.length });
    expect(look(path)).toEqual({ version: MIGRATIONS.length, indexes: ['events_by_type', 'events_dedupe', 'events_history'], events: 3 });
    // any command migrates as it opens; once up to date there is nothing to apply
    expect(tierwise(['accounts', '--db', path, '--json']).code).toBe(0);
    expect(tierwise(['db', 'migrate', '--db', path]).stdout).toBe(`${path}: schema at version ${MIGRATIONS.length} of ${MIGRATIONS.length}, nothing to apply\n`);
  });

  it('refuses a store a newer Tierwise wrote, with exit 2 and what to do, and leaves it as it was', () => {
    const path = storeOf('new');
    const db = new Database(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 3}`);
    db.close();
    const before = look(path);
    for (const args of [['accounts', '--db', path], ['import', join(dir, 'new.ndjson'), '--db', path]]) {
      const r = tierwise(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`the store ${path} has schema version ${MIGRATIONS.length + 3}, newer than this Tierwise knows (${MIGRATIONS.length}); upgrade Tierwise to open it`);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    expect(look(path)).toEqual(before);
  });
});
