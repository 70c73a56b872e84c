// `tierwise accounts`: accounts ranked by readiness and score, with their top reason.
import type { Command } from 'commander';
import { STAGE_NAMES, STAGES, type Stage } from '../core/scoring/stage.ts';
import { printJson, table, UsageError } from './output.ts';
import { addScoringOptions, withScoring, type ScoringFlags } from './score.ts';

interface AccountsFlags extends ScoringFlags { top?: string; stage?: string; segment?: string; ready?: boolean }

const stageFrom = (text: string): Stage | undefined => {
  const k = text.toLowerCase().replace(/[\s-]+/g, '_');
  return (STAGES as readonly string[]).includes(k) ? (k as Stage) : STAGES.find((s) => STAGE_NAMES[s].toLowerCase() === text.toLowerCase());
};

export function registerAccounts(program: Command): void {
  addScoringOptions(program.command('accounts')
    .description('accounts ranked: ready first, then by score, with the top reason'))
    .option('--top <n>', 'how many to list', '20')
    .option('--stage <stage>', 'only this stage: initial_adoption, active_usage, power_usage, tier_ceiling')
    .option('--segment <segment>', 'only this segment: enterprise, mid_market, smb, self_serve')
    .option('--ready', 'only accounts ready for an upsell')
    .action(async (flags: AccountsFlags) => {
      const top = Number(flags.top ?? 20);
      if (!Number.isInteger(top) || top <= 0) throw new UsageError(`--top must be a positive integer, got "${flags.top}"`);
      const stage = flags.stage === undefined ? undefined : stageFrom(flags.stage);
      if (flags.stage !== undefined && !stage) throw new UsageError(`--stage must be one of ${STAGES.join(', ')}, got "${flags.stage}"`);
      const segment = flags.segment?.toLowerCase().replace(/[\s-]+/g, '_');
      await withScoring(flags, ({ engine }) => {
        const rows = engine.ranked()
          .filter((r) => (stage ? r.stage === stage : true) && (segment ? r.segment === segment : true) && (flags.ready ? r.ready : true))
          .slice(0, top);
        if (flags.json) return printJson(rows);
        if (rows.length === 0) return void process.stdout.write('no accounts match\n');
        process.stdout.write(`${table(['#', 'account', 'plan', 'segment', 'stage', 'score', 'ready', 'top reason'],
          rows.map((r, i) => [i + 1, `${r.account}${r.placeholder ? ' (placeholder)' : ''}`, r.plan || '-', r.segment, STAGE_NAMES[r.stage], r.score, r.ready ? 'yes' : 'no',
            r.ready ? r.top : (r.reasons[0] ?? r.top)]))}\n`);
      });
    });
}
