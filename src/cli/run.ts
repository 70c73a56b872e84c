// `tierwise run`: one pass of the playbook scheduler (outcomes, triggers, due steps), then delivery
// of the outbox. `--until` runs the playbooks as of a date, replaying the log up to it.
import type { Command } from 'commander';
import { deliverOutbox, type DeliveryReport } from '../app/delivery.ts';
import type { Moment } from '../app/clock.ts';
import type { Engine } from '../app/engine.ts';
import type { PlaybookDeps } from '../app/playbook-deps.ts';
import { runPlaybooks, type RunReport } from '../app/scheduler.ts';
import { crmSystems, toCrmSettings, type CrmSettings } from '../config/crm-schema.ts';
import { enqueueCrmSync } from '../app/crm-sync.ts';
import { toChannelSettings, toPlaybookSettings, type ChannelSettings } from '../config/playbooks-schema.ts';
import { toSalesSettings } from '../config/sales-schema.ts';
import { printJson, UsageError } from './output.ts';
import { isoTime, momentJson, momentLine, withSession } from './score.ts';
import { storeOptions, type StoreFlags } from './with-store.ts';

export type PlaybookFlags = StoreFlags;
export interface PlaybookSession { deps: PlaybookDeps; engine: Engine; now: number; channels: ChannelSettings; crm: CrmSettings; moment: Moment }

/** A scoring session at the moment (`until`, else the wall clock: one clock) with the playbook deps on top. */
export function withPlaybooks<T>(flags: PlaybookFlags, opts: { until?: string | undefined; flag?: string }, fn: (s: PlaybookSession) => Promise<T>): Promise<T> {
  const time = { text: opts.until, flag: opts.flag ?? '--as-of' };
  return withSession(flags, time, ({ cfg, store, catalog, settings, engine, now, moment }) => {
    const channels = toChannelSettings(cfg.channels);
    const deps: PlaybookDeps = {
      store, catalog, settings, playbooks: toPlaybookSettings(cfg), sales: toSalesSettings(cfg),
      webhook: { inApp: channels.webhook !== undefined, tasks: channels.webhook?.tasks ?? false },
      ...(cfg.channels?.email ? { emailTrait: cfg.channels.email.to_trait } : {}),
    };
    return fn({ deps, engine, now, channels, crm: toCrmSettings(cfg.crm), moment });
  });
}

export const addPlaybookOptions = storeOptions;

function stepRate(r: RunReport): string {
  const n = r.steps.done + r.steps.skipped + r.steps.waiting;
  return n > 0 && r.ms.steps > 0 ? ` (${Math.round(n / (r.ms.steps / 1000)).toLocaleString('en-US')} steps/s)` : '';
}

export function registerRun(program: Command): void {
  addPlaybookOptions(program.command('run')
    .description('run the playbooks once: close won/lost opportunities, open new ones, run due steps, deliver the outbox')
    .option('--as-of <date>', 'run at this moment (YYYY-MM-DD = end of that day, UTC, or an ISO time); default: now')
    .option('--until <date>', 'the same as --as-of (kept for scripts written before it)')
    .option('--no-deliver', 'leave messages in the outbox'))
    .action(async (flags: PlaybookFlags & { until?: string; asOf?: string; deliver: boolean }) => {
      if (flags.until !== undefined && flags.asOf !== undefined && flags.until !== flags.asOf) throw new UsageError('--as-of and --until are the same option; give one');
      const until = flags.asOf ?? flags.until;
      await withPlaybooks(flags, { until, flag: flags.asOf !== undefined ? '--as-of' : '--until' }, async ({ deps, engine, now, channels, crm, moment }) => {
        const started = performance.now();
        const report = await runPlaybooks(deps, engine, now);
        await enqueueCrmSync(deps.store, crmSystems(crm), now);
        let delivery: DeliveryReport | null = null;
        if (flags.deliver) {
          // the vendors' clients load only when a run delivers
          const { makeTransports } = await import('../channels/transports.ts');
          const t = makeTransports(channels, crm);
          // SIGTERM/SIGINT during delivery cancels the attempts in flight: they stay pending for the next run.
          const abort = new AbortController();
          const onSignal = (sig: NodeJS.Signals) => {
            process.stderr.write(`tierwise: ${sig}, cancelling deliveries in flight (they stay pending)\n`);
            process.exitCode = sig === 'SIGINT' ? 130 : 143;
            abort.abort(new Error(sig));
          };
          process.once('SIGTERM', onSignal);
          process.once('SIGINT', onSignal);
          try {
            delivery = await deliverOutbox(deps.store, t.transports, channels.retry, now, { signal: abort.signal });
          } finally {
            process.off('SIGTERM', onSignal);
            process.off('SIGINT', onSignal);
            t.close();
          }
        }
        const ms = Math.round(performance.now() - started);
        if (flags.json) return printJson({ ...report, moment: momentJson(moment), now: isoTime(now), delivery, ms: { ...report.ms, total: ms } });
        const s = report.steps;
        process.stdout.write([
          `playbooks run ${momentLine(moment)} (${ms} ms)`,
          `  accounts considered: ${report.accounts}`,
          `  opportunities: ${report.opened} opened, ${report.won} won, ${report.lost} lost; plays started: ${report.playsStarted}`,
          `  steps: ${s.done} done, ${s.skipped} skipped, ${s.waiting} waiting${stepRate(report)}; trials ended: ${report.trialsEnded}`,
          delivery ? `  delivery: ${delivery.delivered} delivered, ${delivery.retrying} retrying, ${delivery.dead} dead${delivery.deferred ? `, ${delivery.deferred} deferred (breaker open or cancelled)` : ''}` : '  delivery: skipped (--no-deliver)',
        ].join('\n') + '\n');
      });
    });
}
