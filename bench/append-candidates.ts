// The event log's append, alone, for the designs T17 asked to measure (docs/adr/0017-event-log-candidates.md):
// the same validated events of one NDJSON file, already in memory, written by each candidate into a
// fresh file with a durable commit every 50,000 events, as `tierwise import` commits. Usage aggregates
// and accounts are left out of every candidate (they cost the same whatever holds the log); the
// store's own appendEvents (log + aggregates) runs beside them for scale, and DuckDB's appender is the
// columnar reference.
//   node bin/run-ts.mjs bench/append-candidates.ts FILE [--runs 3]
import { closeSync, fdatasyncSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import type { TierwiseEvent } from '../src/core/events/types.ts';
import { readNdjson } from '../src/sources/ndjson.ts';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bin/run-ts.mjs bench/append-candidates.ts FILE [--runs N]\n');
  process.exit(2);
}
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;
const BATCH = 50_000;
const SEGMENT = 1_024;

const events: TierwiseEvent[] = [];
for await (const items of readNdjson(file)) for (const it of items) if (it.event) events.push(it.event);
// what every candidate stores per event: the body text the store writes today
const bodies = events.map((e) => JSON.stringify(e));
const dir = mkdtempSync(join(tmpdir(), 'tierwise-append-'));

function sqlite(name: string): Database.Database {
  const db = new Database(join(dir, `${name}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 65536');
  return db;
}

/** Today's log: a rowid table, one row an event, and the (ts, id) dedupe index. */
function rowPerEvent(): void {
  const db = sqlite('rows');
  db.exec('CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, ts INTEGER NOT NULL, account TEXT NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL); CREATE UNIQUE INDEX events_dedupe ON events (ts, id);');
  const ins = db.prepare('INSERT OR IGNORE INTO events (id, ts, account, type, body) VALUES (?, ?, ?, ?, ?)');
  const tx = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) { const e = events[i]!; ins.run(e.id, e.ts, e.account, e.type, bodies[i]); }
  });
  for (let i = 0; i < events.length; i += BATCH) tx(i, Math.min(events.length, i + BATCH));
  db.pragma('wal_checkpoint(PASSIVE)');
  db.close();
}

/** Segments: a row per 1,024 events (their bodies, newline-joined), with or without a (ts, id) key table for the dedupe. */
function segments(dedupe: boolean): () => void {
  return () => {
    const db = sqlite(dedupe ? 'seg-keys' : 'seg');
    db.exec('CREATE TABLE segments (first_seq INTEGER PRIMARY KEY, n INTEGER NOT NULL, ts_min INTEGER NOT NULL, ts_max INTEGER NOT NULL, body BLOB NOT NULL);'
      + (dedupe ? 'CREATE TABLE event_keys (ts INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (ts, id)) WITHOUT ROWID;' : ''));
    const seg = db.prepare('INSERT INTO segments (first_seq, n, ts_min, ts_max, body) VALUES (?, ?, ?, ?, ?)');
    const key = dedupe ? db.prepare('INSERT OR IGNORE INTO event_keys (ts, id) VALUES (?, ?)') : undefined;
    let seq = 1;
    const tx = db.transaction((from: number, to: number) => {
      for (let s = from; s < to; s += SEGMENT) {
        const end = Math.min(to, s + SEGMENT);
        const kept: string[] = [];
        let lo = Number.POSITIVE_INFINITY;
        let hi = 0;
        for (let i = s; i < end; i++) {
          const e = events[i]!;
          if (key && key.run(e.ts, e.id).changes === 0) continue;
          kept.push(bodies[i]!);
          if (e.ts < lo) lo = e.ts;
          if (e.ts > hi) hi = e.ts;
        }
        if (kept.length === 0) continue;
        seg.run(seq, kept.length, lo, hi, Buffer.from(kept.join('\n')));
        seq += kept.length;
      }
    });
    for (let i = 0; i < events.length; i += BATCH) tx(i, Math.min(events.length, i + BATCH));
    db.pragma('wal_checkpoint(PASSIVE)');
    db.close();
  };
}

/** An append-only file of the bodies, fdatasync'd at every commit: the floor of any durable log here. */
function flatFile(): void {
  const fd = openSync(join(dir, 'log.ndjson'), 'w');
  for (let i = 0; i < events.length; i += BATCH) {
    writeSync(fd, `${bodies.slice(i, Math.min(events.length, i + BATCH)).join('\n')}\n`);
    fdatasyncSync(fd);
  }
  closeSync(fd);
}

/** The store as `tierwise import` runs it: the log plus accounts and usage aggregates. */
async function storeAppend(): Promise<void> {
  const store = openSqliteStore(join(dir, 'store.db'));
  const bulk = store.beginBulkLoad?.();
  for (let i = 0; i < events.length; i += BATCH) await store.appendEvents(events.slice(i, Math.min(events.length, i + BATCH)));
  await bulk?.end();
  await store.close();
}

/** DuckDB's appender into a table of a database file, a checkpoint at the end. */
async function duckdbAppender(): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(join(dir, 'log.duckdb'));
  const c = await db.connect();
  await c.run('CREATE TABLE events (id VARCHAR, ts BIGINT, account VARCHAR, type VARCHAR, body VARCHAR)');
  for (let i = 0; i < events.length; i += BATCH) {
    const a = await c.createAppender('events');
    for (let j = i; j < Math.min(events.length, i + BATCH); j++) {
      const e = events[j]!;
      a.appendVarchar(e.id); a.appendBigInt(BigInt(e.ts)); a.appendVarchar(e.account); a.appendVarchar(e.type); a.appendVarchar(bodies[j]!);
      a.endRow();
    }
    a.closeSync();
  }
  await c.run('CHECKPOINT');
  c.closeSync();
}

/** The same, a data chunk of 2,048 rows (DuckDB's vector) at a time instead of value by value. */
async function duckdbChunks(): Promise<void> {
  const { DuckDBInstance, DuckDBDataChunk, BIGINT, VARCHAR } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(join(dir, 'chunks.duckdb'));
  const c = await db.connect();
  await c.run('CREATE TABLE events (id VARCHAR, ts BIGINT, account VARCHAR, type VARCHAR, body VARCHAR)');
  for (let i = 0; i < events.length; i += BATCH) {
    const a = await c.createAppender('events');
    for (let s = i; s < Math.min(events.length, i + BATCH); s += 2_048) {
      const slice = events.slice(s, Math.min(events.length, i + BATCH, s + 2_048));
      const chunk = DuckDBDataChunk.create([VARCHAR, BIGINT, VARCHAR, VARCHAR, VARCHAR], slice.length);
      chunk.setColumns([slice.map((e) => e.id), slice.map((e) => BigInt(e.ts)), slice.map((e) => e.account), slice.map((e) => e.type), bodies.slice(s, s + slice.length)]);
      a.appendDataChunk(chunk);
    }
    a.closeSync();
  }
  await c.run('CHECKPOINT');
  c.closeSync();
}

const candidates: [string, () => void | Promise<void>][] = [
  ['row per event + (ts, id) index (today\'s log)', rowPerEvent],
  ['segments of 1,024 + (ts, id) key table', segments(true)],
  ['segments of 1,024, no dedupe', segments(false)],
  ['flat file, fdatasync per commit', flatFile],
  ['DuckDB appender, value by value', duckdbAppender],
  ['DuckDB appender, data chunks of 2,048', duckdbChunks],
  ['the store\'s appendEvents (log + aggregates)', storeAppend],
];
const rows: { candidate: string; medianEventsPerSecond: number; runs: number[] }[] = [];
try {
  for (const [name, run] of candidates) {
    const rates: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const t = performance.now();
      await run();
      rates.push(Math.round(events.length / ((performance.now() - t) / 1000)));
      rmSync(dir, { recursive: true, force: true });
    }
    const sorted = [...rates].sort((a, b) => a - b);
    rows.push({ candidate: name, medianEventsPerSecond: sorted[sorted.length >> 1]!, runs: rates });
    process.stderr.write(`${name}: ${sorted[sorted.length >> 1]!.toLocaleString('en-US')} ev/s (${rates.join(', ')})\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify({ events: events.length, batch: BATCH, rows }, null, 2)}\n`);
