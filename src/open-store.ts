// Opening a store by its path, and the store's schema: what every CLI command needs, kept apart from
// the server's composition (compose.ts) so that a command that only reads a store does not load the
// HTTP stack, the dashboard and the vendors' clients.
import { MIGRATIONS } from './adapters/sqlite/migrations.ts';
import { openSqliteStore, sqliteSchemaVersion } from './adapters/sqlite/sqlite-store.ts';
import { createMemoryStore } from './adapters/memory/memory-store.ts';
import { connect, isPostgresUrl, migrate, redactUrl } from './adapters/postgres/connect.ts';
import { PG_MIGRATIONS } from './adapters/postgres/migrations.ts';
import { openPostgresStore } from './adapters/postgres/postgres-store.ts';
import type { Store } from './app/ports.ts';

/**
 * Opens the store at a path; ':memory:' gives the in-memory store, a postgres:// URL the PostgreSQL one.
 * `appendThread`: a SQLite store appends on a worker thread (`tierwise serve`; see sqlite-store.ts).
 */
export async function openStore(path: string, opts: { appendThread?: boolean } = {}): Promise<Store> {
  if (path === ':memory:') return createMemoryStore();
  return isPostgresUrl(path) ? openPostgresStore(path) : openSqliteStore(path, opts.appendThread ? { appendThread: true } : {});
}

export { isPostgresUrl };

export interface MigrateResult { store: string; kind: 'sqlite' | 'postgres'; from: number; to: number; latest: number }

/** `tierwise db migrate`: brings a store's schema up to date (opening one does too; this is for operators who migrate first). */
export async function migrateStore(path: string): Promise<MigrateResult> {
  if (isPostgresUrl(path)) {
    const sql = connect(path, { max: 1 });
    try {
      return { store: redactUrl(path), kind: 'postgres', ...(await migrate(sql)), latest: PG_MIGRATIONS.length };
    } finally {
      await sql.end({ timeout: 5 });
    }
  }
  const from = sqliteSchemaVersion(path);
  // opening migrates to the latest version, or throws
  await openSqliteStore(path).close();
  return { store: path, kind: 'sqlite', from, to: MIGRATIONS.length, latest: MIGRATIONS.length };
}

/** The store's name for messages and logs: a URL's password is never printed. */
export const describeStore = (path: string): string => (isPostgresUrl(path) ? redactUrl(path) : path);
