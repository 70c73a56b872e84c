// `tierwise model train|evaluate`: a propensity model learned from the store's own history
// (docs/adr/0003-scoring.md, "A learned, calibrated model").
import type { Command } from 'commander';
import { evaluateLatest, NoModelError, trainFromStore } from '../app/model.ts';
import { latestModel } from '../app/model-store.ts';
import { parseAsOf } from '../app/scoring-session.ts';
import { toCatalog } from '../config/catalog-from-config.ts';
import { toEngineSettings } from '../config/engine-schema.ts';
import { loadConfig, resolveConfigPath } from '../config/load.ts';
import { FEATURE_NAMES } from '../core/model/features.ts';
import { calibrationGap, DEFAULT_L2, TrainingError, type ModelReport, type Quality } from '../core/model/train.ts';
import { EXIT, printJson, table, UsageError } from './output.ts';
import { storeOptions, withStore, type StoreFlags } from './with-store.ts';

interface TrainFlags extends StoreFlags { horizon: string; testFrom?: string; l2: string }
interface EvaluateFlags extends StoreFlags { from?: string }

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const f3 = (x: number): string => (Number.isNaN(x) ? '-' : x.toFixed(3));

function qualityRows(model: Quality, rules: Quality): (string | number)[][] {
  return [
    ['AUC', f3(model.auc), f3(rules.auc)],
    ['top-decile lift', model.lift.toFixed(2), rules.lift.toFixed(2)],
    ['Brier score', model.brier.toFixed(4), rules.brier.toFixed(4)],
    ['worst decile gap (100+ rows)', `${(calibrationGap(model) * 100).toFixed(1)} pts`, `${(calibrationGap(rules) * 100).toFixed(1)} pts`],
  ];
}

function reliabilityTable(q: Quality): string {
  return table(['decile', 'rows', 'predicted', 'observed'], q.reliability.map((b, i) => [i + 1, b.n, `${(b.predicted * 100).toFixed(1)}%`, `${(b.observed * 100).toFixed(1)}%`]));
}

export function renderReport(version: number, r: ModelReport, active: boolean): string {
  return [
    `model v${version}: logistic regression on ${r.fit.rows.toLocaleString('en-US')} weekly snapshots (${day(r.fit.from)} to ${day(r.fit.to)}), calibrated on ${r.calibration.rows.toLocaleString('en-US')} (${day(r.calibration.from)} to ${day(r.calibration.to)})`,
    `label: expanded (a higher plan or more MRR, paid) within ${r.horizonDays} days; judged on the later ${r.test.rows.toLocaleString('en-US')} snapshots (${day(r.test.from)} to ${day(r.test.to)}), ${r.model.positives} expanded`,
    '',
    table(['on the later weeks', 'model', 'rules score'], qualityRows(r.model, r.rules)),
    '',
    'reliability of the model (deciles of predicted probability):',
    reliabilityTable(r.model),
    '',
    'largest weights (log-odds per standard deviation):',
    ...r.topWeights.map((w) => `  ${w.weight >= 0 ? '+' : ''}${w.weight.toFixed(3)}  ${FEATURE_NAMES[w.feature] ?? w.feature}`),
    '',
    active
      ? 'in use: it ranks better than the rules on the later weeks and its probabilities hold there; accounts are ordered by its propensity inside each priority tier'
      : 'NOT in use: it does not beat the rules on the later weeks (a higher AUC and calibration within 5 points per decile); scoring keeps the rules',
  ].join('\n') + '\n';
}

function date(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = parseAsOf(text);
  if (t === undefined) throw new UsageError(`${flag} must be a date (YYYY-MM-DD) or an ISO timestamp, got "${text}"`);
  return t;
}

function deps(flags: StoreFlags) {
  const cfg = loadConfig(resolveConfigPath(flags.config));
  return { catalog: toCatalog(cfg), settings: toEngineSettings(cfg) };
}

async function guarded(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof TrainingError || err instanceof NoModelError)) throw err;
    process.stderr.write(`tierwise: ${err.message}\n`);
    process.exitCode = EXIT.problems;
  }
}

export function registerModel(program: Command): void {
  const model = program.command('model').description('a propensity model learned from your own history: train it, re-check it, see it');
  storeOptions(model.command('train')
    .description('weekly snapshots of every account, labelled "expanded within the horizon"; fit on the earlier weeks, judge on the later ones against the rules; store as a new version'))
    .option('--horizon <days>', 'the label: expanded within this many days', '30')
    .option('--test-from <date>', 'the later weeks the model is judged on start here (default: the last third)')
    .option('--l2 <x>', 'L2 penalty per snapshot on the standardized weights', String(DEFAULT_L2))
    .action(async (flags: TrainFlags) => {
      const horizon = Number(flags.horizon);
      if (!Number.isInteger(horizon) || horizon < 1) throw new UsageError(`--horizon must be a positive integer, got "${flags.horizon}"`);
      const l2 = Number(flags.l2);
      if (!Number.isFinite(l2) || l2 < 0) throw new UsageError(`--l2 must be a number >= 0, got "${flags.l2}"`);
      const testFrom = date('--test-from', flags.testFrom);
      const d = deps(flags);
      await guarded(() => withStore(flags, async (store) => {
        const stored = await trainFromStore({ store, ...d }, { horizonDays: horizon, testFrom, l2, trainedAt: Date.now() });
        if (flags.json) return printJson({ version: stored.version, active: stored.model.active, window: stored.window, report: stored.model.report });
        process.stdout.write(renderReport(stored.version, stored.model.report, stored.model.active));
      }));
    });
  storeOptions(model.command('evaluate')
    .description('re-check the latest model on weeks it has not seen; it stays in use only while it beats the rules'))
    .option('--from <date>', 'judge on snapshots from this date (default: after the data it was trained on)')
    .action(async (flags: EvaluateFlags) => {
      const from = date('--from', flags.from);
      const d = deps(flags);
      await guarded(() => withStore(flags, async (store) => {
        const r = await evaluateLatest({ store, ...d }, { from, at: Date.now() });
        if (flags.json) return printJson(r);
        process.stdout.write([
          `model v${r.version} on ${r.rows.toLocaleString('en-US')} snapshots from ${day(r.from)} to ${day(r.to)}, ${r.model.positives} expanded`,
          '', table(['', 'model', 'rules score'], qualityRows(r.model, r.rules)), '',
          reliabilityTable(r.model), '',
          r.active ? 'still beats the rules: stays in use' : 'does not beat the rules on these weeks: switched off, scoring falls back to the rules',
        ].join('\n') + '\n');
      }));
    });
  storeOptions(model.command('show').description('the latest model: its window, report and re-checks'))
    .action(async (flags: StoreFlags) => {
      await guarded(() => withStore(flags, async (store) => {
        const m = await latestModel(store);
        if (!m) throw new NoModelError('no model has been trained yet: run `tierwise model train`');
        if (flags.json) return printJson(m);
        process.stdout.write(renderReport(m.version, m.model.report, m.model.active));
        for (const e of m.evaluations) process.stdout.write(`re-checked ${day(e.at)} on ${e.rows} snapshots (${day(e.from)} to ${day(e.to)}): AUC ${f3(e.modelAuc)} vs rules ${f3(e.rulesAuc)}${e.beatsRules ? '' : ' - switched off'}\n`);
      }));
    });
}
