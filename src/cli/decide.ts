// `tierwise decide`, `tierwise prompt` and `tierwise trial`: the in-app decision, its outcome, trials.
import type { Command } from 'commander';
import { decideFor, recordPromptOutcome, type PromptAction } from '../app/decide.ts';
import { endTrial, startTrial } from '../app/trials.ts';
import type { DecideContext } from '../core/playbooks/decide.ts';
import { answering, money, printJson, UsageError } from './output.ts';
import { addPlaybookOptions, withPlaybooks, type PlaybookFlags } from './run.ts';
import { isoTime } from './score.ts';

// One clock (docs/adr/0011-one-clock.md): `--as-of` (or its older name `--at`) sets the moment; the
// state is the account's as it stood then. Default: now.
const atOption = '--at <time>';
const asOfOption = '--as-of <time>';
const atHelp = 'the decision time (YYYY-MM-DD = end of that day, UTC, or an ISO time); default: now';
type AtFlags = { at?: string; asOf?: string };
/** The moment's text and the flag it came from, from --as-of or --at (one of them). */
function momentFlag(f: AtFlags): { until: string | undefined; flag: string } {
  if (f.at !== undefined && f.asOf !== undefined && f.at !== f.asOf) throw new UsageError('--as-of and --at are the same option; give one');
  return f.asOf !== undefined ? { until: f.asOf, flag: '--as-of' } : { until: f.at, flag: '--at' };
}

/** An unknown account, prompt or plan is the data's answer, not a crash: the message and exit 1 (as `keys revoke`). */
/** The positional USER / PLAN and its `--user` / `--plan` alias: one of them, or both the same. */
export function oneOf(what: string, positional: string | undefined, flag: string | undefined, name: string): string | undefined {
  if (positional !== undefined && flag !== undefined && positional !== flag) {
    throw new UsageError(`${what} given twice with different values: "${positional}" and --${name} "${flag}"; give one`);
  }
  return positional ?? flag;
}

const CONTEXT_KEYS = ['session', 'feature'] as const;
const CONTEXT_EXAMPLE = '{"session":"s1","feature":"sso"}';

