// What the sales sub-commands of `tierwise opportunity` share: --at (the one clock: the wall clock by
// default, or the moment asked for), the playbook session, a refusal printed as a usage error (exit 2,
// nothing written), and the one-line result.
import type { Command } from 'commander';
import { AppError } from '../app/errors.ts';
import { OPP_STAGE_NAMES, type Opportunity } from '../core/playbooks/opportunity.ts';
import { money, printJson, UsageError } from './output.ts';
import { addPlaybookOptions, withPlaybooks, type PlaybookFlags, type PlaybookSession } from './run.ts';
import { isoTime } from './score.ts';

export interface SalesFlags extends PlaybookFlags { at?: string }

export function salesOptions(cmd: Command): Command {
  return addPlaybookOptions(cmd.option('--at <time>', 'act as of this time (ISO, or YYYY-MM-DD = end of that day, UTC); default: now'));
}

/** Runs a sales action in a playbook session; the app's refusals (unknown id, closed deal, rule broken) become usage errors. */
export async function salesAction<T>(flags: SalesFlags, fn: (s: PlaybookSession) => Promise<T>): Promise<T> {
  return withPlaybooks(flags, { until: flags.at, flag: '--at' }, async (s) => {
    try {
      return await fn(s);
    } catch (err) {
      if (err instanceof AppError) throw new UsageError(err.message);
      throw err;
    }
  });
}

/** Prints the opportunity (JSON) or one line saying what it is now. */
export function printOpportunity(o: Opportunity, flags: { json?: boolean | undefined }, what: string, now: number): void {
  if (flags.json) return printJson(o);
  process.stdout.write(`${what}\n${o.id}  ${o.account}: ${o.fromPlan} -> ${o.targetName}  ${OPP_STAGE_NAMES[o.stage]}  +${money(o.arrDeltaCents)} ARR  owner ${o.owner ? `${o.ownerRole} ${o.owner}` : '-'}  (as of ${isoTime(now)})\n`);
}
