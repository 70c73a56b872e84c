// Figure 1: bulk NDJSON import into the embedded store (aggregates included), against
// (a) the raw parse rate of the same file in Node and (b) DuckDB read_ndjson + the same aggregates.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { importItems } from '../../src/app/import-events.ts';
import { readLines } from '../../src/sources/lines.ts';
import { readNdjson } from '../../src/sources/ndjson.ts';
import { repeat, type BenchContext, type Figure } from '../lib.ts';

export async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const lines of readLines(file)) n += lines.length;
  return n;
}

async function rawParseRate(file: string): Promise<number> {
  const t = performance.now();
  let n = 0;
  for await (const lines of readLines(file)) {
    for (const l of lines) {
      JSON.parse(l.text);
      n++;
    }
  }
  return n / ((performance.now() - t) / 1000);
}

async function duckdbRate(file: string, events: number): Promise<number> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const t = performance.now();
  // The same aggregates Tierwise keeps: per account and meter, 7- and 30-day sums; distinct gate users.
  await c.run(`CREATE TABLE ev AS SELECT * FROM read_ndjson('${file}', format = 'newline_delimited', ignore_errors = true,
    columns = {id: 'VARCHAR', ts: 'VARCHAR', account: 'VARCHAR', "user": 'VARCHAR', type: 'VARCHAR', meter: 'VARCHAR', quantity: 'DOUBLE', feature: 'VARCHAR'})`);
  await c.runAndReadAll(`
    WITH last AS (SELECT max(ts::TIMESTAMPTZ) AS t FROM ev)
    SELECT account, meter,
      sum(quantity) FILTER (WHERE ts::TIMESTAMPTZ > (SELECT t FROM last) - INTERVAL 7 DAY) AS d7,
      sum(quantity) FILTER (WHERE ts::TIMESTAMPTZ > (SELECT t FROM last) - INTERVAL 30 DAY) AS d30
    FROM ev WHERE type = 'usage' GROUP BY account, meter`);
  await c.runAndReadAll(`SELECT account, feature, count(DISTINCT "user") FROM ev WHERE type = 'gate' GROUP BY account, feature`);
  const secs = (performance.now() - t) / 1000;
  c.closeSync();
  return events / secs;
}

export async function importFigures(ctx: BenchContext, file: string): Promise<Figure[]> {
  const events = await countLines(file);
  ctx.log(`import: ${events.toLocaleString('en-US')} events, ${(statSync(file).size / 1e6).toFixed(0)} MB`);
  const ours = await repeat(ctx.runs, async (i) => {
    const db = join(ctx.tmp, `import-${i}.db`);
    rmSync(db, { force: true });
    const store = openSqliteStore(db);
    const stats = await importItems(store, readNdjson(file));
    await store.close();
    rmSync(db, { force: true });
    rmSync(`${db}-wal`, { force: true });
    rmSync(`${db}-shm`, { force: true });
    return stats.read / stats.seconds;
  });
  const parse = await repeat(ctx.runs, () => rawParseRate(file));
  const duck = await repeat(ctx.runs, () => duckdbRate(file, events));
  return [
    { name: 'bulk import (NDJSON -> SQLite + aggregates)', unit: 'events/s', ours: ours.median, min: ours.min, max: ours.max, runs: ours.runs,
      reference: { name: 'raw JSON.parse of the file', value: parse.median }, target: { op: '>=', value: 500_000 } },
    { name: 'bulk import vs DuckDB', unit: 'events/s', ours: ours.median, min: ours.min, max: ours.max, runs: ours.runs,
      reference: { name: 'DuckDB read_ndjson + same aggregates', value: duck.median } },
  ];
}
