// `tierwise backtest`: outreach strategies compared on one simulated world with the simulator's
// response model (docs/adr/0005-backtest.md). Seed 002's published rates are printed beside ours
// as a reference, never as a target.
import type { Command } from 'commander';
import { runBacktest, SEED_002, type BacktestProgress, type BacktestReport } from '../app/backtest.ts';
import { progressBar, type Progress } from './progress.ts';
import { toCatalog } from '../config/catalog-from-config.ts';
import { toEngineSettings } from '../config/engine-schema.ts';
import { loadConfig, resolveConfigPath } from '../config/load.ts';
import type { OfferType } from '../core/offers/options.ts';
import { money, printJson, table, UsageError } from './output.ts';
import { OFFER_TYPE_NAMES } from './report-render.ts';

interface BacktestFlags { accounts: string; days: string; seed: string; budget?: string; start: string; config?: string; json?: boolean }

function int(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min}, got "${text}"`);
  return n;
}

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(1)}%`);

const signedMoney = (cents: number): string => `${cents < 0 ? '-' : '+'}${money(Math.abs(cents))}`;

const points = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;

/** Seed 002: the combined score must beat each single source; say whether this world shows it, or cannot tell. */
function comparisonLines(r: BacktestReport): string[] {
  const lines = r.combinedVs.map((c) => `  vs ${c.strategy.padEnd(13)} ${points(c.diff)} points (95% CI ${points(c.ci[0])} to ${points(c.ci[1])}), p ${c.p < 0.001 ? '< 0.001' : `= ${c.p.toFixed(3)}`}: ${
    c.verdict === 'unclear' ? 'no clear difference at this size' : c.verdict}`);
  const mrr = r.combinedVs.map((c) => c.mrrPerOffer
    ? `  vs ${c.strategy.padEnd(13)} ${c.mrrPerOffer.diff >= 0 ? '+' : '-'}${money(Math.abs(c.mrrPerOffer.diff))} a month per offer (95% CI ${signedMoney(c.mrrPerOffer.ci[0])} to ${signedMoney(c.mrrPerOffer.ci[1])}): ${
      c.mrrPerOffer.ci[0] > 0 ? 'better' : c.mrrPerOffer.ci[1] < 0 ? 'worse' : 'no clear difference at this size'}`
    : `  vs ${c.strategy.padEnd(13)} -`);
  const unclear = r.combinedVs.some((c) => c.verdict === 'unclear');
  const m = r.model;
  const model = m.used
    ? `combined ranks by the propensity model trained on a history world (seed ${m.historySeed}): AUC ${m.auc?.toFixed(3)} vs the rules' ${m.rulesAuc?.toFixed(3)} on its later weeks`
    : `combined ranks by the rules score: ${m.reason}`;
  return [model, '', 'combined score against each single source (conversion rate difference):', ...lines,
    'expansion MRR per offer, combined minus each single source:', ...mrr,
    ...(unclear ? [`  an interval that spans 0 cannot tell the two apart: run more accounts (--accounts ${r.accounts * 5}) or more seeds`] : [])];
}

