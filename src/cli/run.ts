// `tierwise run`: one pass of the playbook scheduler (outcomes, triggers, due steps), then delivery
// of the outbox. `--until` runs the playbooks as of a date, replaying the log up to it.
import type { Command } from 'commander';
import { deliverOutbox, type DeliveryReport } from '../app/delivery.ts';
import type { Engine } from '../app/engine.ts';
import type { PlaybookDeps } from '../app/playbook-deps.ts';
import { runPlaybooks, type RunReport } from '../app/scheduler.ts';
import { openScoring, parseAsOf } from '../app/scoring-session.ts';
import { makeTransports } from '../channels/transports.ts';
import { openStore } from '../compose.ts';
import { toCatalog } from '../config/catalog-from-config.ts';
import { toEngineSettings } from '../config/engine-schema.ts';
import { loadConfig, resolveConfigPath, resolveDbPath } from '../config/load.ts';
import { toChannelSettings, toPlaybookSettings, type ChannelSettings } from '../config/playbooks-schema.ts';
import { printJson, UsageError } from './output.ts';
import { isoTime } from './score.ts';

export interface PlaybookFlags { db?: string; config?: string; json?: boolean }
export interface PlaybookSession { deps: PlaybookDeps; engine: Engine; now: number; channels: ChannelSettings }

/** Opens config, store and engine (as of `until`, or live with `now` = the latest event / the clock), runs `fn`, closes. */
export async function withPlaybooks<T>(flags: PlaybookFlags, opts: { until?: string | undefined; flag?: string; clock?: boolean }, fn: (s: PlaybookSession) => Promise<T>): Promise<T> {
  const cfg = loadConfig(resolveConfigPath(flags.config));
  const asOf = opts.until === undefined ? undefined : parseAsOf(opts.until);
  if (opts.until !== undefined && asOf === undefined) throw new UsageError(`${opts.flag ?? '--until'} must be a date (YYYY-MM-DD) or an ISO timestamp, got "${opts.until}"`);
  const catalog = toCatalog(cfg);
  const settings = toEngineSettings(cfg);
  const channels = toChannelSettings(cfg.channels);
  const store = await openStore(resolveDbPath(flags.db, cfg));
  try {
    const session = await openScoring(store, catalog, settings, { asOf, clock: opts.clock ? Date.now() : undefined });
    const deps: PlaybookDeps = {
      store, catalog, settings, playbooks: toPlaybookSettings(cfg),
      webhook: { inApp: channels.webhook !== undefined, tasks: channels.webhook?.tasks ?? false },
      ...(cfg.channels?.email ? { emailTrait: cfg.channels.email.to_trait } : {}),
    };
    return await fn({ deps, engine: session.engine, now: session.now, channels });
  } finally {
    await store.close();
  }
}

export function addPlaybookOptions(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'store file (default: $TIERWISE_DB, the config\'s store.path, or .tierwise/tierwise.db)')
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print JSON');
}

function stepRate(r: RunReport): string {
  const n = r.steps.done + r.steps.skipped + r.steps.waiting;
  return n > 0 && r.ms.steps > 0 ? ` (${Math.round(n / (r.ms.steps / 1000)).toLocaleString('en-US')} steps/s)` : '';
}

export function registerRun(program: Command): void {
  addPlaybookOptions(program.command('run')
    .description('run the playbooks once: close won/lost opportunities, open new ones, run due steps, deliver the outbox')
    .option('--until <date>', 'run as of this date (YYYY-MM-DD = end of that day, UTC), replaying the log up to it')
    .option('--no-deliver', 'leave messages in the outbox'))
    .action(async (flags: PlaybookFlags & { until?: string; deliver: boolean }) => {
      await withPlaybooks(flags, { until: flags.until, clock: flags.until === undefined }, async ({ deps, engine, now, channels }) => {
        const started = performance.now();
        const report = await runPlaybooks(deps, engine, now);
        let delivery: DeliveryReport | null = null;
        if (flags.deliver) {
          const t = makeTransports(channels);
          try { delivery = await deliverOutbox(deps.store, t.transports, channels.retry, now); } finally { t.close(); }
        }
        const ms = Math.round(performance.now() - started);
        if (flags.json) return printJson({ ...report, now: isoTime(now), delivery, ms: { ...report.ms, total: ms } });
        const s = report.steps;
        process.stdout.write([
          `playbooks run as of ${isoTime(now)} (${ms} ms)`,
          `  accounts considered: ${report.accounts}`,
          `  opportunities: ${report.opened} opened, ${report.won} won, ${report.lost} lost; plays started: ${report.playsStarted}`,
          `  steps: ${s.done} done, ${s.skipped} skipped, ${s.waiting} waiting${stepRate(report)}; trials ended: ${report.trialsEnded}`,
          delivery ? `  delivery: ${delivery.delivered} delivered, ${delivery.retrying} retrying, ${delivery.dead} dead` : '  delivery: skipped (--no-deliver)',
        ].join('\n') + '\n');
      });
    });
}
