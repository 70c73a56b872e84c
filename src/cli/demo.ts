// `tierwise demo` (what `npm start` runs): the whole flow on the embedded store, with no setup.
import { planNameOf } from '../core/format.ts';
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, resolveConfigPath, resolveDbPath } from '../config/load.ts';
import { checkOptions, toCatalog } from '../config/catalog-from-config.ts';
import { checkCatalog } from '../core/catalog/check.ts';
import { openStore } from '../open-store.ts';
import { importFile } from './import.ts';
import { runSimulate } from './simulate.ts';
import { EXIT, money, table } from './output.ts';
import { toEngineSettings } from '../config/engine-schema.ts';
import { openScoring } from '../app/scoring-session.ts';
import { STAGE_NAMES, STAGES } from '../core/scoring/stage.ts';
import { simulatePlays, type PlaySimReport } from '../app/demo-plays.ts';
import type { PlaybookDeps } from '../app/playbook-deps.ts';
import { revenueMetrics } from '../app/metrics.ts';
import { upsellReport } from '../app/reports.ts';
import type { Catalog } from '../core/catalog/types.ts';
import type { EngineSettings } from '../core/scoring/settings.ts';
import { toPlaybookSettings } from '../config/playbooks-schema.ts';
import { toUpsellSettings } from '../config/metrics-schema.ts';
import type { TierwiseConfig } from '../config/schema.ts';
import type { AccountTruth } from '../sim/types.ts';
import { formerCount } from '../sim/history.ts';
import type { Store } from '../app/ports.ts';

interface DemoFlags { config?: string; db?: string; accounts: string; days: string; seed: string; historyDays: string; playWeeks: string }

const DAY = 86_400_000;
const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
/** below this many offers a conversion rate says nothing (the 95 % interval spans tens of points) */
const MIN_CASES = 10;

const say = (s: string) => process.stdout.write(`${s}\n`);

export function registerDemo(program: Command): void {
  program.command('demo')
    .description('check the catalog, simulate a SaaS world if there is no data yet, import it and show what Tierwise finds')
    .option('-c, --config <file>', 'config file (default: ./tierwise.yaml or the bundled example)')
    .option('--db <path>', 'store file (default: .tierwise/tierwise.db)')
    .option('--accounts <n>', 'accounts in the demo world', '2000')
    .option('--days <n>', 'days of history in the demo world', '90')
    .option('--seed <n>', 'seed of the demo world', '7')
    .option('--history-days <n>', 'days of subscription history before the telemetry (with the default 90 days: 18 months in all)', '450')
    .option('--play-weeks <n>', 'weeks at the end of the world the playbooks run, with simulated answers (0 = none)', '4')
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
            const s = runSimulate({ accounts: flags.accounts, days: flags.days, seed: flags.seed, start, out: dir, historyDays: flags.historyDays, ...(flags.config ? { config: flags.config } : {}) }, process.stderr.isTTY === true);
            const formers = formerCount(s.accounts, s.historyDays);
            const history = s.historyDays > 0 ? `, subscription history from ${new Date(Date.parse(s.start) - s.historyDays * DAY).toISOString().slice(0, 10)} (and ${formers.toLocaleString('en-US')} former customers)` : '';
            say(`2. Simulated ${s.accounts.toLocaleString('en-US')} accounts over ${s.days} days from ${s.start}${history}: ${s.events.toLocaleString('en-US')} events in ${s.seconds} s (${dir})`);
          } else {
            say(`2. Using the demo world in ${dir}`);
          }
          const r = await importFile(store, events, { batchSize: 10_000, csvKind: undefined, progress: true });
          say(`3. Imported ${r.accepted.toLocaleString('en-US')} events into ${dbPath} (${r.eventsPerSecond.toLocaleString('en-US')} events/s, ${r.rejected} rejected, ${r.warnings} warnings)`);
          const weeks = Number(flags.playWeeks);
          const truthFile = join(dir, 'truth.ndjson');
          if (weeks > 0 && existsSync(truthFile)) {
            const t1 = performance.now();
            const p = await playTheLastWeeks(store, cfg, catalog, toEngineSettings(cfg), truthFile, Number(flags.days), weeks, Number(flags.seed));
            say(`   Playbooks over the last ${weeks} weeks (${p.runs} weekly runs, accounts answering through the simulator's response model): ${p.opened} opportunities opened, ${p.contacted} offers reached the customer, ${p.accepted} accepted, ${p.declined} declined; ${p.won} won (${((performance.now() - t1) / 1000).toFixed(1)} s).`);
            const mails = (await store.listOutbox({ status: 'pending' })).filter((m) => m.channel === 'email').length;
            if (mails > 0 && !cfg.channels?.email) say(`   ${mails} email(s) to the accounts' contacts wait in the outbox: no SMTP server is configured (\`npx tierwise outbox\`).`);
          }
        } else {
          say(`2-3. The store ${dbPath} already holds ${stored.toLocaleString('en-US')} events; import more with \`tierwise import FILE\``);
        }
        const t0 = performance.now();
        const { engine, now } = await openScoring(store, catalog, toEngineSettings(cfg));
        const ranked = engine.ranked();
        const byStage = STAGES.map((st) => `${STAGE_NAMES[st]} ${ranked.filter((r) => r.stage === st).length}`).join(', ');
        const ready = ranked.filter((r) => r.ready);
        say(`4. Scored ${ranked.length.toLocaleString('en-US')} accounts as of ${new Date(now).toISOString().slice(0, 10)} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${byStage}; ${ready.length} ready for an upsell.`);
        const top = engine.withWhy(ready.slice(0, 10));
        if (top.length > 0) {
          say('');
          const names = new Map((await store.listAccounts()).map((a) => [a.id, typeof a.traits.name === 'string' ? a.traits.name : a.id]));
          say(table(['#', 'account', 'name', 'plan', 'segment', 'score', 'offer', 'top reason'], top.map((r, i) => {
            const offer = engine.explain(r.account, now)?.offer;
            const target = offer ? `${offer.target.name} +${money(offer.price.monthly)}/mo` : '-';
            return [i + 1, r.account, names.get(r.account) ?? r.account, planNameOf(catalog.plans, r.plan), r.segment.replace(/_/g, ' '), r.score, target, r.top];
          })));
          say('');
        }
        say('');
        for (const line of await revenueBlock(store, cfg, now)) say(line);
        if (top.length > 0) {
          say('');
          say(`Next: \`npx tierwise explain ${top[0]?.account}\` for the evidence, the offer, the prorated price and the ROI;`);
          say('      `npx tierwise accounts --ready` for the full list; `npx tierwise report attribution` and `npx tierwise metrics`');
          say('      for the upsell and revenue figures; `npx tierwise serve` for the HTTP API and the dashboard.');
        }
      } finally {
        await store.close();
      }
    });
}

