// Ranking quality on a simulated world: AUC of the combined score against the simulator's
// truth (weekly ready flags), beside the AUC of each single signal's strength.
//   node bin/tierwise.mjs simulate --accounts 2000 --days 90 --seed 7 --out /tmp/tw-world
//   node bin/run-ts.mjs bench/auc.ts /tmp/tw-world [--weeks 4-12]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_CONFIG, loadConfig } from '../src/config/load.ts';
import { toCatalog } from '../src/config/catalog-from-config.ts';
import { toEngineSettings } from '../src/config/engine-schema.ts';
import { parseCanonical } from '../src/sources/canonical.ts';
import type { TierwiseEvent } from '../src/core/events/types.ts';
import { emptyState } from '../src/core/state/create.ts';
import { fold } from '../src/core/state/fold.ts';
import type { AccountState } from '../src/core/state/types.ts';
import { evaluate } from '../src/core/scoring/evaluate.ts';
import { ProfileBuilder } from '../src/core/scoring/profile.ts';
import { dayOf } from '../src/core/state/time.ts';
import { DETECTORS } from '../src/core/signals/registry.ts';
import { auc } from '../src/core/model/metrics.ts';

const dir = process.argv[2] ?? '/tmp/tw-world';
const weeksArg = process.argv.indexOf('--weeks') > 0 ? process.argv[process.argv.indexOf('--weeks') + 1]! : '4-12';
const [w0, w1] = weeksArg.split('-').map(Number) as [number, number];
const cfg = loadConfig(process.env['TIERWISE_CONFIG'] ?? EXAMPLE_CONFIG);
const catalog = toCatalog(cfg);
const settings = toEngineSettings(cfg);

interface Truth { account: string; weekly: { ready: boolean[] } }
const truth = new Map<string, Truth>();
for (const line of readFileSync(join(dir, 'truth.ndjson'), 'utf8').split('\n')) if (line) { const t = JSON.parse(line) as Truth; truth.set(t.account, t); }

const events: TierwiseEvent[] = [];
for (const line of readFileSync(join(dir, 'events.ndjson'), 'utf8').split('\n')) {
  if (!line) continue;
  const r = parseCanonical(JSON.parse(line));
  if (r.ok) events.push(r.event);
}
events.sort((a, b) => a.ts - b.ts);
const start = dayOf(events[0]!.ts) * 86_400_000;

const states = new Map<string, AccountState>();
let next = 0;
const ids = ['score', 'ready_flag', ...DETECTORS.filter((d) => d.kind === 'positive').map((d) => d.id)];
const perWeek: Record<string, number[]> = Object.fromEntries(ids.map((k) => [k, []]));
let positives = 0, total = 0;
const THRESHOLDS = [25, 30, 35, 40, 45, 50];
const conf = THRESHOLDS.map(() => ({ tp: 0, fp: 0, fn: 0 }));
for (let w = w0; w <= w1; w++) {
  const now = start + (7 * w + 1) * 86_400_000; // the end of day 7w, when the truth sample is taken
  while (next < events.length && events[next]!.ts < now) {
    const e = events[next++]!;
    let s = states.get(e.account);
    if (!s) states.set(e.account, (s = emptyState(e.account)));
    fold(s, e, catalog);
  }
  const pb = new ProfileBuilder();
  for (const s of states.values()) pb.add(s, dayOf(now));
  const profiles = pb.build();
  const rows: Record<string, [number, boolean][]> = Object.fromEntries(ids.map((k) => [k, []]));
  for (const [id, s] of states) {
    const t = truth.get(id)?.weekly.ready[w];
    if (t === undefined) continue;
    const ev = evaluate(s, { catalog, settings, profiles }, now, { offer: false });
    rows['score']!.push([ev.score.score, t]);
    rows['ready_flag']!.push([ev.qualification.ready ? 1 : 0, t]);
    for (const d of ids.slice(2)) rows[d]!.push([ev.signals.find((x) => x.id === d)?.strength ?? 0, t]);
    total++;
    if (t) positives++;
    const gatesOk = ev.qualification.checks.every((c) => c.ok || c.id === 'score');
    THRESHOLDS.forEach((thr, i) => {
      const flag = gatesOk && ev.score.score >= thr;
      const c = conf[i]!;
      if (flag && t) c.tp++; else if (flag) c.fp++; else if (t) c.fn++;
    });
  }
  for (const k of ids) perWeek[k]!.push(auc(rows[k]!));
}
const mean = (xs: number[]) => xs.filter((x) => !Number.isNaN(x)).reduce((a, b) => a + b, 0) / xs.filter((x) => !Number.isNaN(x)).length;
process.stdout.write(`world ${dir}: ${states.size} accounts, weeks ${w0}-${w1}, ${positives} ready of ${total} account-weeks\n`);
for (const k of ids) process.stdout.write(`${k.padEnd(18)} AUC ${mean(perWeek[k]!).toFixed(3)}   per week ${perWeek[k]!.map((x) => x.toFixed(2)).join(' ')}\n`);
process.stdout.write('\nready flag (all checks, score >= threshold), over all account-weeks:\n');
THRESHOLDS.forEach((thr, i) => {
  const c = conf[i]!;
  const p = c.tp / Math.max(1, c.tp + c.fp), r = c.tp / Math.max(1, c.tp + c.fn);
  process.stdout.write(`  >= ${thr}: flagged ${c.tp + c.fp}, precision ${p.toFixed(2)}, recall ${r.toFixed(2)}, F1 ${(2 * p * r / Math.max(1e-9, p + r)).toFixed(2)}\n`);
});
