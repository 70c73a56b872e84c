// `tierwise opportunity stage ID STAGE` and `tierwise opportunity close ID won|lost [--reason R]`: the
// pipeline moves a person makes. Proposal needs the configured qualification; a lost deal needs a
// reason from the objections taxonomy; a won one can carry its own credit split.
import type { Command } from 'commander';
import { closeOpportunityById, moveOpportunityStage } from '../app/opportunity-actions.ts';
import { OPP_STAGES, type OppStage } from '../core/playbooks/opportunity.ts';
import { LOSS_REASONS } from '../core/sales/objections.ts';
import { UsageError } from './output.ts';
import { printOpportunity, salesAction, salesOptions, type SalesFlags } from './sales-cli.ts';

/** `csm1=30,ae1=70` -> [{ person: 'csm1', pct: 30 }, ...] */
export function parseCredit(text: string): { person: string; pct: number }[] {
  return text.split(',').map((part) => {
    const m = /^\s*([^=\s]+)\s*=\s*(\d+)\s*%?\s*$/.exec(part);
    if (!m) throw new UsageError(`--credit: "${part}" is not PERSON=PERCENT (e.g. csm1=30,ae1=70)`);
    return { person: m[1] ?? '', pct: Number(m[2]) };
  });
}

export function registerOpportunityClose(opportunity: Command): void {
  salesOptions(opportunity.command('stage <id> <stage>')
    .description(`move an open opportunity forward (${OPP_STAGES.slice(0, 5).join(', ')}); Proposal needs the configured qualification`)
    .option('--by <id>', 'who moved it (default $USER)'))
    .action(async (id: string, stage: string, flags: SalesFlags & { by?: string }) => {
      if (!(OPP_STAGES as readonly string[]).includes(stage)) throw new UsageError(`stage must be one of ${OPP_STAGES.join(', ')}, got "${stage}"`);
      await salesAction(flags, async ({ deps, now }) => {
        const o = await moveOpportunityStage(deps, id, stage as OppStage, now, `moved by ${flags.by ?? process.env['USER'] ?? 'cli'}`);
        printOpportunity(o, flags, `moved to ${stage}`, now);
      });
    });
  salesOptions(opportunity.command('close <id> <outcome>')
    .description('close as won or lost; lost needs --reason from the objections taxonomy')
    .option('--reason <reason>', LOSS_REASONS.join(' | '))
    .option('--note <text>', 'what happened')
    .option('--credit <splits>', 'won: this deal\'s credit in whole percents, e.g. dana=30,sam=70 (default: the comp model)')
    .option('--by <id>', 'who closed it (default $USER)'))
    .action(async (id: string, outcome: string, flags: SalesFlags & { reason?: string; note?: string; credit?: string; by?: string }) => {
      if (outcome !== 'won' && outcome !== 'lost') throw new UsageError(`outcome must be won or lost, got "${outcome}"`);
      const credit = flags.credit ? parseCredit(flags.credit) : undefined;
      const by = flags.by ?? process.env['USER'] ?? 'cli';
      await salesAction(flags, async ({ deps, now }) => {
        const detail = `closed ${outcome} by ${by}${flags.reason ? ` (${flags.reason})` : ''}${flags.note ? `: ${flags.note}` : ''}`;
        const o = await closeOpportunityById(deps, id, outcome === 'won', now, detail, { lossReason: flags.reason, note: flags.note, by, credit });
        printOpportunity(o, flags, detail, now);
      });
    });
}
