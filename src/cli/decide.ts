// `tierwise decide`, `tierwise prompt` and `tierwise trial`: the in-app decision, its outcome, trials.
import type { Command } from 'commander';
import { decideFor, recordPromptOutcome, type PromptAction } from '../app/decide.ts';
import { parseAsOf } from '../app/scoring-session.ts';
import { endTrial, startTrial } from '../app/trials.ts';
import { money, printJson, UsageError } from './output.ts';
import { addPlaybookOptions, withPlaybooks, type PlaybookFlags } from './run.ts';
import { isoTime } from './score.ts';

function atOf(at: string | undefined, fallback: number): number {
  if (at === undefined) return fallback;
  const t = parseAsOf(at);
  if (t === undefined) throw new UsageError(`--at must be a date or an ISO timestamp, got "${at}"`);
  return t;
}
const atOption = '--at <time>';
const atHelp = 'the decision time (default: the latest event time)';

export function registerDecide(program: Command): void {
  addPlaybookOptions(program.command('decide <account>')
    .description('should this user see an upgrade prompt now? show / don\'t show, with the reason')
    .requiredOption('--user <id>', 'the user in front of the product')
    .option('--feature <id>', 'the gated feature the user just opened')
    .option('--session <id>', 'the user\'s session id')
    .option(atOption, atHelp))
    .action(async (account: string, flags: PlaybookFlags & { user: string; feature?: string; session?: string; at?: string }) => {
      await withPlaybooks(flags, {}, async ({ deps, engine, now }) => {
        const context = { ...(flags.feature ? { feature: flags.feature } : {}), ...(flags.session ? { session: flags.session } : {}) };
        const d = await decideFor(deps, engine, { account, user: flags.user, context }, atOf(flags.at, now));
        if (flags.json) return printJson(d);
        if (!d.show) return void process.stdout.write(`don't show (${d.code}): ${d.reason}\n`);
        const p = d.prompt;
        process.stdout.write([
          `show  [${p.playbook}]  id ${d.id}`, '', p.title, p.body, '',
          `${p.target.name}: +${money(p.price.monthlyDeltaCents)}/month${p.price.proratedNowCents !== null ? `, ${money(p.price.proratedNowCents)} prorated now` : ''}${p.trial ? `; ${p.trial.days}-day trial` : ''}`,
          `[${p.cta}]`, '', 'why:', ...p.reasons.map((r) => `  - ${r}`),
        ].join('\n') + '\n');
      });
    });

  addPlaybookOptions(program.command('prompt <id> <action>')
    .description('record what the user did with a prompt: shown, clicked, dismissed or converted')
    .option(atOption, 'when it happened (default: the latest event time)'))
    .action(async (id: string, action: string, flags: PlaybookFlags & { at?: string }) => {
      if (!['shown', 'clicked', 'dismissed', 'converted'].includes(action)) throw new UsageError('action must be shown, clicked, dismissed or converted');
      await withPlaybooks(flags, {}, async ({ deps, engine, now }) => {
        const t = await recordPromptOutcome(deps, engine, id, action as PromptAction, atOf(flags.at, now));
        if (flags.json) return printJson(t);
        process.stdout.write(`recorded ${action} for prompt ${id} (${t.account}${t.user ? `, ${t.user}` : ''})\n`);
      });
    });

  const trial = program.command('trial').description('start or end a trial of a higher tier');
  addPlaybookOptions(trial.command('start <account>')
    .option('--plan <id>', 'the tier to try (default: the offer\'s target)')
    .option('--days <n>', 'trial length in days')
    .option('--user <id>', 'who started it')
    .option(atOption, 'start time (default: the latest event time)'))
    .action(async (account: string, flags: PlaybookFlags & { plan?: string; days?: string; user?: string; at?: string }) => {
      const days = flags.days === undefined ? undefined : Number(flags.days);
      if (days !== undefined && (!Number.isInteger(days) || days <= 0)) throw new UsageError('--days must be a positive whole number');
      await withPlaybooks(flags, {}, async ({ deps, engine, now }) => {
        const r = await startTrial(deps, engine, { account, now: atOf(flags.at, now), ...(flags.plan ? { plan: flags.plan } : {}), ...(days ? { days } : {}), ...(flags.user ? { user: flags.user } : {}) });
        if (flags.json) return printJson(r);
        process.stdout.write(`trial of ${r.trial.plan} for ${account} until ${isoTime(r.trial.endsAt)}${r.opportunity ? ` (opportunity ${r.opportunity.id})` : ''}\n`);
      });
    });
  addPlaybookOptions(trial.command('end <account>').option(atOption, 'end time (default: the latest event time)'))
    .action(async (account: string, flags: PlaybookFlags & { at?: string }) => {
      await withPlaybooks(flags, {}, async ({ deps, engine, now }) => {
        const ended = await endTrial(deps, engine, account, atOf(flags.at, now));
        if (flags.json) return printJson(ended);
        process.stdout.write(ended.length === 0 ? `no active trial for ${account}\n` : ended.map((t) => `trial of ${t.plan}: ${t.status}\n`).join(''));
      });
    });
}
