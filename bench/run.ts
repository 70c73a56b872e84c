// `npm run bench [-- --quick]`: our figures beside references measured in the same run (DESIGN.md section 5).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFigures } from './figures/import.ts';
import { simulateFigures } from './figures/simulate.ts';
import { engineFigures } from './figures/engine.ts';
import { httpFigures } from './figures/http.ts';
import { metricsFigures } from './figures/metrics.ts';
import { machine, renderTable, ROOT, type BenchContext, type Figure } from './lib.ts';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  process.stdout.write('usage: npm run bench [-- --quick] [-- --json]\n  --quick  small worlds, one run each (under 2 minutes)\n  --json   print the results as JSON\n');
  process.exit(0);
}
const quick = args.includes('--quick');
const tmp = mkdtempSync(join(tmpdir(), 'tierwise-bench-'));
const ctx: BenchContext = { quick, tmp, runs: quick ? 1 : 3, log: (m) => process.stderr.write(`bench: ${m}\n`) };
const started = performance.now();
const figures: Figure[] = [];
try {
  const sim = await simulateFigures(ctx);
  figures.push(...sim.figures);
  figures.push(...(await importFigures(ctx, sim.world.events)));
  figures.push(...(await engineFigures(ctx, sim.world.events)));
  figures.push(...(await httpFigures(ctx)));
  figures.push(...(await metricsFigures(ctx)));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const result = { at: new Date().toISOString(), quick, seconds: Math.round((performance.now() - started) / 100) / 10, machine: machine(), figures };
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(result, null, 2)}\n`);
if (args.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
else process.stdout.write(`${renderTable(figures)}\n\n${result.seconds} s on ${machine().cpus} x ${machine().cpu}, Node ${process.version}; written to bench/results/latest.json\n`);
