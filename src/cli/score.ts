// `tierwise score`: every account scored, summarized by value-realization stage.
import type { Command } from 'commander';
import { openScoring, parseAsOf, type ScoringSession } from '../app/scoring-session.ts';
import { openStore } from '../compose.ts';
import { toCatalog } from '../config/catalog-from-config.ts';
import { toEngineSettings } from '../config/engine-schema.ts';
import { loadConfig, resolveConfigPath, resolveDbPath } from '../config/load.ts';
import type { Store } from '../app/ports.ts';
import type { Catalog } from '../core/catalog/types.ts';
import type { EngineSettings } from '../core/scoring/settings.ts';
import { STAGE_NAMES, STAGES } from '../core/scoring/stage.ts';
import { printJson, table, UsageError } from './output.ts';

export interface ScoringFlags { db?: string; config?: string; asOf?: string; json?: boolean }

export interface ScoringContext extends ScoringSession { store: Store; catalog: Catalog; settings: EngineSettings }

/** Loads config, opens the store and the engine at the requested time, runs `fn`, closes the store. */
export async function withScoring<T>(flags: ScoringFlags, fn: (ctx: ScoringContext) => Promise<T> | T): Promise<T> {
  const cfg = loadConfig(resolveConfigPath(flags.config));
  const asOf = flags.asOf === undefined ? undefined : parseAsOf(flags.asOf);
  if (flags.asOf !== undefined && asOf === undefined) throw new UsageError(`--as-of must be a date (YYYY-MM-DD) or an ISO timestamp, got "${flags.asOf}"`);
  const catalog = toCatalog(cfg);
  const settings = toEngineSettings(cfg);
  const store = await openStore(resolveDbPath(flags.db, cfg));
  try {
    const session = await openScoring(store, catalog, settings, { asOf });
    return await fn({ ...session, store, catalog, settings });
  } finally {
    await store.close();
  }
}

export function addScoringOptions(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'store file (default: $TIERWISE_DB, the config\'s store.path, or .tierwise/tierwise.db)')
    .option('-c, --config <file>', 'config file')
    .option('--as-of <date>', 'score history as it stood at this date (YYYY-MM-DD = end of that day, UTC) or ISO time')
    .option('--json', 'print JSON');
}

export const isoTime = (ms: number): string => (ms > 0 ? new Date(ms).toISOString() : '-');

export function registerScore(program: Command): void {
  addScoringOptions(program.command('score')
    .description('score every account: accounts by value-realization stage and how many are ready for an upsell'))
    .action(async (flags: ScoringFlags) => {
      await withScoring(flags, ({ engine, now, asOf }) => {
        const ranked = engine.ranked();
        const byStage = STAGES.map((stage) => {
          const rows = ranked.filter((r) => r.stage === stage);
          return { stage, name: STAGE_NAMES[stage], accounts: rows.length, ready: rows.filter((r) => r.ready).length };
        });
        const ready = ranked.filter((r) => r.ready).length;
        const placeholders = ranked.filter((r) => r.placeholder).length;
        if (flags.json) return printJson({ now: isoTime(now), asOf, accounts: ranked.length, ready, placeholders, stages: byStage, top: ranked.slice(0, 10) });
        const lines = [
          `${ranked.length.toLocaleString('en-US')} accounts scored as of ${isoTime(now)}${asOf ? ' (replayed history)' : ''}`,
          '',
          table(['stage', 'accounts', 'ready'], byStage.map((s) => [s.name, s.accounts, s.ready])),
          '',
          `ready for an upsell: ${ready.toLocaleString('en-US')}${placeholders ? `   (placeholders, never described by an account event: ${placeholders})` : ''}`,
        ];
        const top = ranked.filter((r) => r.ready).slice(0, 5);
        if (top.length > 0) lines.push('', 'top opportunities:', table(['account', 'plan', 'score', 'why'], top.map((r) => [r.account, r.plan, r.score, r.top])));
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
