// `npm run bench [-- --quick]`: our figures beside references measured in the same run (DESIGN.md section 5).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFigures } from './figures/import.ts';
import { simulateFigures } from './figures/simulate.ts';
import { engineFigures } from './figures/engine.ts';
import { entitlementFigures } from './figures/entitlements.ts';
import { httpFigures } from './figures/http.ts';
import { latencyFigures } from './figures/latency.ts';
import { metricsFigures } from './figures/metrics.ts';
import { playbookFigures } from './figures/playbooks.ts';
import { commandFigures } from './figures/commands.ts';
import { postgresFigures } from './figures/postgres.ts';
import { chaosFigures, hostileFigures, soakFigures } from './figures/robustness.ts';
import { machine, renderTable, ROOT, type BenchContext, type Figure } from './lib.ts';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  process.stdout.write([
    'usage: npm run bench [-- --quick] [-- --json] [-- --only simulate,import,engine,http,latency,entitlements,metrics,playbooks,postgres,commands,chaos,hostile,soak] [-- --soak-seconds N]',
    '  --quick  small worlds, one run each (under 2 minutes)',
    '  --json   print the results as JSON',
    '  --only   these figure groups only (import and engine need the simulated world, so simulate runs for them;',
    '           latency loads the server at half the peak of http when http runs too, else measures a peak itself;',
    '           postgres: $TIERWISE_BENCH_DATABASE_URL or $TIERWISE_TEST_DATABASE_URL, else a throwaway PostgreSQL from npm;',
    '           chaos (kill -9 trials), hostile (/healthz beside eight hostile requests) and soak (10 min mixed',
    '           load, RSS sampled; --soak-seconds shortens it) run only when named)',
  ].join('\n') + '\n');
  process.exit(0);
}
const quick = args.includes('--quick');
const DEFAULT_GROUPS = ['simulate', 'import', 'engine', 'http', 'latency', 'entitlements', 'metrics', 'playbooks', 'postgres', 'commands'];
const GROUPS = [...DEFAULT_GROUPS, 'chaos', 'hostile', 'soak'];
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',')) : new Set(DEFAULT_GROUPS);
const soakAt = args.indexOf('--soak-seconds');
const soakSeconds = soakAt >= 0 ? Number(args[soakAt + 1]) : undefined;
for (const g of only) if (!GROUPS.includes(g)) { process.stderr.write(`bench: unknown group "${g}" after --only (known: ${GROUPS.join(', ')})\n`); process.exit(2); }
const want = (g: string) => only.has(g);
const tmp = mkdtempSync(join(tmpdir(), 'tierwise-bench-'));
const ctx: BenchContext = { quick, tmp, runs: quick ? 1 : 3, log: (m) => process.stderr.write(`bench: ${m}\n`) };
const started = performance.now();
const figures: Figure[] = [];
try {
  if (want('simulate') || want('import') || want('engine') || want('postgres')) {
    const sim = await simulateFigures(ctx);
    if (want('simulate')) figures.push(...sim.figures);
    if (want('import')) figures.push(...(await importFigures(ctx, sim.world.events)));
    if (want('engine')) figures.push(...(await engineFigures(ctx, sim.world.events)));
    if (want('postgres')) figures.push(...(await postgresFigures(ctx, sim.world.events)));
  }
  let peak: number | undefined;
  if (want('http')) {
    const http = await httpFigures(ctx);
    figures.push(...http.figures);
    peak = http.peakEventsPerSecond;
  }
  if (want('latency')) figures.push(...(await latencyFigures(ctx, peak)));
  if (want('entitlements')) figures.push(...(await entitlementFigures(ctx)));
  if (want('metrics')) figures.push(...(await metricsFigures(ctx)));
  if (want('playbooks')) figures.push(...(await playbookFigures(ctx)));
  if (want('commands')) figures.push(...(await commandFigures(ctx)));
  if (want('chaos')) figures.push(...(await chaosFigures(ctx)));
  if (want('hostile')) figures.push(...(await hostileFigures(ctx)));
  if (want('soak')) figures.push(...(await soakFigures(ctx, soakSeconds)));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const result = { at: new Date().toISOString(), quick, seconds: Math.round((performance.now() - started) / 100) / 10, machine: machine(), figures };
// a partial run must not replace the full results on record
const file = onlyAt >= 0 ? join(tmpdir(), 'tierwise-bench-partial.json') : join(ROOT, 'bench/results/latest.json');
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
if (args.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
else process.stdout.write(`${renderTable(figures)}\n\n${result.seconds} s on ${machine().cpus} x ${machine().cpu}, Node ${process.version}; written to ${file}\n`);
