// The propensity model against the rules and each single signal, on simulated worlds of seeds the
// weights were never tuned on: AUC and top-decile lift on the test weeks against truth's weekly
// ready flag and against upgrades within 30 days, plus calibration per decile.
//   node bin/run-ts.mjs bench/model-table.ts [--seeds 201,202,203,204] (101 chose the L2 penalty) [--accounts 1500] [--days 180] [--calibration isotonic|platt]
import { EXAMPLE_CONFIG, loadConfig } from '../src/config/load.ts';
import { toCatalog } from '../src/config/catalog-from-config.ts';
import { toEngineSettings } from '../src/config/engine-schema.ts';
import { FEATURES } from '../src/core/model/features.ts';
import { auc, topDecileLift } from '../src/core/model/metrics.ts';
import { calibrationGap, predict, trainModel } from '../src/core/model/train.ts';
import { snapshotsFromEvents } from '../src/app/model-snapshots.ts';
import { simulateParsed } from '../src/app/model-world.ts';

const arg = (name: string, dflt: string): string => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : dflt);
const seeds = arg('--seeds', '201,202,203,204').split(',').map(Number);
const accounts = Number(arg('--accounts', '1500'));
const days = Number(arg('--days', '180'));
const calibration = arg('--calibration', 'isotonic');
if (calibration !== 'isotonic' && calibration !== 'platt') throw new Error(`--calibration: expected isotonic or platt, got ${calibration}`);
const cfg = loadConfig(process.env['TIERWISE_CONFIG'] ?? EXAMPLE_CONFIG);
const catalog = toCatalog(cfg);
const settings = toEngineSettings(cfg);
const startMs = Date.parse('2026-01-01T00:00:00Z');
const SINGLE = ['usage_ceiling', 'limit_exceeded', 'feature_gate', 'feature_request', 'power_users', 'org_growth', 'renewal_window'];
const f3 = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(3));
const f2 = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(2));

process.stdout.write(`| seed | test rows | ready share | upgrades 30d | against | model AUC | rules AUC | best single (AUC) | model lift | rules lift | best single lift | worst decile gap (n>=100) | model Brier | rules Brier | in use |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n`);
for (const seed of seeds) {
  const w = simulateParsed({ accounts, days, seed, startMs, catalog });
  const set = snapshotsFromEvents(w.events, { catalog, settings, horizonDays: 30 });
  const m = trainModel(set.snapshots, { features: FEATURES, horizonDays: 30, l2: Number(arg('--l2', '0.5')), calibration });
  const testFrom = m.report.test.from;
  const test = set.snapshots.filter((s) => s.at >= testFrom);
  const truth = new Map(w.truth.map((t) => [t.account, t]));
  const ready = (s: (typeof test)[number]) => truth.get(s.account)?.weekly.ready[Math.floor((s.at - startMs) / (7 * 86_400_000))] ?? false;
  const p = test.map((s) => predict(m, s.x));
  const gap = calibrationGap(m.report.model);
  for (const against of ['ready', 'upgrade'] as const) {
    const label = (s: (typeof test)[number]) => (against === 'ready' ? ready(s) : s.y);
    const model = test.map((s, i) => [p[i]!, label(s)] as const);
    const rules = test.map((s) => [s.rulesScore, label(s)] as const);
    let best = { id: '', auc: 0, lift: 0 };
    for (const id of SINGLE) {
      const j = FEATURES.indexOf(`signal:${id}`);
      const rows = test.map((s) => [s.x[j]!, label(s)] as const);
      const a = auc(rows);
      if (a > best.auc) best = { id, auc: a, lift: topDecileLift(rows) };
    }
    const share = test.filter(label).length / test.length;
    process.stdout.write(`| ${seed} | ${test.length} | ${f3(test.filter(ready).length / test.length)} | ${f3(test.filter((s) => s.y).length / test.length)} | ${against === 'ready' ? "truth's ready flag" : 'upgrade within 30 days'} | ${f3(auc(model))} | ${f3(auc(rules))} | ${best.id} (${f3(best.auc)}) | ${f2(topDecileLift(model))} | ${f2(topDecileLift(rules))} | ${f2(best.lift)} | ${against === 'upgrade' ? `${(gap * 100).toFixed(1)} pts` : '-'} | ${against === 'upgrade' ? m.report.model.brier.toFixed(4) : '-'} | ${against === 'upgrade' ? m.report.rules.brier.toFixed(4) : '-'} | ${m.active ? 'yes' : 'no'} |\n`);
    void share;
  }
}
