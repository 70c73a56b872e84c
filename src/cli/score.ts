// `tierwise score`: every account scored, summarized by value-realization stage.
import { planNameOf } from '../core/format.ts';
import type { Command } from 'commander';
import { asOfExpectation, momentJson, momentLabel, staleWarning, type Moment } from '../app/clock.ts';
import { openScoring, parseAsOf, type ScoringSession } from '../app/scoring-session.ts';
import { openStore } from '../open-store.ts';
import { toCatalog } from '../config/catalog-from-config.ts';
import { toEngineSettings } from '../config/engine-schema.ts';
import { loadConfig, resolveConfigPath, resolveDbPath } from '../config/load.ts';
import type { Store } from '../app/ports.ts';
import type { Catalog } from '../core/catalog/types.ts';
import type { EngineSettings } from '../core/scoring/settings.ts';
import { STAGE_NAMES, STAGES } from '../core/scoring/stage.ts';
import type { TierwiseConfig } from '../config/schema.ts';
import { printJson, table, UsageError } from './output.ts';
import { storeOptions, type StoreFlags } from './with-store.ts';
import { progressBar, type Progress } from './progress.ts';

export interface ScoringFlags extends StoreFlags { asOf?: string }

export interface ScoringContext extends ScoringSession { store: Store; catalog: Catalog; settings: EngineSettings }

/** When a session's engine stands (one clock, docs/adr/0011-one-clock.md): the text of `flag` if given, else the wall clock. */
export interface SessionTime { text?: string | undefined; flag: string }

/**
 * "data ends ...; pass --as-of DAY" on stderr (stdout stays parseable) when the data stops days
 * before the wall clock. A moment the user asked for is theirs: its JSON still carries `stale`.
 */
export function warnIfStale(m: Moment, flag = '--as-of'): void {
  if (m.source !== 'clock') return;
  const w = staleWarning(m, (day) => `pass ${flag} ${day}`);
  if (w) process.stderr.write(`tierwise: ${w}\n`);
}

/** The first line of a command's text output: the moment it used. */
export const momentLine = (m: Moment): string => `${momentLabel(m)}${m.dataEnds > 0 ? `; data ends ${isoTime(m.dataEnds).slice(0, 10)}` : '; the store holds no events'}`;

export { momentJson };

/**
 * Loads config, opens the store and the engine at the requested time, runs `fn`, closes the store.
 * The time flag is checked before the store is opened; a stale-data warning goes to stderr.
 */
export async function withSession<T>(flags: StoreFlags, time: SessionTime, fn: (ctx: ScoringContext & { cfg: TierwiseConfig }) => Promise<T> | T): Promise<T> {
  const cfg = loadConfig(resolveConfigPath(flags.config));
  const asOf = time.text === undefined ? undefined : parseAsOf(time.text);
  if (time.text !== undefined && asOf === undefined) throw new UsageError(asOfExpectation(time.flag, time.text));
  const catalog = toCatalog(cfg);
  const settings = toEngineSettings(cfg);
  const store = await openStore(resolveDbPath(flags.db, cfg));
  try {
    const folding = await foldingProgress(store);
    const session = await openScoring(store, catalog, settings, { asOf, clock: Date.now(), onFolded: folding.update });
    folding.stop();
    warnIfStale(session.moment);
    return await fn({ ...session, store, catalog, settings, cfg });
  } finally {
    await store.close();
  }
}

/**
 * A terminal's progress bar while a command folds events (a store not yet scored, or a replay to
 * --as-of); its total is the log's size, an upper bound. Nothing elsewhere.
 */
async function foldingProgress(store: { countEvents(): Promise<number> }): Promise<{ update: (n: number) => void; stop: () => void }> {
  if (process.stderr.isTTY !== true) return { update: () => {}, stop: () => {} };
  const total = await store.countEvents();
  let bar: Progress | undefined;
  return { update: (n) => { bar ??= progressBar(total, 'folding events', 'events'); bar.update(n); }, stop: () => bar?.stop() };
}

export function withScoring<T>(flags: ScoringFlags, fn: (ctx: ScoringContext & { cfg: TierwiseConfig }) => Promise<T> | T): Promise<T> {
  return withSession(flags, { text: flags.asOf, flag: '--as-of' }, fn);
}

export function addScoringOptions(cmd: Command): Command {
  return storeOptions(cmd.option('--as-of <date>', 'the moment to score at (YYYY-MM-DD = end of that day, UTC, or an ISO time); default: now'));
}

export const isoTime = (ms: number): string => (ms > 0 ? new Date(ms).toISOString() : '-');

export function registerScore(program: Command): void {
  addScoringOptions(program.command('score')
    .description('score every account: accounts by value-realization stage and how many are ready for an upsell'))
    .action(async (flags: ScoringFlags) => {
      await withScoring(flags, ({ engine, moment, asOf, cfg }) => {
        const ranked = engine.ranked();
        const byStage = STAGES.map((stage) => {
          const rows = ranked.filter((r) => r.stage === stage);
          return { stage, name: STAGE_NAMES[stage], accounts: rows.length, ready: rows.filter((r) => r.ready).length };
        });
        const ready = ranked.filter((r) => r.ready).length;
        const placeholders = ranked.filter((r) => r.placeholder).length;
        if (flags.json) return printJson({ moment: momentJson(moment), now: isoTime(moment.now), asOf, accounts: ranked.length, ready, placeholders, stages: byStage, top: engine.withWhy(ranked.slice(0, 10)) });
        const lines = [
          `${ranked.length.toLocaleString('en-US')} accounts scored ${momentLine(moment)}${asOf ? ' (replayed history)' : ''}`,
          '',
          table(['stage', 'accounts', 'ready'], byStage.map((s) => [s.name, s.accounts, s.ready])),
          '',
          `ready for an upsell: ${ready.toLocaleString('en-US')}${placeholders ? `   (placeholders, never described by an account event: ${placeholders})` : ''}`,
        ];
        const top = engine.withWhy(ranked.filter((r) => r.ready).slice(0, 5));
        if (top.length > 0) lines.push('', 'top opportunities:', table(['account', 'plan', 'score', 'why'], top.map((r) => [r.account, planNameOf(cfg.plans, r.plan), r.score, r.top])));
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