/** Runs the playbooks once a week over the last `weeks` weeks of the world, then once at its end. */
async function playTheLastWeeks(store: Store, cfg: TierwiseConfig, catalog: Catalog, settings: EngineSettings, truthFile: string, days: number, weeks: number, seed: number): Promise<PlaySimReport> {
  const truth = new Map<string, AccountTruth>();
  for (const line of readFileSync(truthFile, 'utf8').split('\n')) {
    if (!line) continue;
    const t = JSON.parse(line) as AccountTruth;
    truth.set(t.account, t);
  }
  const live = await openScoring(store, catalog, settings);
  const end = Math.floor(live.engine.latestTs() / DAY) * DAY + DAY;
  const worldStartMs = end - days * DAY;
  const runs: number[] = [];
  for (let w = Math.min(weeks, Math.floor(days / 7) - 1); w >= 1; w--) runs.push(end - w * 7 * DAY + 9 * 3_600_000);
  runs.push(end - 1);
  const deps: PlaybookDeps = {
    store, catalog, settings, playbooks: toPlaybookSettings(cfg), webhook: { inApp: false, tasks: false },
    ...(cfg.channels?.email ? { emailTrait: cfg.channels.email.to_trait } : {}),
  };
  return simulatePlays({ deps, truth, worldStartMs, runs, seed, engineAt: async (t) => (await openScoring(store, catalog, settings, { asOf: t })).engine });
}

/** MRR, NRR and GRR over the last 12 whole months, expansion, and upsells from plays vs organic. */
async function revenueBlock(store: Store, cfg: TierwiseConfig, now: number): Promise<string[]> {
  const all = await revenueMetrics(store, { knownPlans: new Set(cfg.plans.map((p) => p.id)) });
  if (!all.dataTo || all.events === 0) return ['Revenue: no subscription events yet.'];
  // The month `now` falls in is partial: the 12 months end with the month before it.
  const at = new Date(now);
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const to = new Date(Date.UTC(y, m - 1, 1)).toISOString().slice(0, 7);
  const from = new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 7);
  const running = `${at.toISOString().slice(0, 7)}, ${at.getUTCDate()} day${at.getUTCDate() === 1 ? '' : 's'}`;
  const r = await revenueMetrics(store, { from, to, knownPlans: new Set(cfg.plans.map((p) => p.id)) });
  const t = r.total;
  const up = await upsellReport(store, { playbooks: toPlaybookSettings(cfg), settings: toUpsellSettings(cfg.metrics) });
  const h = up.headline;
  const lines = [
    `Revenue, ${from}..${to} (12 whole months; ${running} so far is left out):`,
    `   MRR ${money(t.startMrr)} -> ${money(t.endMrr)} (ARR ${money(t.endMrr * 12)}), ${t.customers.end.toLocaleString('en-US')} paying accounts`,
    `   NRR ${pct(t.nrr)}   GRR ${pct(t.grr)}   (the ${t.cohort.accounts.toLocaleString('en-US')} accounts paying at the start: ${money(t.cohort.startMrr)} -> ${money(t.cohort.endMrr)} MRR)`,
    `   new ${money(t.new)}   expansion ${money(t.expansion)}   reactivation ${money(t.reactivation)}   contraction -${money(t.contraction)}   churn -${money(t.churn)} (MRR)`,
    // Two meanings of "upsell", named apart: an expansion is any account-month whose MRR rose
    // (`metrics`); an upsell from a play is a won opportunity after outreach (`report`).
    `Expansions since the data begins (account-months with more MRR): ${all.upsell.expansions.toLocaleString('en-US')}, ${money(all.upsell.expansionMrr)} MRR:`,
    `   from plays (opportunities won after an offer): ${h.upsells} of ${h.offers} offers (${h.offers >= MIN_CASES ? pct(h.conversion) : `too few offers for a rate: fewer than ${MIN_CASES}`}), ${money(h.expansionMrr)} MRR`,
    `   organic (no offer before them): ${Math.max(0, all.upsell.expansions - h.upsells).toLocaleString('en-US')}${h.organicWins > 0 ? `, ${h.organicWins} of them while an opportunity was open but not yet offered` : ''}`,
  ];
  const bySignal = up.attribution.bySignal.filter((c) => c.offers > 0);
  if (bySignal.length > 0) {
    lines.push(`   conversion by signal source: ${bySignal.map((c) => `${c.key} ${c.offers >= MIN_CASES ? pct(c.conversion) : 'too few cases'} (${c.upsells}/${c.offers})`).join(', ')}`);
  }
  return lines;
}
