// `tierwise opportunity qualify ID ITEM=yes|no[:note]...`: seed 000 and 004's qualification for a
// sales-led deal (goals met, ROI articulated, budget, approver, timeline), recorded with who and when.
import type { Command } from 'commander';
import { qualifyOpportunity, type QualAnswers } from '../app/sales.ts';
import { checklist } from '../core/sales/qualification.ts';
import { QUAL_ITEMS, type QualItem } from '../core/sales/types.ts';
import { salesOfDeps } from '../app/playbook-deps.ts';
import { printJson, UsageError } from './output.ts';
import { salesAction, salesOptions, type SalesFlags } from './sales-cli.ts';

/** `budget=yes:FY27 budget` -> ['budget', { met: true, note: 'FY27 budget' }] */
export function parseAnswer(text: string): [QualItem, { met: boolean; note?: string }] {
  const m = /^([a-z_]+)=(yes|no)(?::(.*))?$/s.exec(text.trim());
  if (!m || !(QUAL_ITEMS as readonly string[]).includes(m[1] ?? '')) throw new UsageError(`"${text}": expected ITEM=yes|no[:note] with ITEM one of ${QUAL_ITEMS.join(', ')}`);
  const note = m[3]?.trim();
  return [m[1] as QualItem, { met: m[2] === 'yes', ...(note ? { note } : {}) }];
}

export function registerOpportunityQualify(opportunity: Command): void {
  salesOptions(opportunity.command('qualify <id> <answers...>')
    .description(`record qualification answers: ${QUAL_ITEMS.map((k) => `${k}=yes|no[:note]`).join(' ')}`)
    .option('--by <id>', 'who qualified it (default $USER)'))
    .action(async (id: string, answers: string[], flags: SalesFlags & { by?: string }) => {
      const parsed: QualAnswers = Object.fromEntries(answers.map(parseAnswer));
      await salesAction(flags, async ({ deps, now }) => {
        const o = await qualifyOpportunity(deps, id, parsed, flags.by ?? process.env['USER'] ?? 'cli', now);
        const rows = checklist(o, salesOfDeps(deps).requiredBeforeProposal);
        if (flags.json) return printJson({ opportunity: o.id, checklist: rows });
        process.stdout.write(`${o.id} qualification:\n${rows.map((r) => `  [${r.met === true ? 'x' : r.met === false ? '-' : ' '}] ${r.name}${r.note ? ` (${r.note})` : ''}${r.required ? '' : '  (not required)'}`).join('\n')}\n`);
      });
    });
}
