// `tierwise metrics`: MRR movements, NRR/GRR, ARR and the upsell figures subscription history gives.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { toCatalog } from '../config/catalog-from-config.ts';
import { MetricsQueryError, revenueMetrics, revenueOptions, type RevenueMetricsQuery } from '../app/metrics.ts';
import { revenueByGroupMetrics } from '../app/metrics-groups.ts';
import { GROUP_BYS } from '../core/metrics/groups.ts';
import { toEngineSettings } from '../config/engine-schema.ts';
import { renderGroups } from './metrics-groups.ts';
import type { PeriodMetrics, RevenueReport } from '../core/metrics/types.ts';
import { loadConfig, resolveConfigPath, resolveDbPath } from '../config/load.ts';
import { isPostgresUrl, openStore } from '../open-store.ts';
import { EXIT, money, printJson, table, UsageError } from './output.ts';

interface MetricsFlags { from?: string; to?: string; by?: string; json?: boolean; csv?: boolean; db?: string; config?: string }

const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
/** below this many accounts paying at a period's start, its NRR and GRR say nothing and are not shown */
export const MIN_COHORT = 10;

/** "2026-12 (1 of 31 days)" for a period still running. */
export const periodLabel = (p: PeriodMetrics): string => (p.partial ? `${p.period} (${p.partial.days} of ${p.partial.of} days)` : p.period);

/** NRR or GRR as shown: none for a partial period or a cohort too small to mean anything. */
function rate(p: PeriodMetrics, x: number | null): string {
  if (p.partial) return 'partial';
  if (x !== null && p.cohort.accounts < MIN_COHORT) return `n=${p.cohort.accounts}`;
  return pct(x);
}
/** A loss, shown as -$5,400 (0 stays $0). */
const loss = (cents: number): string => (cents === 0 ? money(0) : `-${money(cents)}`);

export function registerMetrics(program: Command): void {
  program.command('metrics')
    .description('revenue metrics from subscription events: MRR movements, NRR, GRR, ARR, expansion')
    .option('--from <YYYY-MM>', 'first month (default: the month of the first subscription event)')
    .option('--to <YYYY-MM>', 'last month (default: the month of the last subscription event)')
    .option('--by <grain>', 'month or quarter; or segment, plan or cohort (sign-up month): the figures per group, adding up to the totals', 'month')
    .option('--json', 'print the full report as JSON (cents and fractions)')
    .option('--csv', 'print one CSV row per period, then the whole range (cents and fractions)')
    .option('--db <path>', 'store file (default: $TIERWISE_DB, the config\'s store.path, or .tierwise/tierwise.db)')
    .option('-c, --config <file>', 'config file (its currency and plans check the events)')
    .addHelpText('after', `
MRR is taken at each month's end (state after the last event before the next month starts);
movements compare it with the month before: new, expansion, contraction, churn, reactivation.
start + new + expansion + reactivation - contraction - churn = end, to the cent, every period.
NRR and GRR follow the accounts paying at the period's start (docs/adr/0004-revenue-metrics.md).
Exit codes: 0 ok, 1 some events were left out (listed with their ids), 2 bad usage or config.`)
    .action(async (flags: MetricsFlags) => {
      const group = GROUP_BYS.find((g) => g === flags.by);
      if (flags.by !== 'month' && flags.by !== 'quarter' && !group) throw new UsageError(`--by must be month, quarter, segment, plan or cohort, got "${flags.by}"`);
      if (group && flags.csv) throw new UsageError(`--by ${group} prints a table or --json, not --csv`);
      if (flags.json && flags.csv) throw new UsageError('--json and --csv cannot be used together');
      const cfg = loadConfig(resolveConfigPath(flags.config));
      const query: RevenueMetricsQuery = {
        // the wall clock: the month (or quarter) running now is flagged partial, not read as whole
        by: group ? 'month' : flags.by as 'month' | 'quarter', currency: cfg.currency, knownPlans: new Set(cfg.plans.map((p) => p.id)), now: Date.now(), catalog: toCatalog(cfg),
        ...(flags.from !== undefined ? { from: flags.from } : {}), ...(flags.to !== undefined ? { to: flags.to } : {}),
      };
      try {
        revenueOptions(query);
      } catch (err) {
        if (err instanceof MetricsQueryError) throw new UsageError(err.message);
        throw err;
      }
      const dbPath = resolveDbPath(flags.db, cfg);
      if (!isPostgresUrl(dbPath) && !existsSync(dbPath)) throw new UsageError(`${dbPath}: no store here (run tierwise import or tierwise demo first, or pass --db)`);
      const store = await openStore(dbPath);
      if (group) {
        try {
          const g = await revenueByGroupMetrics(store, group, toEngineSettings(cfg).offers, query);
          if (flags.json) printJson(g); else process.stdout.write(renderGroups(g));
          process.exitCode = g.problems.some((p) => p.effect === 'excluded') ? EXIT.problems : EXIT.ok;
        } finally {
          await store.close();
        }
        return;
      }
      let report: RevenueReport;
      try {
        report = await revenueMetrics(store, query);
      } finally {
        await store.close();
      }
      if (flags.json) printJson(report);
      else if (flags.csv) process.stdout.write(renderCsv(report));
      else process.stdout.write(renderText(report));
      process.exitCode = report.problems.some((p) => p.effect === 'excluded') ? EXIT.problems : EXIT.ok;
    });
}

const CSV_HEAD = ['period', 'from', 'to', 'start_mrr', 'new', 'expansion', 'reactivation', 'contraction', 'churn', 'end_mrr', 'arr',
  'customers_start', 'customers_end', 'new_customers', 'reactivated', 'churned', 'nrr', 'grr', 'past_due_mrr', 'trialing', 'partial_days'];

