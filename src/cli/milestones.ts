// `tierwise milestones`: time to each value-realization milestone and to the first expansion, by
// segment and sign-up cohort, and the accounts stalled before a milestone (an adoption play is their
// next step, not an upsell).
import type { Command } from 'commander';
import { asOfExpectation, parseAsOf } from '../app/clock.ts';
import { milestonesReport } from '../app/milestones.ts';
import { toCatalog } from '../config/catalog-from-config.ts';
import { toEngineSettings } from '../config/engine-schema.ts';
import { toMilestoneSettings } from '../config/milestones-schema.ts';
import type { MilestoneReport, TimeTo } from '../core/milestones/report.ts';
import { printJson, table, UsageError } from './output.ts';
import { storeOptions, withStore, type StoreFlags } from './with-store.ts';

const SEGMENTS = ['enterprise', 'mid_market', 'smb', 'self_serve'];
const cell = (t: TimeTo): string => (t.medianDays === null ? `- (0/${t.of})` : `${t.medianDays} d (${t.reached}/${t.of})`);

export function renderMilestones(r: MilestoneReport): string {
  const out: string[] = [];
  for (const seg of [...new Set(r.groups.map((g) => g.segment))]) {
    const gs = r.groups.filter((g) => g.segment === seg);
    const heads = ['cohort', 'accounts', ...gs[0]!.milestones.map((m) => m.name), 'First expansion'];
    out.push(`${seg}: median days from sign-up (reached/accounts)`);
    out.push(table(heads, gs.map((g) => [g.cohort ?? 'all', g.accounts, ...g.milestones.map(cell), cell(g.firstExpansion)])).trimEnd(), '');
  }
  if (r.stalled.length === 0) out.push('no account stalled before a milestone');
  else {
    out.push(`${r.stalled.length} account${r.stalled.length === 1 ? '' : 's'} stalled before a milestone:`);
    out.push(table(['account', 'segment', 'cohort', 'not yet', 'days since sign-up', 'next step'], r.stalled.map((s) => [s.account, s.segment, s.cohort, s.milestone, s.daysSinceSignUp, s.nextStep])).trimEnd());
  }
  return `${out.join('\n')}\n`;
}

export function registerMilestones(program: Command): void {
  storeOptions(program.command('milestones')
    .description('time to each value-realization milestone and to first expansion, by segment and sign-up cohort; accounts stalled before a milestone')
    .option('--segment <segment>', `one segment: ${SEGMENTS.join(', ')}`)
    .option('--as-of <time>', 'the moment (YYYY-MM-DD = end of that day, UTC, or an ISO time); default: now'))
    .addHelpText('after', `
Milestones come from the config's \`milestones:\` section, per segment. Time is counted from an
account's first event. A stalled account is one, not canceled, short of a milestone of its segment:
its next step is an adoption play, not an upsell. Exit codes: 0 ok, 2 bad usage or config.`)
    .action(async (flags: StoreFlags & { segment?: string; asOf?: string }) => {
      if (flags.segment !== undefined && !SEGMENTS.includes(flags.segment)) throw new UsageError(`--segment must be one of ${SEGMENTS.join(', ')}, got "${flags.segment}"`);
      const now = flags.asOf === undefined ? Date.now() : parseAsOf(flags.asOf);
      if (now === undefined) throw new UsageError(asOfExpectation('--as-of', flags.asOf!));
      await withStore(flags, async (store, cfg) => {
        const ms = toMilestoneSettings(cfg);
        if (Object.keys(ms).length === 0) throw new UsageError('no milestones in the config: add a `milestones:` section (docs/playbooks.md, "Value-realization milestones")');
        const r = await milestonesReport(store, toCatalog(cfg), ms, toEngineSettings(cfg).offers, now, flags.segment);
        if (flags.json) printJson({ asOf: new Date(now).toISOString(), ...r }); else process.stdout.write(renderMilestones(r));
      });
    });
}
