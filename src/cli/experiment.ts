// `tierwise experiment create|list|report`: A/B variants of a playbook step and the expansion
// holdout (docs/adr/0012-experiments.md).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'yaml';
import type { AppErrorCode } from '../app/errors.ts';
import { createExperiment, listExperiments, reportExperiment, type ExperimentInput } from '../app/experiments.ts';
import { parseAsOf } from '../app/scoring-session.ts';
import { toPlaybookSettings } from '../config/playbooks-schema.ts';
import { EXPANSION_HOLDOUT } from '../core/experiments/apply.ts';
import type { Comparison, ExperimentReport } from '../core/experiments/report.ts';
import type { Experiment } from '../core/experiments/types.ts';
import { answering, EXIT, money, printJson, table, UsageError } from './output.ts';
import { storeOptions, withStore, type StoreFlags } from './with-store.ts';

/** an experiment the use case refuses was described wrongly on the command line: exit 2 */
const USAGE_CODES: readonly AppErrorCode[] = ['invalid_request'];

interface CreateFlags extends StoreFlags {
  file?: string; playbook?: string; step?: string; factor?: string; holdout?: string; name?: string; variant: string[]; at?: string;
}
interface ReportFlags extends StoreFlags { asOf?: string }

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function when(flag: string, text: string | undefined): number {
  if (text === undefined) return Date.now();
  const t = parseAsOf(text);
  if (t === undefined) throw new UsageError(`${flag} must be a date (YYYY-MM-DD) or an ISO timestamp, got "${text}"`);
  return t;
}

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number, got "${text}"`);
  return n;
}

/** The definition from --file (JSON or YAML), with flags on top. */
function inputOf(id: string | undefined, flags: CreateFlags): ExperimentInput {
  let base: Record<string, unknown> = {};
  if (flags.file) {
    let text: string;
    try { text = readFileSync(flags.file, 'utf8'); } catch (err) { throw new UsageError(`--file ${flags.file}: ${(err as Error).message}`); }
    const doc: unknown = parse(text);
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UsageError(`--file ${flags.file}: expected a mapping with id, playbook, factor, variants`);
    base = doc as Record<string, unknown>;
  }
  const variants = flags.variant.length > 0 ? flags.variant.map((v, i) => {
    try { return JSON.parse(v) as unknown; } catch { throw new UsageError(`--variant #${i + 1} is not JSON: ${v}`); }
  }) : base['variants'];
  return {
    ...base,
    ...(id !== undefined ? { id } : {}), ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.playbook !== undefined ? { playbook: flags.playbook } : {}), ...(flags.factor !== undefined ? { factor: flags.factor } : {}),
    ...(flags.step !== undefined ? { step: number('--step', flags.step) } : {}), ...(flags.holdout !== undefined ? { holdout: number('--holdout', flags.holdout) } : {}),
    variants,
  };
}

const variantText = (e: Experiment): string => e.variants.map((v) => `${v.id} x${v.weight}`).join(', ');

