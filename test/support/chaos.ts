// The durability harness (issue #19): kill -9 `tierwise serve` while it ingests over HTTP and folds
// (the engine runs in it), and kill -9 `tierwise import` mid-file; restart, re-send what was not
// acknowledged (and some of what was), then compare the store with a clean run of the same events:
// events, daily usage aggregates, accounts, and the scores the engine computes from them.
// Small in the suite (test/e2e/chaos.test.ts); long with `npm run bench -- --only chaos`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import { exited, listening } from '../e2e/cli.ts';
import { eventLine } from '../helpers/event-lines.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = `${ROOT}bin/tierwise.mjs`;
const AS_OF = '2026-01-02';

export interface ChaosOptions { dir: string; trials: number; batches: number; batchSize: number; importLines: number; seed?: number; log?: (m: string) => void }
export interface ChaosReport {
  trials: number;
  kills: number;
  ackedEvents: number;
  resentBatches: number;
  lost: number;
  duplicated: number;
  /** what differs from the clean run (empty when the state is the same) */
  differences: string[];
}

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`tierwise ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}


async function serve(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
  const { url } = await listening(child);
  return { child, url };
}

const lineOf = (i: number) => eventLine(i, 200);

/** The state to compare: events, aggregates, accounts, and the engine's scores as of a fixed date. */
function snapshot(db: string): Record<string, string> {
  const d = new Database(db, { readonly: true });
  try {
    const q = (sql: string) => JSON.stringify(d.prepare(sql).all());
    return {
      events: q('SELECT count(*) AS n, count(DISTINCT id || ts) AS distinct_n FROM events'),
      // sums of fractional quantities depend on the order of addition in their last bits: rounded
      usage: q('SELECT account, meter, day, round(sum, 6) AS sum, last, events FROM usage_daily ORDER BY account, meter, day'),
      accounts: q('SELECT id, traits, placeholder, first_seen, last_seen FROM accounts ORDER BY id'),
      scores: cli(['score', '--db', db, '--as-of', AS_OF, '--json']),
    };
  } finally {
    d.close();
  }
}

function differences(a: Record<string, string>, b: Record<string, string>, label: string): string[] {
  return Object.keys(a).filter((k) => a[k] !== b[k]).map((k) => `${label}: ${k} differs from the clean run`);
}

/** A clean store with events 0..n-1, imported once without interruption. */
function cleanStore(dir: string, n: number): string {
  const file = join(dir, `clean-${n}.ndjson`);
  writeFileSync(file, Array.from({ length: n }, (_, i) => `${lineOf(i)}\n`).join(''));
  const db = join(dir, `clean-${n}.db`);
  cli(['import', file, '--db', db, '--no-progress']);
  return db;
}

async function httpTrial(o: ChaosOptions, t: number, random: () => number, report: ChaosReport, clean: Record<string, string>): Promise<void> {
  const db = join(o.dir, `http-${t}.db`);
  const { key } = JSON.parse(cli(['keys', 'create', '--scope', 'ingest', '--db', db, '--json'])) as { key: string };
  const body = (b: number) => `[${Array.from({ length: o.batchSize }, (_, i) => lineOf(b * o.batchSize + i)).join(',')}]`;
  const acked = new Set<number>();
  const killAfter = 1 + Math.floor(random() * (o.batches - 2));
  let server = await serve(db);
  let killed = false;
  const send = async (url: string, b: number): Promise<boolean> => {
    try {
      const r = await fetch(`${url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body(b) });
      await r.arrayBuffer();
      return r.status === 200;
    } catch {
      return false;
    }
  };
  // Four senders; the server is killed with SIGKILL once `killAfter` batches are acknowledged.
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < o.batches) {
      const b = next++;
      if (await send(server.url, b)) acked.add(b);
      if (!killed && acked.size >= killAfter) {
        killed = true;
        server.child.kill('SIGKILL');
        report.kills++;
      }
    }
  }));
  await exited(server.child);
  server = await serve(db);
  // Re-send everything not acknowledged, plus the last acknowledged batches (a client that lost the answer).
  const again = [...Array(o.batches).keys()].filter((b) => !acked.has(b) || b >= killAfter - 2);
  for (const b of again) {
    report.resentBatches++;
    if (!(await send(server.url, b))) throw new Error(`batch ${b} refused after restart`);
    acked.add(b);
  }
  server.child.kill('SIGTERM');
  await exited(server.child);
  report.ackedEvents += acked.size * o.batchSize;
  const d = new Database(db, { readonly: true });
  const { n, distinct_n } = d.prepare('SELECT count(*) AS n, count(DISTINCT id || ts) AS distinct_n FROM events').get() as { n: number; distinct_n: number };
  d.close();
  report.duplicated += n - distinct_n;
  report.lost += Math.max(0, o.batches * o.batchSize - distinct_n);
  const mine = snapshot(db);
  report.differences.push(...differences({ ...mine, accounts: stripTraits(mine.accounts) }, { ...clean, accounts: stripTraits(clean.accounts) }, `http trial ${t}`));
}

// first_seen/last_seen and traits are the same either way; kept as one string for the comparison.
const stripTraits = (s: string | undefined) => s ?? '';

async function importTrial(o: ChaosOptions, t: number, random: () => number, report: ChaosReport, clean: Record<string, string>): Promise<void> {
  const file = join(o.dir, `import-${o.importLines}.ndjson`);
  writeFileSync(file, Array.from({ length: o.importLines }, (_, i) => `${lineOf(i)}\n`).join(''));
  const db = join(o.dir, `import-${t}.db`);
  const child = spawn(process.execPath, [BIN, 'import', file, '--db', db, '--no-progress', '--batch-size', '500'], { stdio: 'ignore' });
  const target = Math.floor(o.importLines * (0.1 + 0.6 * random()));
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    if (child.exitCode !== null) break;
    let n = 0;
    try {
      const d = new Database(db, { readonly: true, fileMustExist: true });
      n = (d.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      d.close();
    } catch { /* not created yet */ }
    if (n >= target) {
      child.kill('SIGKILL');
      report.kills++;
      break;
    }
  }
  await exited(child);
  cli(['import', file, '--db', db, '--no-progress']);
  const mine = snapshot(db);
  const ev = JSON.parse(mine.events as string) as [{ n: number; distinct_n: number }];
  report.duplicated += ev[0].n - ev[0].distinct_n;
  report.lost += Math.max(0, o.importLines - ev[0].distinct_n);
  report.ackedEvents += o.importLines;
  report.differences.push(...differences(mine, clean, `import trial ${t}`));
}

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  mkdirSync(o.dir, { recursive: true });
  const random = rng(o.seed ?? 19);
  const report: ChaosReport = { trials: 0, kills: 0, ackedEvents: 0, resentBatches: 0, lost: 0, duplicated: 0, differences: [] };
  const cleanHttp = snapshot(cleanStore(o.dir, o.batches * o.batchSize));
  const cleanImport = snapshot(cleanStore(o.dir, o.importLines));
  for (let t = 0; t < o.trials; t++) {
    await httpTrial(o, t, random, report, cleanHttp);
    await importTrial(o, t, random, report, cleanImport);
    report.trials += 2;
    o.log?.(`chaos trial ${t + 1}/${o.trials}: ${report.kills} kills, ${report.lost} lost, ${report.duplicated} duplicated, ${report.differences.length} differences`);
  }
  return report;
}
