// `tierwise report funnel|attribution|activation|pipeline|forecast`: the upsell measurement.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { upsellReport } from '../app/reports.ts';
import { isPostgresUrl, openStore } from '../open-store.ts';
import { loadConfig, resolveConfigPath, resolveDbPath } from '../config/load.ts';
import { toUpsellSettings } from '../config/metrics-schema.ts';
import { toPlaybookSettings } from '../config/playbooks-schema.ts';
import { asOfExpectation, parseAsOf } from '../app/clock.ts';
import { printJson, UsageError } from './output.ts';
import { REPORTS, renderCsv, renderText, type ReportKind } from './report-render.ts';
import { SALES_REPORT_HELP, SALES_REPORTS, salesReport, type SalesReportKind } from './report-sales.ts';

interface ReportFlags { json?: boolean; csv?: boolean; db?: string; config?: string; at?: string; period?: string; asOf?: string }

export function registerReport(program: Command): void {
  program.command('report <kind>')
    .description(`upsell measurement from the opportunity pipeline: ${[...REPORTS, ...SALES_REPORTS].join(', ')}`)
    .option('--json', 'print the full upsell report as JSON (cents and fractions)')
    .option('--csv', 'print the report\'s table as CSV (cents and fractions)')
    .option('--db <path>', 'store file (default: $TIERWISE_DB, the config\'s store.path, or .tierwise/tierwise.db)')
    .option('-c, --config <file>', 'config file (its playbooks and metrics: section)')
    .option('--period <period>', 'comp, economics, losses: a month (2026-07), quarter (2026-Q3) or year; default: the quarter of --at / now')
    .option('--as-of <date>', 'the same as --at')
    .option('--at <date>', 'measure as of this date (YYYY-MM-DD = end of that day, UTC); default: the latest time in the data')
    .addHelpText('after', `
funnel       stage by stage (Trigger Identified -> ... -> Closed won), conversion, time to upsell, average upsell, discounts
attribution  conversion by trigger signal, channel, segment, route and playbook; credit split for CSMs and AEs
activation   post-upgrade use of the features the new tier added, at the metrics.activation_days horizons
pipeline     open opportunities by stage and age, stale ones, hand-offs past their SLA
forecast     expected expansion MRR next period = sum of P(win within the period | stage) x MRR delta; past forecasts checked
${SALES_REPORT_HELP}
Definitions: docs/adr/0006-upsell-measurement.md, docs/sales.md.`)
    .action(async (kind: string, flags: ReportFlags) => {
      const sales = (SALES_REPORTS as readonly string[]).includes(kind);
      if (!REPORTS.includes(kind as ReportKind) && !sales) throw new UsageError(`report must be one of ${[...REPORTS, ...SALES_REPORTS].join(', ')}, got "${kind}"`);
      if (sales && flags.csv) throw new UsageError(`--csv is not available for ${kind}: use --json`);
      if (flags.json && flags.csv) throw new UsageError('--json and --csv cannot be used together');
      if (flags.at !== undefined && flags.asOf !== undefined && flags.at !== flags.asOf) throw new UsageError('--as-of and --at are the same option; give one');
      const atText = flags.asOf ?? flags.at;
      const at = atText === undefined ? undefined : parseAsOf(atText);
      if (atText !== undefined && at === undefined) throw new UsageError(asOfExpectation(flags.asOf !== undefined ? '--as-of' : '--at', atText));
      const cfg = loadConfig(resolveConfigPath(flags.config));
      const dbPath = resolveDbPath(flags.db, cfg);
      if (!isPostgresUrl(dbPath) && !existsSync(dbPath)) throw new UsageError(`${dbPath}: no store here (run tierwise demo, or import and run, first; or pass --db)`);
      const store = await openStore(dbPath);
      try {
        if (sales) return await salesReport(kind as SalesReportKind, store, cfg, { period: flags.period, json: flags.json, now: at ?? Date.now() });
        const r = await upsellReport(store, { playbooks: toPlaybookSettings(cfg), settings: toUpsellSettings(cfg.metrics), ...(at !== undefined ? { now: at } : {}) });
        if (flags.json) printJson(r);
        else process.stdout.write(flags.csv ? renderCsv(kind as ReportKind, r) : renderText(kind as ReportKind, r));
      } finally {
        await store.close();
      }
    });
}