function csvRow(p: PeriodMetrics): (string | number)[] {
  return [p.period, p.from, p.to, p.startMrr, p.new, p.expansion, p.reactivation, p.contraction, p.churn, p.endMrr, p.arr,
    p.customers.start, p.customers.end, p.customers.new, p.customers.reactivated, p.customers.churned, p.nrr ?? '', p.grr ?? '', p.pastDueMrr, p.trialing, p.partial ? `${p.partial.days}/${p.partial.of}` : ''];
}

export function renderCsv(r: RevenueReport): string {
  return [CSV_HEAD, ...r.periods.map(csvRow), ...(r.periods.length > 0 ? [csvRow(r.total)] : [])].map((row) => row.join(',')).join('\n') + '\n';
}

function byTypeLines(r: RevenueReport): string[] {
  const x = r.expansionByType;
  if (!x) return [];
  const b = x.byType;
  const c = x.commitments;
  return [
    `expansion MRR by type: tier ${money(b.tier)}, seats/volume ${money(b.seats_volume)}, add-on ${money(b.addon)}, support ${money(b.support)}${b.other !== 0 ? `, other ${money(b.other)}` : ''} (total ${money(x.total)})`,
    `commitments signed: ${c.signed} (${c.annual} annual, ${c.multiYear} multi-year), ${money(c.arr)} ARR; multi-year share of ARR at ${r.to}: ${pct(x.multiYearShare)}`,
    ...(x.attachRate.length > 0 ? [`attach rate: ${x.attachRate.map((a) => `${a.name} ${a.holding}/${a.eligible} (${pct(a.rate)})`).join(', ')}`] : []),
  ];
}

export function renderText(r: RevenueReport): string {
  if (r.events === 0 && r.periods.length === 0) return 'no subscription events in the store\n';
  // months before the data are unknown, not zero: say so rather than print a table of zeros
  if (r.dataFrom !== null && r.to < r.dataFrom) return `no subscription data from ${r.from} to ${r.to}: the data starts in ${r.dataFrom} (try --from ${r.dataFrom})\n`;
  const rows = [...r.periods, r.total].map((p) => [p === r.total ? p.period : periodLabel(p), money(p.startMrr), money(p.new), money(p.expansion), money(p.reactivation),
    loss(p.contraction), loss(p.churn), money(p.endMrr), p.customers.end, p === r.total ? pct(p.nrr) : rate(p, p.nrr), p === r.total ? pct(p.grr) : rate(p, p.grr)]);
  const notes: string[] = [];
  if (r.dataFrom !== null && r.from < r.dataFrom) notes.push(`the data starts in ${r.dataFrom}: the months before it have no revenue on record, which is not a drop to zero.`);
  for (const p of r.periods.filter((x) => x.partial)) notes.push(`${p.period} is still running (${p.partial?.days} of ${p.partial?.of} days): its movements are to date; its NRR and GRR wait for it to end.`);
  const small = r.periods.filter((p) => !p.partial && p.nrr !== null && p.cohort.accounts < MIN_COHORT);
  if (small.length > 0) notes.push(`n=N: fewer than ${MIN_COHORT} accounts paid at the start of ${small.map((p) => p.period).join(', ')}; a rate over so few says nothing (--json has it).`);
  const u = r.upsell;
  const ttu = u.timeToFirstUpsell;
  const lines = [
    table(['period', 'start MRR', 'new', 'expansion', 'reactivation', 'contraction', 'churn', 'end MRR', 'customers', 'NRR', 'GRR'], rows),
    ...notes,
    '',
    `ARR at ${r.to}: ${money(r.total.arr)}   past due: ${money(r.total.pastDueMrr)}   trialing: ${r.total.trialing}   (${r.events.toLocaleString('en-US')} subscription events, ${r.accounts.toLocaleString('en-US')} accounts, data to ${r.dataTo ?? '-'})`,
    `expansion: ${u.expansions} expansions (account-months with more MRR; \`tierwise report\` counts upsells won from offers), ${money(u.expansionMrr)} MRR, average ${u.averageUpsellMrr === null ? '-' : `${money(u.averageUpsellMrr)} MRR (${money(u.averageUpsellMrr * 12)} ARR)`}`,
    `time to first upsell: ${ttu.accounts === 0 ? '-' : `median ${Math.round(ttu.medianDays ?? 0)} days, mean ${Math.round(ttu.meanDays ?? 0)} days over ${ttu.accounts} accounts`}`,
    ...u.retentionAfterUpsell.map((x) => `retention ${x.months} months on: upsold ${pct(x.upsold.logoRetention)} of accounts, ${pct(x.upsold.revenueRetention)} of MRR (n=${x.upsold.observations}); not upsold ${pct(x.notUpsold.logoRetention)}, ${pct(x.notUpsold.revenueRetention)} (n=${x.notUpsold.observations})`),
    `discounts above ${u.discountDiscipline.thresholdPct}% on upsells: ${u.discountDiscipline.discounted} of ${u.discountDiscipline.expansions} (${pct(u.discountDiscipline.share)}); on terms under ${u.discountDiscipline.multiYearMonths} months: ${u.discountDiscipline.outsidePolicy}`,
    ...byTypeLines(r),
  ];
  for (const p of r.problems) {
    lines.push(`${p.count} event(s) ${p.code} (${p.effect === 'excluded' ? 'left out' : 'counted'}):`);
    for (const x of p.examples.slice(0, 10)) lines.push(`  ${x.id} (account ${x.account}): ${x.message}`);
    if (p.count > 10) lines.push(`  ... and ${p.count - 10} more (--json lists up to ${p.examples.length})`);
  }
  return `${lines.join('\n')}\n`;
}
