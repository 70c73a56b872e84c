// `tierwise db migrate` and `tierwise db copy`: the operator's side of the store, for moving from the
// embedded SQLite file to PostgreSQL (docs/deploy.md).
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { copyStore, CopyError, type StoreCounts } from '../app/copy-store.ts';
import { describeStore, isPostgresUrl, migrateStore, openStore } from '../open-store.ts';
import { loadConfig, resolveConfigPath, resolveDbPath } from '../config/load.ts';
import { EXIT, printJson, table, UsageError } from './output.ts';
import { progressBar } from './progress.ts';

export function registerDb(program: Command): void {
  const db = program.command('db').description('store maintenance: schema migrations, copying a SQLite store into PostgreSQL');

  db.command('migrate')
    .description('apply the store\'s pending schema migrations and exit (nodes also apply them when they start)')
    .option('--db <path|url>', 'store file or postgres:// URL (default: $TIERWISE_DB, the config\'s store.url or store.path, or .tierwise/tierwise.db)')
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print JSON')
    .addHelpText('after', `
PostgreSQL migrations are versioned (table tw_migrations) and run one transaction each under an
advisory lock, so several nodes starting at once apply each one exactly once. A SQLite file is
migrated whenever a command opens it (PRAGMA user_version); this reports its versions too.`)
    .action(async (flags: { db?: string; config?: string; json?: boolean }) => {
      const cfg = loadConfig(resolveConfigPath(flags.config));
      const r = await migrateStore(resolveDbPath(flags.db, cfg));
      if (flags.json) return printJson(r);
      if (r.from === r.to) process.stdout.write(`${r.store}: schema at version ${r.to} of ${r.latest}, nothing to apply\n`);
      else process.stdout.write(`${r.store}: schema migrated from version ${r.from} to ${r.to}\n`);
    });

  db.command('copy')
    .description('copy a whole SQLite store (events, accounts, states, keys, playbooks, outbox) into an empty PostgreSQL store, verified by counts')
    .requiredOption('--from <file>', 'the SQLite store file to read')
    .requiredOption('--to <url>', 'the postgres:// URL to write (its schema is created or migrated first)')
    .option('--no-progress', 'no progress bar even on a terminal')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Events keep their order and seqs (bulk COPY, 50,000 a transaction); account and usage aggregates are
rebuilt from them exactly as ingest builds them. Afterwards every kind of record is counted on both
sides; any difference fails the command (exit 1). The target must hold no events yet.
Exit codes: 0 copied and counts equal, 1 counts differ, 2 bad usage (missing file, non-empty target).`)
    .action(async (flags: { from: string; to: string; json?: boolean; progress?: boolean }) => {
      const from = resolve(flags.from);
      if (!existsSync(from)) throw new UsageError(`--from ${flags.from}: no such file`);
      if (isPostgresUrl(flags.from)) throw new UsageError('--from takes a SQLite store file');
      if (!isPostgresUrl(flags.to)) throw new UsageError(`--to must be a postgres:// URL, got "${flags.to}"`);
      const source = await openStore(from);
      const target = await openStore(flags.to).catch(async (err: unknown) => { await source.close(); throw err; });
      let bar: ReturnType<typeof progressBar> | undefined;
      try {
        const r = await copyStore(source, target, {
          onEvents: (done, total) => {
            bar ??= progressBar(total, 'copying events', 'events', flags.progress !== false && !flags.json);
            bar.update(done);
          },
        });
        bar?.stop();
        if (flags.json) return printJson({ from, to: describeStore(flags.to), ...r });
        process.stdout.write(`${table(['records', 'source', 'target'], (Object.keys(r.source) as (keyof StoreCounts)[]).map((k) => [k, r.source[k], r.target[k]]))}\n`);
        process.stdout.write(`copied ${from} into ${describeStore(flags.to)} in ${r.seconds.toFixed(1)} s; every count matches\n`);
      } catch (err) {
        bar?.stop();
        if (!(err instanceof CopyError)) throw err;
        if (!err.source) throw new UsageError(err.message);
        if (flags.json) printJson({ error: err.message, source: err.source, target: err.target });
        else process.stderr.write(`tierwise: ${err.message}\n`);
        process.exitCode = EXIT.problems;
      } finally {
        await source.close();
        await target.close();
      }
    });
}
