// `tierwise opportunity handoff ID --to AE [--intro TEXT]`, `... accept ID`, `... bounce ID --reason TEXT`:
// seed 004's CS -> Sales hand-off: the CSM introduces, the AE accepts or bounces within the SLA.
import type { Command } from 'commander';
import { handOffOpportunity } from '../app/opportunity-actions.ts';
import { decideHandoffById } from '../app/sales.ts';
import { printOpportunity, salesAction, salesOptions, type SalesFlags } from './sales-cli.ts';

export function registerOpportunityHandoff(opportunity: Command): void {
  salesOptions(opportunity.command('handoff <id>')
    .description('hand the opportunity to an AE with a warm intro; the team\'s SLA starts')
    .requiredOption('--to <ae>', 'the AE')
    .option('--intro <text>', 'the CSM\'s introduction: what the customer wants, who decides'))
    .action(async (id: string, flags: SalesFlags & { to: string; intro?: string }) => {
      await salesAction(flags, async ({ deps, now }) => {
        const o = await handOffOpportunity(deps, id, flags.to, now, flags.intro);
        printOpportunity(o, flags, `handed off to ${flags.to}; due by ${o.handoff ? new Date(o.handoff.dueAt).toISOString() : '-'}`, now);
      });
    });
  for (const decision of ['accept', 'bounce'] as const) {
    const cmd = opportunity.command(`${decision} <id>`)
      .description(decision === 'accept' ? 'the AE accepts the hand-off waiting' : 'the AE bounces the hand-off back to the CSM, with a reason')
      .option('--by <id>', 'the AE deciding (default $USER)');
    if (decision === 'bounce') cmd.requiredOption('--reason <text>', 'why (e.g. not qualified: no approver yet)');
    salesOptions(cmd).action(async (id: string, flags: SalesFlags & { by?: string; reason?: string }) => {
      await salesAction(flags, async ({ deps, now }) => {
        const o = await decideHandoffById(deps, id, decision === 'accept' ? 'accepted' : 'bounced', flags.by ?? process.env['USER'] ?? 'cli', flags.reason, now);
        printOpportunity(o, flags, o.history.at(-1)?.detail ?? '', now);
      });
    });
  }
}
