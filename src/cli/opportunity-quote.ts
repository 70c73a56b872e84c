// `tierwise opportunity quote ID --discount PCT --term MONTHS`, `... approve ID --approver A`,
// `... refuse ID --approver A --reason TEXT`: discount discipline (seed 002: above 10 % only multi-year).
import type { Command } from 'commander';
import { decideQuoteById, quoteOpportunity } from '../app/sales.ts';
import { UsageError } from './output.ts';
import { printOpportunity, salesAction, salesOptions, type SalesFlags } from './sales-cli.ts';

const num = (flag: string, v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} must be a number, got "${v}"`);
  return n;
};

export function registerOpportunityQuote(opportunity: Command): void {
  salesOptions(opportunity.command('quote <id>')
    .description('quote a discount on a term; above sales.discounts.approval_above_pct it waits for a named approver')
    .requiredOption('--discount <pct>', 'percent off (0-100)')
    .requiredOption('--term <months>', 'the term in months (1, 12, 24...)')
    .option('--by <id>', 'who quotes it (default $USER)'))
    .action(async (id: string, flags: SalesFlags & { discount: string; term: string; by?: string }) => {
      const q = { discountPct: num('--discount', flags.discount), termMonths: num('--term', flags.term), by: flags.by ?? process.env['USER'] ?? 'cli' };
      await salesAction(flags, async ({ deps, now }) => {
        const o = await quoteOpportunity(deps, id, q, now);
        printOpportunity(o, flags, o.history.at(-1)?.detail ?? '', now);
      });
    });
  for (const verb of ['approve', 'refuse'] as const) {
    const cmd = opportunity.command(`${verb} <id>`)
      .description(verb === 'approve' ? 'approve the quote waiting (only within the term rules)' : 'refuse the quote waiting, with a reason')
      .requiredOption('--approver <id>', 'a team.approvers id or name');
    if (verb === 'refuse') cmd.requiredOption('--reason <text>', 'why');
    salesOptions(cmd).action(async (id: string, flags: SalesFlags & { approver: string; reason?: string }) => {
      await salesAction(flags, async ({ deps, now }) => {
        const o = await decideQuoteById(deps, id, verb === 'approve', flags.approver, flags.reason, now);
        printOpportunity(o, flags, o.history.at(-1)?.detail ?? '', now);
      });
    });
  }
}