function comparisonRows(cs: Comparison[]): (string | number)[][] {
  const fmt = (c: Comparison, x: number): string => (c.metric === 'conversion' ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts` : `${x >= 0 ? '+' : '-'}${money(Math.round(Math.abs(x)))}`);
  return cs.map((c) => [
    c.arm === 'all_variants' ? 'all variants' : c.arm, c.against, c.metric === 'conversion' ? 'conversion' : 'expansion MRR / account', fmt(c, c.diff),
    `${fmt(c, c.ci[0])} to ${fmt(c, c.ci[1])}`, `${fmt(c, c.sequentialCi[0])} to ${fmt(c, c.sequentialCi[1])}`, c.verdict,
  ]);
}

export function renderExperimentReport(r: ExperimentReport, playbookName: string | null): string {
  const head = r.id === EXPANSION_HOLDOUT
    ? `${r.name}: ${pct(r.holdout)} of accounts kept out of every play`
    : `${r.name} (${r.id}): ${playbookName ?? r.playbook}, step ${(r.step ?? 0) + 1}, ${r.factor}; holdout ${pct(r.holdout)}; ${r.status} since ${day(r.createdAt)}`;
  const srm = r.srm.mismatch
    ? `SAMPLE-RATIO MISMATCH: chi-square ${r.srm.chiSquare.toFixed(2)} (df ${r.srm.df}), p = ${r.srm.p.toExponential(2)} < 0.001. The arms' sizes are not the configured split: the assignment or its recording is broken. Do not trust the results below.`
    : `sample ratio: chi-square ${r.srm.chiSquare.toFixed(2)} (df ${r.srm.df}), p = ${r.srm.p.toFixed(3)}: consistent with the configured split`;
  const cmpHead = ['arm', 'against', 'metric', 'difference', 'fixed 95% interval', 'always-valid 95% interval', 'verdict'];
  return [
    head,
    `${r.accounts.toLocaleString('en-US')} accounts assigned as of ${day(r.asOf)}`,
    '',
    table(['arm', 'accounts', 'expected', 'observed', 'converted', 'rate', 'expansion MRR', 'per account'], r.arms.map((a) => [
      a.arm === 'holdout' ? 'holdout (organic)' : a.arm, a.accounts, pct(a.expectedShare), pct(a.observedShare), a.conversions, pct(a.rate), money(a.expansionMrrCents), money(Math.round(a.mrrPerAccountCents)),
    ])),
    '',
    srm,
    ...(r.lift.length > 0 ? ['', 'incremental lift over the holdout (organic expansion):', table(cmpHead, comparisonRows(r.lift))] : []),
    ...(r.ab.length > 0 ? ['', 'variants against the first:', table(cmpHead, comparisonRows(r.ab))] : []),
    '',
    'verdicts use the always-valid interval: it stays valid however often this report is read before the end (docs/adr/0012-experiments.md)',
    `reading: ${r.summary}`,
  ].join('\n') + '\n';
}

export function registerExperiment(program: Command): void {
  const cmd = program.command('experiment').description('A/B variants of a playbook step (copy, timing, channel, discount) and the expansion holdout');
  storeOptions(cmd.command('create [id]')
    .description('start an experiment on one playbook step: accounts are assigned to a variant or the holdout by hash of their id'))
    .option('--file <file>', 'the definition as YAML or JSON (id, name, playbook, step (1 = first), factor, holdout, variants)')
    .option('--playbook <id>', 'the playbook whose step varies')
    .option('--step <n>', 'the step that varies, 1 = the first (default 1)')
    .option('--factor <f>', 'copy, timing, channel or discount')
    .option('--holdout <share>', 'share of accounts that get no play of this playbook, 0 to 0.5 (default 0)')
    .option('--name <text>', 'a name people read')
    .option('--variant <json>', 'a variant, repeatable: {"id":"a","weight":1,"template":{"body":"..."}} (copy), "day" (timing), "channel", "discount_pct"', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--at <time>', 'when it starts (default: now)')
    .action(async (id: string | undefined, flags: CreateFlags) => {
      const input = inputOf(id, flags);
      const at = when('--at', flags.at);
      await answering(() => withStore(flags, async (store, cfg) => {
        const e = await createExperiment(store, input, toPlaybookSettings(cfg).playbooks, at);
        if (flags.json) return printJson(e);
        process.stdout.write(`created ${e.name} (${e.id}): step ${e.step + 1} of ${e.playbook}, ${e.factor}; holdout ${pct(e.holdout)}; variants ${variantText(e)}\n`);
      }), USAGE_CODES);
    });
  storeOptions(cmd.command('list').description('the experiments, with their design'))
    .action(async (flags: StoreFlags) => {
      await withStore(flags, async (store, cfg) => {
        const list = await listExperiments(store);
        const holdout = toPlaybookSettings(cfg).holdout;
        if (flags.json) return printJson({ holdout: holdout ?? null, experiments: list });
        const names = new Map(toPlaybookSettings(cfg).playbooks.map((p) => [p.id, p.name]));
        process.stdout.write(`${holdout ? `expansion holdout: ${pct(holdout.share)} of accounts kept out of every play (report: tierwise experiment report ${EXPANSION_HOLDOUT})` : 'expansion holdout: off (experiments.holdout.share in tierwise.yaml)'}\n`);
        if (list.length === 0) return void process.stdout.write('no experiments yet: tierwise experiment create --help\n');
        process.stdout.write(`${table(['id', 'name', 'playbook', 'step', 'factor', 'holdout', 'variants', 'since', 'status'], list.map((e) => [
          e.id, e.name, names.get(e.playbook) ?? e.playbook, e.step + 1, e.factor, pct(e.holdout), variantText(e), day(e.createdAt), e.status,
        ]))}\n`);
      });
    });
  storeOptions(cmd.command('report <id>')
    .description(`per arm: accounts, conversion, expansion MRR; the sample-ratio check; lift over the holdout and variant differences with 95% intervals (id ${EXPANSION_HOLDOUT}: the expansion holdout)`))
    .option('--as-of <date>', 'the date the report says it is read on (default: now)')
    .action(async (id: string, flags: ReportFlags) => {
      const asOf = when('--as-of', flags.asOf);
      await answering(() => withStore(flags, async (store, cfg) => {
        const settings = toPlaybookSettings(cfg);
        const r = await reportExperiment(store, id, settings.holdout, asOf);
        if (flags.json) printJson(r);
        else process.stdout.write(renderExperimentReport(r, settings.playbooks.find((p) => p.id === r.playbook)?.name ?? null));
        // a broken split is a problem with the data: exit 1, as other data commands do
        if (r.srm.mismatch) process.exitCode = EXIT.problems;
      }), USAGE_CODES);
    });
}
