// `tierwise demo` (what `npm start` runs): the whole flow on the embedded store, with no setup.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, resolveConfigPath, resolveDbPath } from '../config/load.ts';
import { checkOptions, toCatalog } from '../config/catalog-from-config.ts';
import { checkCatalog } from '../core/catalog/check.ts';
import { openStore } from '../compose.ts';
import { importFile } from './import.ts';
import { runSimulate } from './simulate.ts';
import { EXIT, money, table } from './output.ts';
import { toEngineSettings } from '../config/engine-schema.ts';
import { openScoring } from '../app/scoring-session.ts';
import { STAGE_NAMES, STAGES } from '../core/scoring/stage.ts';

interface DemoFlags { config?: string; db?: string; accounts: string; days: string; seed: string }

const say = (s: string) => process.stdout.write(`${s}\n`);

export function registerDemo(program: Command): void {
  program.command('demo')
    .description('check the catalog, simulate a SaaS world if there is no data yet, import it and show what Tierwise finds')
    .option('-c, --config <file>', 'config file (default: ./tierwise.yaml or the bundled example)')
    .option('--db <path>', 'store file (default: .tierwise/tierwise.db)')
    .option('--accounts <n>', 'accounts in the demo world', '2000')
    .option('--days <n>', 'days of history in the demo world', '90')
    .option('--seed <n>', 'seed of the demo world', '7')
    .action(async (flags: DemoFlags) => {
      const configFile = resolveConfigPath(flags.config);
      const cfg = loadConfig(configFile);
      const catalog = toCatalog(cfg);
      const findings = checkCatalog(catalog, checkOptions(cfg));
      const errors = findings.filter((f) => f.severity === 'error');
      say(`1. Catalog ${configFile}: ${catalog.plans.map((p) => p.name).join(' -> ')}; ${errors.length} error(s), ${findings.length - errors.length} warning(s)`);
      for (const f of findings) say(`   ${f.severity}: ${f.message}`);
      if (errors.length > 0) {
        say('   Fix the catalog first: `tierwise catalog check` explains each finding.');
        process.exitCode = EXIT.problems;
        return;
      }

      const dbPath = resolveDbPath(flags.db, cfg);
      const store = await openStore(dbPath);
      try {
        const stored = await store.countEvents();
        if (stored === 0) {
          const dir = join(dbPath, '..', 'demo');
          const events = join(dir, 'events.ndjson');
          if (!existsSync(events)) {
            // The world ends today, so the demo's signals look current.
            const start = new Date(Date.now() - Number(flags.days) * 86_400_000).toISOString().slice(0, 10);
            const s = runSimulate({ accounts: flags.accounts, days: flags.days, seed: flags.seed, start, out: dir, ...(flags.config ? { config: flags.config } : {}) }, process.stderr.isTTY === true);
            say(`2. Simulated ${s.accounts.toLocaleString('en-US')} accounts over ${s.days} days from ${s.start}: ${s.events.toLocaleString('en-US')} events in ${s.seconds} s (${dir})`);
          } else {
            say(`2. Using the demo world in ${dir}`);
          }
          const r = await importFile(store, events, { batchSize: 10_000, csvKind: undefined, progress: true });
          say(`3. Imported ${r.accepted.toLocaleString('en-US')} events into ${dbPath} (${r.eventsPerSecond.toLocaleString('en-US')} events/s, ${r.rejected} rejected)`);
        } else {
          say(`2-3. The store ${dbPath} already holds ${stored.toLocaleString('en-US')} events; import more with \`tierwise import FILE\``);
        }
        const t0 = performance.now();
        const { engine, now } = await openScoring(store, catalog, toEngineSettings(cfg));
        const ranked = engine.ranked();
        const byStage = STAGES.map((st) => `${STAGE_NAMES[st]} ${ranked.filter((r) => r.stage === st).length}`).join(', ');
        const ready = ranked.filter((r) => r.ready);
        say(`4. Scored ${ranked.length.toLocaleString('en-US')} accounts as of ${new Date(now).toISOString().slice(0, 10)} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${byStage}; ${ready.length} ready for an upsell.`);
        const top = ready.slice(0, 10);
        if (top.length > 0) {
          say('');
          say(table(['#', 'account', 'plan', 'segment', 'score', 'offer', 'top reason'], top.map((r, i) => {
            const offer = engine.explain(r.account, now)?.offer;
            const target = offer ? `${offer.target.name} +${money(offer.price.monthly)}/mo` : '-';
            return [i + 1, r.account, r.plan, r.segment, r.score, target, r.top];
          })));
          say('');
          say(`Next: \`npx tierwise explain ${top[0]?.account}\` for the evidence, the offer, the prorated price and the ROI;`);
          say('      `npx tierwise accounts --ready` for the full list; `npx tierwise serve` for the HTTP API.');
        }
      } finally {
        await store.close();
      }
    });
}
