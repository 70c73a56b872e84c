// `tierwise simulate`: writes a synthetic SaaS world (src/sim) to DIR/events.ndjson and
// DIR/truth.ndjson, in this thread or split over worker threads (simulate-parallel.ts) with the
// same bytes either way. The world is built in a temp directory beside DIR and renamed into place
// at the end, so a bad flag or a crash never leaves a half-written world behind.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, resolveConfigPath } from '../config/load.ts';
import { toCatalog } from '../config/catalog-from-config.ts';
import { toPlaybookSettings } from '../config/playbooks-schema.ts';
import { parseStartDate } from '../sim/calendar.ts';
import { createWorld, type WorldOptions } from '../sim/world.ts';
import { UsageError, printJson } from './output.ts';
import { writeWorldParallel, type WrittenWorld } from './simulate-parallel.ts';

export interface SimulateFlags {
  accounts: string;
  days: string;
  seed: string;
  start: string;
  out: string;
  config?: string;
  json?: boolean;
  /** worker threads: "auto" (the default) or a count; 1 runs in this thread */
  threads?: string;
  /** days of subscription history before --start (default 0) */
  historyDays?: string;
}

export interface SimulateSummary {
  out: string;
  accounts: number;
  days: number;
  seed: number;
  start: string;
  historyDays: number;
  threads: number;
  events: number;
  truthRecords: number;
  bytes: { events: number; truth: number };
  seconds: number;
  eventsPerSecond: number;
}

const OUTPUT_FILES = new Set(['events.ndjson', 'truth.ndjson']);
/** below this, starting workers (and compiling their TypeScript) costs more than it saves */
const PARALLEL_MIN_ACCOUNTS = 10_000;
const MAX_THREADS = 16;

function positiveInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${flag} must be a positive integer, got "${value}"`);
  }
  return Number(value);
}

export function registerSimulate(program: Command): void {
  program.command('simulate')
    .description('generate a synthetic SaaS world: DIR/events.ndjson (canonical events) and DIR/truth.ndjson (hidden state)')
    .requiredOption('--out <dir>', 'output directory (created; replaced only if it holds a previous world)')
    .option('--accounts <n>', 'number of accounts', '2000')
    .option('--days <n>', 'number of days to simulate', '90')
    .option('--seed <n>', 'random seed: the same seed gives byte-identical files', '1')
    .option('--start <date>', 'first day, YYYY-MM-DD (UTC)', '2026-01-01')
    .option('-c, --config <file>', 'config file with the plan catalog')
    .option('--history-days <n>', 'days of subscription history before --start: sign-ups, upgrades, downgrades, churn, comebacks, former customers (0 = none)', '0')
    .option('--threads <n>', `worker threads (same output whatever the count); auto = 2 from ${PARALLEL_MIN_ACCOUNTS.toLocaleString('en-US')} accounts on 2+ cores, else 1`, 'auto')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: SimulateFlags) => {
      const summary = await runSimulateThreads(opts, process.stderr.isTTY === true);
      if (opts.json) printJson(summary);
      else process.stdout.write(renderSummary(summary));
    });
}

interface SimulatePlan { world: WorldOptions; out: string; start: string; threads: number; historyDays: number }

/** Validates the flags: UsageError / ConfigError (exit 2) before anything touches the disk. */
function planSimulate(opts: SimulateFlags): SimulatePlan {
  const accounts = positiveInt('accounts', opts.accounts);
  const days = positiveInt('days', opts.days);
  if (!/^-?\d+$/.test(opts.seed.trim()) || !Number.isSafeInteger(Number(opts.seed))) throw new UsageError(`--seed must be an integer, got "${opts.seed}"`);
  const seed = Number(opts.seed);
  const startMs = parseStartDate(opts.start);
  if (startMs === undefined) throw new UsageError(`--start must be a date YYYY-MM-DD, got "${opts.start}"`);
  const t = opts.threads ?? 'auto';
  let threads: number;
  if (t === 'auto') threads = accounts >= PARALLEL_MIN_ACCOUNTS && availableParallelism() >= 2 ? 2 : 1;
  else {
    threads = positiveInt('threads', t);
    if (threads > MAX_THREADS) throw new UsageError(`--threads must be at most ${MAX_THREADS}, got ${threads}`);
  }
  const h = opts.historyDays ?? '0';
  if (!/^\d+$/.test(h.trim()) || !Number.isSafeInteger(Number(h))) throw new UsageError(`--history-days must be a whole number of days, got "${h}"`);
  const historyDays = Number(h);
  const cfg = loadConfig(resolveConfigPath(opts.config));
  const catalog = toCatalog(cfg);
  const out = resolve(opts.out);
  checkOutDir(out);
  const members = toPlaybookSettings(cfg).team.members;
  const team = { csms: members.filter((m) => m.role === 'csm').map((m) => m.id), aes: members.filter((m) => m.role === 'ae').map((m) => m.id) };
  return { world: { accounts, days, seed, startMs, catalog, historyDays, team }, out, start: opts.start, threads: Math.min(threads, accounts), historyDays };
}

/**
 * Builds the world in a temp directory beside DIR, renamed into place at the end, so a bad flag
 * or a crash never leaves a half-written world behind. Synchronous for a synchronous writer (the
 * demo relies on it); for a promise, the rename and cleanup happen when it settles.
 */
function inTempDir<T>(out: string, write: (tmp: string) => T): T {
  const tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}`);
  const onSignal = (sig: NodeJS.Signals): void => { rmSync(tmp, { recursive: true, force: true }); process.kill(process.pid, sig); };
  const done = (): void => {
    rmSync(tmp, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let pending = false;
  try {
    mkdirSync(tmp, { recursive: true });
    const r = write(tmp);
    if (r instanceof Promise) {
      pending = true;
      return r.then((v: unknown) => { replaceDir(tmp, out); return v; }).finally(done) as T;
    }
    replaceDir(tmp, out);
    return r;
  } finally {
    if (!pending) done();
  }
}

function progressLine(progress: boolean, days: number, t0: number): (day: number, events: number) => void {
  return (day, events) => {
    if (!progress) return;
    const s = (performance.now() - t0) / 1000;
    process.stderr.write(`\rsimulate: day ${Math.max(0, day + 1)}/${days}  ${events.toLocaleString('en-US')} events  ${Math.round(events / Math.max(s, 1e-3)).toLocaleString('en-US')} events/s   `);
  };
}

function summarize(p: SimulatePlan, threads: number, w: WrittenWorld, t0: number): SimulateSummary {
  const seconds = (performance.now() - t0) / 1000;
  return {
    out: p.out, accounts: p.world.accounts, days: p.world.days, seed: p.world.seed, start: p.start, historyDays: p.historyDays, threads,
    events: w.events, truthRecords: w.truthRecords,
    bytes: { events: w.eventBytes, truth: w.truthBytes },
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSecond: Math.round(w.events / Math.max(seconds, 1e-3)),
  };
}

/** The command: worker threads when --threads (or auto) says so, else this thread. */
export async function runSimulateThreads(opts: SimulateFlags, progress: boolean): Promise<SimulateSummary> {
  const p = planSimulate(opts);
  if (p.threads === 1) return runSimulate(opts, progress);
  const t0 = performance.now();
  const w = await inTempDir(p.out, (tmp) => writeWorldParallel(p.world, p.threads, tmp, progressLine(progress, p.world.days, t0)));
  if (progress) process.stderr.write('\n');
  return summarize(p, p.threads, w, t0);
}

/** In this thread, synchronously (the demo calls it). Throws UsageError / ConfigError (exit 2) before touching the disk. */
export function runSimulate(opts: SimulateFlags, progress: boolean): SimulateSummary {
  const p = { ...planSimulate(opts), threads: 1 };
  const t0 = performance.now();
  const written = inTempDir(p.out, (tmp) => writeWorld(p.world, tmp, progressLine(progress, p.world.days, t0)));
  if (progress) process.stderr.write('\n');
  return summarize(p, 1, written, t0);
}

function writeWorld(opts: WorldOptions, dir: string, onStep: (day: number, events: number) => void): WrittenWorld {
  const world = createWorld(opts);
  let events = 0;
  let eventBytes = 0;
  const fd = openSync(join(dir, 'events.ndjson'), 'w');
  try {
    for (const chunk of world.chunks()) {
      eventBytes += writeAll(fd, chunk.data);
      events += chunk.events;
      onStep(chunk.day, events);
    }
  } finally {
    closeSync(fd);
  }
  let truthRecords = 0;
  let truthBytes = 0;
  const tfd = openSync(join(dir, 'truth.ndjson'), 'w');
  try {
    let batch: string[] = [];
    for (const t of world.truth()) {
      batch.push(JSON.stringify(t));
      truthRecords++;
      if (batch.length === 2000) { truthBytes += writeAll(tfd, `${batch.join('\n')}\n`); batch = []; }
    }
    if (batch.length > 0) truthBytes += writeAll(tfd, `${batch.join('\n')}\n`);
  } finally {
    closeSync(tfd);
  }
  return { events, eventBytes, truthRecords, truthBytes };
}

function writeAll(fd: number, data: string | Buffer): number {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  return buf.length;
}

/** DIR may be absent, empty, or a previous world; anything else is somebody's data and is left alone. */
function checkOutDir(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`--out ${out} exists and is not a directory`);
  const foreign = readdirSync(out).filter((f) => !OUTPUT_FILES.has(f));
  if (foreign.length > 0) throw new UsageError(`--out ${out} exists and holds other files (${foreign.slice(0, 3).join(', ')}); choose another directory`);
}

function replaceDir(tmp: string, out: string): void {
  if (existsSync(out)) {
    const old = `${tmp}.old`;
    renameSync(out, old);
    renameSync(tmp, out);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(tmp, out);
  }
}

const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;

function renderSummary(s: SimulateSummary): string {
  return [
    `wrote ${s.out}`,
    `  accounts     ${s.accounts.toLocaleString('en-US')} over ${s.days} days from ${s.start} (seed ${s.seed})${s.historyDays > 0 ? `, subscription history from ${s.historyDays} days before` : ''}`,
    `  events       ${s.events.toLocaleString('en-US')}  (${mb(s.bytes.events)})  events.ndjson`,
    `  truth        ${s.truthRecords.toLocaleString('en-US')} records  (${mb(s.bytes.truth)})  truth.ndjson`,
    `  time         ${s.seconds.toFixed(2)} s, ${s.eventsPerSecond.toLocaleString('en-US')} events/s (${s.threads} thread${s.threads === 1 ? '' : 's'})`,
    '',
  ].join('\n');
}