/** `--context`: a JSON object with optional string keys session and feature (what the product knows at the moment). */
export function parseContext(text: string | undefined): DecideContext {
  if (text === undefined) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--context is not valid JSON (${err instanceof Error ? err.message : String(err)}); expected an object such as ${CONTEXT_EXAMPLE}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new UsageError(`--context must be a JSON object such as ${CONTEXT_EXAMPLE}, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`}`);
  }
  const out: DecideContext = {};
  for (const [k, val] of Object.entries(v)) {
    if (!(CONTEXT_KEYS as readonly string[]).includes(k)) throw new UsageError(`--context: unknown key "${k}" (known: ${CONTEXT_KEYS.join(', ')})`);
    if (typeof val !== 'string' || val === '') throw new UsageError(`--context: "${k}" must be a non-empty string, got ${JSON.stringify(val)}`);
    out[k as (typeof CONTEXT_KEYS)[number]] = val;
  }
  return out;
}

type DecideFlags = PlaybookFlags & { user?: string; context?: string; feature?: string; session?: string; at?: string; asOf?: string };

export function registerDecide(program: Command): void {
  addPlaybookOptions(program.command('decide <account> [user]')
    .description('should this user see an upgrade prompt now? show / don\'t show, with the reason')
    .option('--user <id>', 'the user in front of the product (the same as the USER argument)')
    .option('--context <json>', `what the product knows at this moment, a JSON object: ${CONTEXT_EXAMPLE}`)
    .option('--feature <id>', 'the gated feature the user just opened (overrides the context\'s feature)')
    .option('--session <id>', 'the user\'s session id (overrides the context\'s session)')
    .option(asOfOption, atHelp)
    .option(atOption, 'the same as --as-of')
    .addHelpText('after', `
Examples:
  tierwise decide acme u1 --context '${CONTEXT_EXAMPLE}'
  tierwise decide acme u1 --feature sso --session s1
Exit codes: 0 answered (shown or not), 2 bad usage or config.`))
    .action(async (account: string, userArg: string | undefined, flags: DecideFlags) => {
      const user = oneOf('the user', userArg, flags.user, 'user');
      if (user === undefined || user === '') throw new UsageError('decide needs the user: tierwise decide ACCOUNT USER (or --user USER)');
      const context: DecideContext = {
        ...parseContext(flags.context),
        ...(flags.feature !== undefined ? { feature: flags.feature } : {}), ...(flags.session !== undefined ? { session: flags.session } : {}),
      };
      await withPlaybooks(flags, momentFlag(flags), async ({ deps, engine, now }) => {
        const d = await decideFor(deps, engine, { account, user, context }, now);
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
    .option(asOfOption, 'when it happened; default: now')
    .option(atOption, 'the same as --as-of'))
    .action(async (id: string, action: string, flags: PlaybookFlags & { at?: string; asOf?: string }) => {
      if (!['shown', 'clicked', 'dismissed', 'converted'].includes(action)) throw new UsageError('action must be shown, clicked, dismissed or converted');
      await answering(() => withPlaybooks(flags, momentFlag(flags), async ({ deps, engine, now }) => {
        const t = await recordPromptOutcome(deps, engine, id, action as PromptAction, now);
        if (flags.json) return printJson(t);
        process.stdout.write(`recorded ${action} for prompt ${id} (${t.account}${t.user ? `, ${t.user}` : ''})\n`);
      }));
    });

  const trial = program.command('trial').description('start or end a trial of a higher tier or of a module');
  addPlaybookOptions(trial.command('start <account> [plan]')
    .option('--plan <id>', 'the tier to try, the same as the PLAN argument (default: the offer\'s target)')
    .option('--addon <module>', 'try a module on the account\'s own plan instead of a tier (an add-on of kind module)')
    .option('--days <n>', 'trial length in days')
    .option('--user <id>', 'who started it')
    .option(asOfOption, 'start time; default: now')
    .option(atOption, 'the same as --as-of'))
    .action(async (account: string, planArg: string | undefined, flags: PlaybookFlags & { plan?: string; addon?: string; days?: string; user?: string; at?: string; asOf?: string }) => {
      const plan = oneOf('the plan', planArg, flags.plan, 'plan');
      const addon = flags.addon;
      if (addon !== undefined && plan !== undefined) throw new UsageError('a trial is of a tier (PLAN or --plan) or of a module (--addon), not both');
      const days = flags.days === undefined ? undefined : Number(flags.days);
      if (days !== undefined && (!Number.isInteger(days) || days <= 0)) throw new UsageError('--days must be a positive whole number');
      await answering(() => withPlaybooks(flags, momentFlag(flags), async ({ deps, engine, now }) => {
        // an unknown plan is a usage error (exit 2, nothing written), as the README says; an unknown account is the data's answer (exit 1)
        if (plan !== undefined && !deps.catalog.plans.some((p) => p.id === plan)) {
          throw new UsageError(`no plan "${plan}" in the catalog (known: ${deps.catalog.plans.map((p) => p.id).join(', ')})`);
        }
        // so is a module the catalog does not have; only modules can be tried, not support levels
        const modules = deps.catalog.addons.filter((a) => a.kind === 'module');
        if (addon !== undefined && !modules.some((a) => a.id === addon)) {
          throw new UsageError(`no module "${addon}" in the catalog (known: ${modules.map((a) => a.id).join(', ') || 'none'})`);
        }
        const r = await startTrial(deps, engine, { account, now, ...(plan ? { plan } : {}), ...(addon ? { addon } : {}), ...(days ? { days } : {}), ...(flags.user ? { user: flags.user } : {}) });
        if (flags.json) return printJson(r);
        const what = r.trial.addon !== undefined ? modules.find((a) => a.id === r.trial.addon)?.name ?? r.trial.addon : r.trial.plan;
        process.stdout.write(`trial of ${what} for ${account} until ${isoTime(r.trial.endsAt)}${r.opportunity ? ` (opportunity ${r.opportunity.id})` : ''}\n`);
      }));
    });
  addPlaybookOptions(trial.command('end <account>').option(asOfOption, 'end time; default: now').option(atOption, 'the same as --as-of'))
    .action(async (account: string, flags: PlaybookFlags & { at?: string; asOf?: string }) => {
      await withPlaybooks(flags, momentFlag(flags), async ({ deps, engine, now }) => {
        const ended = await endTrial(deps, engine, account, now);
        if (flags.json) return printJson(ended);
        const name = (t: (typeof ended)[number]) => (t.addon !== undefined ? deps.catalog.addons.find((a) => a.id === t.addon)?.name ?? t.addon : t.plan);
        process.stdout.write(ended.length === 0 ? `no active trial for ${account}\n` : ended.map((t) => `trial of ${name(t)}: ${t.status}\n`).join(''));
      });
    });
}
