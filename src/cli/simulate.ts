// `tierwise simulate`: writes a synthetic SaaS world (src/sim) to DIR/events.ndjson and
// DIR/truth.ndjson. The world is built in a temp directory beside DIR and renamed into place at
// the end, so a bad flag or a crash never leaves a half-written world behind.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, resolveConfigPath } from '../config/load.ts';
import { toCatalog } from '../config/catalog-from-config.ts';
import { parseStartDate } from '../sim/calendar.ts';
import { createWorld } from '../sim/world.ts';
import { UsageError, printJson } from './output.ts';

export interface SimulateFlags {
  accounts: string;
  days: string;
  seed: string;
  start: string;
  out: string;
  config?: string;
  json?: boolean;
}

export interface SimulateSummary {
  out: string;
  accounts: number;
  days: number;
  seed: number;
  start: string;
  events: number;
  truthRecords: number;
  bytes: { events: number; truth: number };
  seconds: number;
  eventsPerSecond: number;
}

const OUTPUT_FILES = new Set(['events.ndjson', 'truth.ndjson']);

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
    .option('--json', 'print the summary as JSON')
    .action((opts: SimulateFlags) => {
      const summary = runSimulate(opts, process.stderr.isTTY === true);
      if (opts.json) printJson(summary);
      else process.stdout.write(renderSummary(summary));
    });
}

/** Validates the flags, then writes the world. Throws UsageError / ConfigError (exit 2) before touching the disk. */
export function runSimulate(opts: SimulateFlags, progress: boolean): SimulateSummary {
  const accounts = positiveInt('accounts', opts.accounts);
  const days = positiveInt('days', opts.days);
  if (!/^-?\d+$/.test(opts.seed.trim()) || !Number.isSafeInteger(Number(opts.seed))) throw new UsageError(`--seed must be an integer, got "${opts.seed}"`);
  const seed = Number(opts.seed);
  const startMs = parseStartDate(opts.start);
  if (startMs === undefined) throw new UsageError(`--start must be a date YYYY-MM-DD, got "${opts.start}"`);
  const catalog = toCatalog(loadConfig(resolveConfigPath(opts.config)));
  const out = resolve(opts.out);
  checkOutDir(out);

  const tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}`);
  const cleanup = (): void => rmSync(tmp, { recursive: true, force: true });
  const onSignal = (sig: NodeJS.Signals): void => { cleanup(); process.kill(process.pid, sig); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const t0 = performance.now();
  try {
    mkdirSync(tmp, { recursive: true });
    const world = createWorld({ accounts, days, seed, startMs, catalog });
    let events = 0;
    let eventBytes = 0;
    const fd = openSync(join(tmp, 'events.ndjson'), 'w');
    try {
      for (const chunk of world.chunks()) {
        eventBytes += writeAll(fd, chunk.data);
        events += chunk.events;
        if (progress) {
          const s = (performance.now() - t0) / 1000;
          process.stderr.write(`\rsimulate: day ${chunk.day + 1}/${days}  ${events.toLocaleString('en-US')} events  ${Math.round(events / Math.max(s, 1e-3)).toLocaleString('en-US')} events/s   `);
        }
      }
    } finally {
      closeSync(fd);
    }
    let truthRecords = 0;
    let truthBytes = 0;
    const tfd = openSync(join(tmp, 'truth.ndjson'), 'w');
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
    if (progress) process.stderr.write('\n');
    replaceDir(tmp, out);
    const seconds = (performance.now() - t0) / 1000;
    return {
      out, accounts, days, seed, start: opts.start, events, truthRecords,
      bytes: { events: eventBytes, truth: truthBytes },
      seconds: Math.round(seconds * 100) / 100,
      eventsPerSecond: Math.round(events / Math.max(seconds, 1e-3)),
    };
  } finally {
    cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
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
    `  accounts     ${s.accounts.toLocaleString('en-US')} over ${s.days} days from ${s.start} (seed ${s.seed})`,
    `  events       ${s.events.toLocaleString('en-US')}  (${mb(s.bytes.events)})  events.ndjson`,
    `  truth        ${s.truthRecords.toLocaleString('en-US')} records  (${mb(s.bytes.truth)})  truth.ndjson`,
    `  time         ${s.seconds.toFixed(2)} s, ${s.eventsPerSecond.toLocaleString('en-US')} events/s`,
    '',
  ].join('\n');
}
