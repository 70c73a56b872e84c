// `tierwise opportunities` and `tierwise opportunity ID`: the upsell pipeline for CSMs and AEs.
import type { Command } from 'commander';
import { OPP_STAGES, OPP_STAGE_NAMES, ageDays, type OppStage } from '../core/playbooks/opportunity.ts';
import { ownerLabel, resolveOwner } from '../app/owners.ts';
import type { Opportunity } from '../core/playbooks/opportunity.ts';
import { money, printJson, table, UsageError } from './output.ts';
import { addPlaybookOptions, withPlaybooks, type PlaybookFlags } from './run.ts';
import { isoTime, momentJson, momentLine } from './score.ts';
import { registerOpportunityClose } from './opportunity-close.ts';
import { registerOpportunityCreate } from './opportunity-create.ts';
import { registerOpportunityHandoff } from './opportunity-handoff.ts';
import { registerOpportunityQualify } from './opportunity-qualify.ts';
import { registerOpportunityQuote } from './opportunity-quote.ts';
import { salesLines } from './opportunity-sales-lines.ts';
import { namesOf, salesOfDeps } from '../app/playbook-deps.ts';
import { SOURCE_NAMES } from '../core/sales/types.ts';
import { checklist } from '../core/sales/qualification.ts';
import { renderTalkTrack } from '../core/sales/talk-track.ts';

/** Priority: open first, then the account's score, the ARR delta, and the oldest first. */
const byPriority = (a: Opportunity, b: Opportunity): number =>
  Number(b.status === 'open') - Number(a.status === 'open') || b.score - a.score || b.arrDeltaCents - a.arrDeltaCents || a.openedAt - b.openedAt || a.id.localeCompare(b.id);

export function registerOpportunities(program: Command): void {
  addPlaybookOptions(program.command('opportunities')
    .description('list upsell opportunities with stage, owner and age')
    .option('--stage <stage>', `one of ${OPP_STAGES.join(', ')}`)
    .option('--owner <id>', 'a CSM or AE id')
    .option('--status <status>', 'open, won or lost')
    .option('--account <id>', 'one account')
    .option('--as-of <date>', 'ages as of this moment (YYYY-MM-DD = end of that day, UTC, or an ISO time); default: now')
    .addHelpText('after', `
Sorted by priority: open before closed, then the account's score, then the ARR delta, then the oldest first.`))
    .action(async (flags: PlaybookFlags & { stage?: string; owner?: string; status?: string; account?: string; asOf?: string }) => {
      if (flags.stage && !OPP_STAGES.includes(flags.stage as OppStage)) throw new UsageError(`--stage must be one of ${OPP_STAGES.join(', ')}`);
      if (flags.status && !['open', 'won', 'lost'].includes(flags.status)) throw new UsageError('--status must be open, won or lost');
      await withPlaybooks(flags, { until: flags.asOf }, async ({ deps, now, moment }) => {
        const list = (await deps.store.listOpportunities({
          ...(flags.stage ? { stage: flags.stage as OppStage } : {}), ...(flags.owner ? { owner: flags.owner } : {}),
          ...(flags.status ? { status: flags.status as 'open' } : {}), ...(flags.account ? { account: flags.account } : {}),
        })).sort(byPriority);
        const members = deps.playbooks.team.members;
        const names = new Map<string, string>();
        const owners = await Promise.all(list.map(async (o) => {
          const rec = await deps.store.getAccount(o.account);
          if (typeof rec?.traits.name === 'string') names.set(o.account, rec.traits.name);
          return resolveOwner(rec?.traits, o, members);
        }));
        if (flags.json) {
          return printJson({ moment: momentJson(moment), total: list.length, opportunities: list.map(({ history: _h, brief: _b, ...o }, i) => ({ ...o, name: names.get(o.account) ?? null, ownerView: owners[i], ageDays: ageDays(o as never, now) })) });
        }
        process.stdout.write(`${momentLine(moment)}\n`);
        if (list.length === 0) {
          const filtered = flags.stage || flags.owner || flags.status || flags.account;
          return void process.stdout.write(filtered ? 'no opportunities match these filters\n' : 'no opportunities yet: `tierwise run` opens them for the accounts a playbook can act on (tierwise accounts --ready lists the candidates)\n');
        }
        process.stdout.write(`${table(['id', 'account', 'stage', 'target', 'score', 'arr delta', 'owner', 'age (days)', 'triggers'],
          list.map((o, i) => [o.id, names.get(o.account) ?? o.account, OPP_STAGE_NAMES[o.stage], o.targetName || o.target, o.score, money(o.arrDeltaCents), ownerLabel(owners[i] ?? null), ageDays(o, now), o.triggers.join(', ')]))}\n`);
      });
    });

  // sub-commands (create, qualify, handoff...) own the options after their name: --db after `create` is create's
  const opportunity = addPlaybookOptions(program.command('opportunity').argument('[id]', 'the opportunity to show')
    .description('one opportunity: brief, qualification, talk track, hand-off, quotes, steps and full history; or a sales action on it')
    .enablePositionalOptions());
  registerOpportunityCreate(opportunity);
  registerOpportunityQualify(opportunity);
  registerOpportunityHandoff(opportunity);
  registerOpportunityQuote(opportunity);
  registerOpportunityClose(opportunity);
  opportunity.action(async (id: string | undefined, flags: PlaybookFlags) => {
      if (id === undefined) return opportunity.help({ error: true });
      await withPlaybooks(flags, {}, async ({ deps }) => {
        const o = await deps.store.getOpportunity(id);
        if (!o) throw new UsageError(`no opportunity "${id}"`);
        const steps = await deps.store.listSteps({ opportunity: id });
        const tasks = await deps.store.listTasks({ account: o.account });
        if (flags.json) {
          const s = salesOfDeps(deps);
          return printJson({
            ...o, steps, tasks: tasks.filter((t) => t.opportunity === id), checklist: checklist(o, s.requiredBeforeProposal),
            talkTrack: o.status === 'open' ? renderTalkTrack(o, s, namesOf(deps)) : null,
          });
        }
        const b = o.brief;
        const lines = [
          `${o.id}  ${o.account}: ${o.fromPlan} -> ${o.target}  ${OPP_STAGE_NAMES[o.stage]}  (${o.route}, ${o.segment}${o.source ? `, ${SOURCE_NAMES[o.source]}` : ''})`,
          `owner: ${o.owner ? `${o.ownerRole} ${o.owner}` : '-'}${o.handoff ? `   hand-off to ${o.handoff.to}, due ${isoTime(o.handoff.dueAt)} (SLA ${o.handoff.slaHours} h)` : ''}`,
          `price: +${money(b.price.monthlyDeltaCents)}/month, +${money(b.price.arrDeltaCents)} ARR${b.roi.multiple !== null ? `; ROI about ${b.roi.multiple}x` : ''}`,
          'evidence:', ...b.evidence.map((e) => `  - ${e}`),
          ...salesLines(o, salesOfDeps(deps), namesOf(deps)),
          '', 'steps:',
          table(['due', 'playbook', 'channel', 'when', 'status', 'note'], steps.map((s) => [isoTime(s.dueAt), s.playbook, s.channel, s.when, s.status, s.reason ?? ''])),
          '', 'history:', ...o.history.map((h) => `  ${isoTime(h.at)}  ${h.event}${h.stage ? ` [${OPP_STAGE_NAMES[h.stage]}]` : ''}  ${h.detail}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
