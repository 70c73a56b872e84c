// Connections and migrations for the PostgreSQL store (driver: postgres.js, docs/adr/0007-postgres.md).
import postgres from 'postgres';
import { PG_MIGRATIONS } from './migrations.ts';
import { StoreVersionError } from '../../app/errors.ts';

export type Sql = postgres.Sql<Record<string, never>>;
export type Tx = postgres.TransactionSql<Record<string, never>>;
/** what a helper that runs statements needs: a transaction or the pool */
export type Runner = Pick<Tx, 'unsafe'>;

export interface PgConnectOptions {
  /** a schema to live in instead of the connection's default (tests use one per store) */
  schema?: string;
  /** pool size (default 10) */
  max?: number;
}

/** True for the URLs the PostgreSQL store takes. */
export const isPostgresUrl = (s: string): boolean => /^postgres(ql)?:\/\//i.test(s);

/** A URL fit for messages: the password, if any, replaced. */
export const redactUrl = (url: string): string => url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function connect(url: string, opts: PgConnectOptions = {}): Sql {
  if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) throw new Error(`schema "${opts.schema}" must be lower-case letters, digits and _`);
  return postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => undefined,
    // int8 columns (seq, ts, counts) hold values far below 2^53: read them as numbers
    types: { bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
    ...(opts.schema !== undefined ? { connection: { search_path: opts.schema } } : {}),
  }) as unknown as Sql;
}

/** A fixed advisory-lock key for migrations ('twmg'), so that concurrent starts apply each version once. */
const MIGRATE_LOCK = 0x74776d67;

export interface MigrateReport { from: number; to: number }

/** Applies the migrations this database lacks, each in its own transaction. */
export async function migrate(sql: Sql, schema?: string): Promise<MigrateReport> {
  await sql.begin(async (tx) => {
    // IF NOT EXISTS is not safe against a concurrent CREATE: nodes starting together take turns
    await tx`SELECT pg_advisory_xact_lock(${MIGRATE_LOCK})`;
    if (schema !== undefined) await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx`CREATE TABLE IF NOT EXISTS tw_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`;
  });
  let from = -1;
  let to = 0;
  for (;;) {
    const done = await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${MIGRATE_LOCK})`;
      const [row] = await tx<{ v: number }[]>`SELECT coalesce(max(version), 0)::int AS v FROM tw_migrations`;
      const current = row?.v ?? 0;
      if (from < 0) from = current;
      if (current > PG_MIGRATIONS.length) {
        throw new StoreVersionError(current, PG_MIGRATIONS.length, 'the PostgreSQL store');
      }
      to = current;
      if (current === PG_MIGRATIONS.length) return true;
      await tx.unsafe(PG_MIGRATIONS[current] as string);
      await tx`INSERT INTO tw_migrations (version) VALUES (${current + 1})`;
      to = current + 1;
      return false;
    });
    if (done) return { from, to };
  }
}

/** Escapes a value for COPY's text format. */
export function copyText(v: string): string {
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
}
