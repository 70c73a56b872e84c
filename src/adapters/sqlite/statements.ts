// Prepared statements, kept per SQL text: preparing costs about as much as running a point query,
// and the scheduler reads an opportunity, an account and a step list for every due step.
import type Database from 'better-sqlite3';

export type StatementCache = (sql: string) => Database.Statement;

export function statementCache(db: Database.Database): StatementCache {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
}