export function renderBacktest(r: BacktestReport): string {
  const rows = r.results.map((x) => [
    x.strategy === 'oracle' ? 'oracle (truth)' : x.strategy, x.offers, x.accepts, pct(x.conversion), x.conversionCi ? `${pct(x.conversionCi[0])}-${pct(x.conversionCi[1])}` : '-',
    pct(SEED_002[x.strategy]), money(x.expansionMrr),
    pct(x.readyShare), x.npsPerOffer ?? '-', x.notReady.offers, x.notReady.npsDelta, x.notReady.accepts, x.extraChurn,
  ]);
  return [
    `backtest: ${r.accounts} accounts, ${r.days} days, seed ${r.seed}; ${r.weeks} weekly decisions from day 28, budget ${r.budget} offers a week per strategy`,
    `${r.events.toLocaleString('en-US')} events; ${r.everReady} accounts ever ready in the truth`,
    '',
    table(['strategy', 'offers', 'conversions', 'rate', '95% CI', 'seed 002', 'expansion MRR', 'ready share', 'NPS/offer', 'not-ready offers', 'their NPS change', 'their upgrades', 'extra churn'], rows),
    '',
    ...comparisonLines(r),
    '',
    'the combined strategy\'s accounts offered the next tier only vs the best offer of any type:',
    table(['offer policy', 'offers', 'conversions', 'rate', 'expansion MRR', 'larger than needed', 'answered the need', 'accepted by type'], r.offerPolicies.map((p) => [
      p.policy.replace(/_/g, ' '), p.offers, p.accepts, pct(p.conversion), money(p.expansionMrr), p.oversized, p.matchedNeed,
      Object.entries(p.acceptsByType).map(([k, n]) => `${k} ${n}`).join(', ') || '-'])),
    '',
    'by offer type:',
    table(['offer policy', 'offer type', 'offers', 'conversions', 'rate', 'expansion MRR'], r.offerPolicies.flatMap((p) => Object.entries(p.byType)
      .sort((a, b) => b[1].offers - a[1].offers || a[0].localeCompare(b[0]))
      .map(([type, t]) => [p.policy.replace(/_/g, ' '), OFFER_TYPE_NAMES[type as OfferType] ?? type, t.offers, t.accepts, pct(t.offers === 0 ? null : t.accepts / t.offers), money(t.expansionMrr)]))),
    'answered the need: offers whose type is a kind of need the truth gave the account that week (a tier for a tier-only need, a pack for seats or volume...).',
    '',
    'rate: accepted / offers, with its 95% Wilson interval. seed 002: the published rate by signal source, for reference only.',
    'not ready: offers to accounts the truth did not mark ready that week; their NPS change is summed (0-10 scale);',
    'their upgrades are the ones seed 002 says churn at 3x. extra churn: expected extra churned accounts within 6 months.',
    'oracle: ready accounts in random order, an upper bound on targeting, not a strategy anyone can run.',
  ].join('\n') + '\n';
}

export function registerBacktest(program: Command): void {
  program.command('backtest')
    .description('compare outreach strategies (calendar, usage ceiling, feature gate, combined score, random) on one simulated world')
    .option('--accounts <n>', 'accounts in the world', '1000')
    .option('--days <n>', 'days simulated (decisions weekly from day 28)', '180')
    .option('--seed <n>', 'seed of the world and of the answers', '1')
    .option('--budget <n>', 'offers per strategy per week (default: 1 % of the accounts)')
    .option('--start <date>', 'first day, YYYY-MM-DD (UTC)', '2026-01-01')
    .option('-c, --config <file>', 'config file (catalog and engine settings)')
    .option('--json', 'print the report as JSON')
    .action((flags: BacktestFlags) => {
      const accounts = int('--accounts', flags.accounts, 1);
      const days = int('--days', flags.days, 35);
      const seed = int('--seed', flags.seed, 0);
      const budget = flags.budget === undefined ? undefined : int('--budget', flags.budget, 1);
      const startMs = Date.parse(`${flags.start}T00:00:00Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(flags.start) || !Number.isFinite(startMs)) throw new UsageError(`--start must be YYYY-MM-DD, got "${flags.start}"`);
      const cfg = loadConfig(resolveConfigPath(flags.config));
      let bar: Progress | undefined;
      const onProgress = (p: BacktestProgress) => {
        if (p.phase !== 'weeks') return void (process.stderr.isTTY && process.stderr.write(p.phase === 'history'
          ? `simulating the history world the model learns from (${accounts.toLocaleString('en-US')} accounts, ${days} days)...\n`
          : 'simulating the world the strategies are tested on...\n'));
        bar ??= progressBar(p.total, 'weeks', 'weeks');
        bar.update(p.done);
      };
      const report = runBacktest({ accounts, days, seed, startMs, catalog: toCatalog(cfg), settings: toEngineSettings(cfg), onProgress, ...(budget !== undefined ? { budget } : {}) });
      bar?.stop();
      if (flags.json) printJson(report);
      else process.stdout.write(renderBacktest(report));
    });
}
