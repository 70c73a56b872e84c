import type { Command } from 'commander';
import { closeSync, existsSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { IMPORT_BATCH, importItems, type ImportStats, type ImportWarning } from '../app/import-events.ts';
import { loadConfig, resolveConfigPath, resolveDbPath } from '../config/load.ts';
import { openStore } from '../open-store.ts';
import { readCsv, type CsvKind } from '../sources/csv.ts';
import { readNdjson } from '../sources/ndjson.ts';
import { SourceFormatError, type SourceItem } from '../sources/types.ts';
import { EXIT, printJson, table, UsageError } from './output.ts';
import { progressBar } from './progress.ts';

interface ImportFlags { db?: string; config?: string; json?: boolean; csvKind?: CsvKind; batchSize?: string; progress?: boolean }

/** Transactions stay under a second or so, so live ingest into the same store never waits seconds for the lock. */
const MAX_BATCH = 100_000;

/** The first warnings of a file, shown in the summary; all of them are in the warnings file. */
const WARNINGS_SHOWN = 10;

export interface FileReport extends ImportStats {
  file: string;
  rejects?: string;
  /** <file>.warnings.ndjson, when some optional field could not be read */
  warningsFile?: string;
  firstWarnings?: (ImportWarning & { file: string })[];
  error?: string;
}

export function registerImport(program: Command): void {
  program.command('import')
    .description('import canonical events (.ndjson/.jsonl) or accounts/subscriptions (.csv) into the store')
    .argument('<files...>', 'files to import')
    .option('--db <path>', 'store file (default: $TIERWISE_DB, the config\'s store.path, or .tierwise/tierwise.db)')
    .option('-c, --config <file>', 'config file')
    .option('--csv-kind <kind>', 'accounts or subscriptions (default: told by the CSV header)')
    .option('--batch-size <n>', `events per transaction (at most ${MAX_BATCH}: a server beside the import waits for each one; 5000 keeps its waits near 50 ms)`, String(IMPORT_BATCH))
    .option('--no-progress', 'no progress bar even on a terminal')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', `
Rejected lines go to <file>.rejects.ndjson as {"line": N, "error": "...", "raw": "..."}; the rest still imports.
Only an event's identity (id, ts, account, type), what it says happened and the numbers the engine sums
reject a line. An optional field that cannot be read (e.g. traits.renewal_at "next spring") is a warning:
the event is stored without it, and <file>.warnings.ndjson holds {"file", "line", "field", "value", "why"}.
Dates may be calendar dates (renewal_at 2026-06-24 = that day, 00:00 UTC); docs/events.md lists every field.
Re-importing is harmless: events already stored (same id and ts) count as duplicates.
Exit codes: 0 all lines accepted (duplicates included), 1 some lines rejected or a file unreadable,
2 bad usage or config (nothing written), 3 internal error.`)
    .action(async (files: string[], flags: ImportFlags) => {
      // Validate everything before the store is opened: a config error never half-writes a store.
      const cfg = loadConfig(resolveConfigPath(flags.config));
      for (const f of files) if (!existsSync(f)) throw new UsageError(`${f}: no such file`);
      if (flags.csvKind && flags.csvKind !== 'accounts' && flags.csvKind !== 'subscriptions') throw new UsageError(`--csv-kind must be accounts or subscriptions, got "${flags.csvKind}"`);
      const batchSize = Number(flags.batchSize);
      if (!Number.isInteger(batchSize) || batchSize <= 0 || batchSize > MAX_BATCH) throw new UsageError(`--batch-size must be an integer from 1 to ${MAX_BATCH}, got "${flags.batchSize}"`);

      const store = await openStore(resolveDbPath(flags.db, cfg));
      const reports: FileReport[] = [];
      try {
        for (const file of files) reports.push(await importFile(store, file, { batchSize, csvKind: flags.csvKind, progress: flags.progress !== false && !flags.json }));
      } finally {
        await store.close();
      }
      const total = reports.reduce((t, r) => ({
        read: t.read + r.read, accepted: t.accepted + r.accepted, duplicates: t.duplicates + r.duplicates,
        rejected: t.rejected + r.rejected, warnings: t.warnings + r.warnings, seconds: t.seconds + r.seconds,
      }), { read: 0, accepted: 0, duplicates: 0, rejected: 0, warnings: 0, seconds: 0 });
      const summary = { ...total, eventsPerSecond: total.seconds > 0 ? Math.round(total.read / total.seconds) : 0 };
      if (flags.json) printJson({ files: reports, total: summary });
      else process.stdout.write(renderReports(reports, summary));
      process.exitCode = reports.some((r) => r.rejected > 0 || r.error) ? EXIT.problems : EXIT.ok;
    });
}

export async function importFile(store: Awaited<ReturnType<typeof openStore>>, file: string, o: { batchSize: number; csvKind: CsvKind | undefined; progress: boolean }): Promise<FileReport> {
  // A directory is a file that cannot be read as events: reported like one (exit 1), not a crash.
  if (statSync(file).isDirectory()) return { file, read: 0, accepted: 0, duplicates: 0, rejected: 0, warnings: 0, seconds: 0, eventsPerSecond: 0, error: `${file}: is a directory; name the files in it` };
  const rejectsFile = `${file}.rejects.ndjson`;
  const warningsFile = `${file}.warnings.ndjson`;
  rmSync(rejectsFile, { force: true });
  rmSync(warningsFile, { force: true });
  let fd: number | undefined;
  let wfd: number | undefined;
  const firstWarnings: (ImportWarning & { file: string })[] = [];
  const size = statSync(file).size;
  const bar = progressBar(Math.max(1, Math.round(size / 1e6)), file, 'MB', o.progress && process.stderr.isTTY === true);
  let bytes = 0;
  const onBytes = (n: number) => { bytes += n; };
  const source: AsyncIterable<SourceItem[]> = file.toLowerCase().endsWith('.csv') ? readCsv(file, o.csvKind, onBytes) : readNdjson(file, onBytes);
  try {
    const stats = await importItems(store, source, {
      batchSize: o.batchSize,
      onReject: (r) => {
        fd ??= openSync(rejectsFile, 'w');
        writeSync(fd, `${JSON.stringify({ line: r.line, error: r.error, raw: r.raw })}\n`);
      },
      onWarning: (w) => {
        const row = { file, ...w };
        if (firstWarnings.length < WARNINGS_SHOWN) firstWarnings.push(row);
        wfd ??= openSync(warningsFile, 'w');
        writeSync(wfd, `${JSON.stringify(row)}\n`);
      },
      onProgress: (s) => bar.update(Math.round(bytes / 1e6), { rate: `${s.eventsPerSecond.toLocaleString('en-US')} events/s` }),
    });
    return { file, ...stats, ...(fd !== undefined ? { rejects: rejectsFile } : {}), ...(wfd !== undefined ? { warningsFile, firstWarnings } : {}) };
  } catch (err) {
    if (err instanceof SourceFormatError) return { file, read: 0, accepted: 0, duplicates: 0, rejected: 0, warnings: 0, seconds: 0, eventsPerSecond: 0, error: err.message };
    throw err;
  } finally {
    bar.stop();
    if (fd !== undefined) closeSync(fd);
    if (wfd !== undefined) closeSync(wfd);
  }
}

function renderReports(reports: FileReport[], total: Omit<ImportStats, 'eventsPerSecond'> & { eventsPerSecond: number }): string {
  const rows = reports.map((r) => [r.file, r.read, r.accepted, r.duplicates, r.rejected, r.warnings, r.eventsPerSecond, Number(r.seconds.toFixed(2))]);
  if (reports.length > 1) rows.push(['total', total.read, total.accepted, total.duplicates, total.rejected, total.warnings, total.eventsPerSecond, Number(total.seconds.toFixed(2))]);
  let out = `${table(['file', 'read', 'accepted', 'duplicates', 'rejected', 'warnings', 'events/s', 'seconds'], rows)}\n`;
  for (const r of reports) {
    if (r.error) out += `error: ${r.error}\n`;
    if (r.rejects) out += `${r.rejected.toLocaleString('en-US')} rejected line(s) from ${r.file} written to ${r.rejects}\n`;
    if (r.warningsFile) {
      out += `${r.warnings.toLocaleString('en-US')} warning(s) in ${r.file}: the events were stored without these fields (all in ${r.warningsFile})\n`;
      for (const w of r.firstWarnings ?? []) out += `  ${w.file}:${w.line}: ${w.field} ${JSON.stringify(w.value)}: ${w.why}\n`;
      if (r.warnings > (r.firstWarnings?.length ?? 0)) out += `  ... and ${(r.warnings - (r.firstWarnings?.length ?? 0)).toLocaleString('en-US')} more\n`;
    }
  }
  return out;
}
