// `tierwise opportunity create ACCOUNT --offer PLAN --source csm_observation|qbr|inbound`: a person
// raises an opportunity the signals did not (seed 002's CSM observation, seed 000's QBR, an inbound ask).
import type { Command } from 'commander';
import { createManualOpportunity } from '../app/sales.ts';
import { MANUAL_SOURCES, type ManualSource } from '../core/sales/types.ts';
import { UsageError } from './output.ts';
import { printOpportunity, salesAction, salesOptions, type SalesFlags } from './sales-cli.ts';

interface CreateFlags extends SalesFlags { offer?: string; source: string; by?: string; owner?: string; note?: string }

export function registerOpportunityCreate(opportunity: Command): void {
  salesOptions(opportunity.command('create <account>')
    .description('raise an opportunity by hand; it joins the pipeline, caps, hand-offs and attribution')
    .option('--offer <plan>', 'the plan to offer (default: the engine\'s recommended tier)')
    .requiredOption('--source <source>', MANUAL_SOURCES.join(' | '))
    .option('--by <id>', 'who raised it (a team member id; default $USER)')
    .option('--owner <id>', 'the owner (default: --by when a CSM, else the account\'s CSM, else the least loaded CSM)')
    .option('--note <text>', 'what was observed'))
    .action(async (account: string, flags: CreateFlags) => {
      if (!(MANUAL_SOURCES as readonly string[]).includes(flags.source)) throw new UsageError(`--source must be one of ${MANUAL_SOURCES.join(', ')}, got "${flags.source}"`);
      await salesAction(flags, async ({ deps, engine, now }) => {
        const r = await createManualOpportunity(deps, engine, {
          account, offer: flags.offer, source: flags.source as ManualSource, by: flags.by ?? process.env['USER'] ?? 'cli', owner: flags.owner, note: flags.note, now,
        });
        printOpportunity(r.opportunity, flags, r.created ? 'opportunity created' : 'an open opportunity for this tier exists: the source was attached to it', now);
      });
    });
}
