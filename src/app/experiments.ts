// Experiments as the application sees them: definitions kept in the store's meta values (every
// adapter has them, `tierwise db copy` carries them, no new table to migrate), created with
// every mistake named, and reported from the opportunities the scheduler tagged.
import { armsFor, EXPANSION_HOLDOUT, type Arms } from '../core/experiments/apply.ts';
import { experimentReport, holdoutExperiment, type ExperimentReport } from '../core/experiments/report.ts';
import { FACTORS, type Experiment, type Factor, type HoldoutSetting, type VariantSpec } from '../core/experiments/types.ts';
import { placeholders, TEMPLATE_VARS } from '../core/playbooks/template.ts';
import { CHANNELS, type Channel, type Playbook } from '../core/playbooks/types.ts';
import { AppError } from './errors.ts';
import type { StateStore, PlaybookStore } from './ports.ts';

/**
 * All definitions under one meta key: `decide` reads them on every call, and one key is one indexed
 * read, where listing the meta values would also read every stored model version.
 */
const KEY = 'experiments';
const ID = /^[a-z0-9][a-z0-9_.-]*$/;
/** a holdout above half would starve the plays it is meant to measure */
export const MAX_HOLDOUT = 0.5;

export async function listExperiments(store: Pick<StateStore, 'getMeta'>): Promise<Experiment[]> {
  const v = await store.getMeta(KEY);
  return v === undefined ? [] : (JSON.parse(v) as Experiment[]);
}

export async function getExperiment(store: Pick<StateStore, 'getMeta'>, id: string): Promise<Experiment | undefined> {
  return (await listExperiments(store)).find((e) => e.id === id);
}

export interface ExperimentInput {
  id?: unknown;
  name?: unknown;
  playbook?: unknown;
  /** 1 = the playbook's first step */
  step?: unknown;
  factor?: unknown;
  holdout?: unknown;
  variants?: unknown;
}

const known = new Set<string>(TEMPLATE_VARS);
const TEMPLATE_KEYS = ['title', 'subject', 'body', 'cta'] as const;

function bad(where: string, why: string): never {
  throw new AppError('invalid_request', `${where}: ${why}`);
}

function variantOf(raw: unknown, i: number, factor: Factor, base: Playbook['steps'][number]): VariantSpec {
  const at = `variants[${i}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad(at, 'must be an object with an id');
  const r = raw as Record<string, unknown>;
  if (typeof r['id'] !== 'string' || !ID.test(r['id']) || r['id'] === 'holdout') bad(`${at}.id`, 'a lower-case identifier (a-z, 0-9, _ . -), not "holdout"');
  const weight = r['weight'] ?? 1;
  if (typeof weight !== 'number' || !(weight > 0)) bad(`${at}.weight`, `a positive number, got ${JSON.stringify(weight)}`);
  const v: VariantSpec = { id: r['id'], weight };
  if (factor === 'copy') {
    const t = r['template'];
    if (typeof t !== 'object' || t === null) bad(`${at}.template`, 'a copy variant needs a template (title, subject, body or cta)');
    const tpl: Record<string, string> = {};
    for (const [k, text] of Object.entries(t)) {
      if (!(TEMPLATE_KEYS as readonly string[]).includes(k)) bad(`${at}.template.${k}`, `unknown part (known: ${TEMPLATE_KEYS.join(', ')})`);
      if (typeof text !== 'string') bad(`${at}.template.${k}`, 'must be text');
      for (const name of placeholders(text)) if (!known.has(name)) bad(`${at}.template.${k}`, `unknown template variable "{{${name}}}" (known: ${TEMPLATE_VARS.join(', ')})`);
      tpl[k] = text;
    }
    if (Object.keys(tpl).length === 0) bad(`${at}.template`, 'a copy variant changes at least one of title, subject, body, cta');
    v.template = tpl;
  } else if (factor === 'timing') {
    const d = r['day'];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) bad(`${at}.day`, `a timing variant needs the step's day (an integer >= 0), got ${JSON.stringify(d)}`);
    v.day = d;
  } else if (factor === 'channel') {
    const c = r['channel'];
    if (typeof c !== 'string' || !(CHANNELS as readonly string[]).includes(c)) bad(`${at}.channel`, `one of ${CHANNELS.join(', ')}, got ${JSON.stringify(c)}`);
    if (c === 'email' && !base.template.subject) bad(`${at}.channel`, 'the step has no subject, which an email needs');
    if (c === 'task' && !base.owner) bad(`${at}.channel`, 'the step names no owner role, which a task needs');
    v.channel = c as Channel;
  } else {
    const p = r['discountPct'] ?? r['discount_pct'];
    if (typeof p !== 'number' || p < 0 || p > 100) bad(`${at}.discount_pct`, `a discount variant needs a percentage 0..100, got ${JSON.stringify(p)}`);
    v.discountPct = p;
  }
  return v;
}

/** Checks a definition against the configured playbooks; every error names its field and why. */
export function validateExperiment(input: ExperimentInput, playbooks: readonly Playbook[], now: number): Experiment {
  const { id, playbook, factor } = input;
  if (typeof id !== 'string' || !ID.test(id) || id === EXPANSION_HOLDOUT) bad('id', `a lower-case identifier (a-z, 0-9, _ . -), not "${EXPANSION_HOLDOUT}"`);
  const pb = playbooks.find((p) => p.id === playbook);
  if (!pb) bad('playbook', `unknown playbook ${JSON.stringify(playbook)} (configured: ${playbooks.map((p) => p.id).join(', ') || 'none'})`);
  // people count steps from 1, as the config lists them; stored as the index
  const stepNo = input.step ?? 1;
  if (typeof stepNo !== 'number' || !Number.isInteger(stepNo) || stepNo < 1 || stepNo > pb.steps.length) bad('step', `a step of ${pb.name}: 1 to ${pb.steps.length}, got ${JSON.stringify(stepNo)}`);
  const step = stepNo - 1;
  if (typeof factor !== 'string' || !(FACTORS as readonly string[]).includes(factor)) bad('factor', `one of ${FACTORS.join(', ')}, got ${JSON.stringify(factor)}`);
  const holdout = input.holdout ?? 0;
  if (typeof holdout !== 'number' || holdout < 0 || holdout > MAX_HOLDOUT) bad('holdout', `a share from 0 to ${MAX_HOLDOUT} (0.1 = 10 %), got ${JSON.stringify(holdout)}`);
  if (!Array.isArray(input.variants)) bad('variants', 'a list of variants');
  const variants = input.variants.map((v, i) => variantOf(v, i, factor as Factor, pb.steps[step]!));
  if (variants.length + (holdout > 0 ? 1 : 0) < 2) bad('variants', 'two variants, or one variant and a holdout, to compare');
  const seen = new Set<string>();
  variants.forEach((v, i) => { if (seen.has(v.id)) bad(`variants[${i}].id`, `duplicate variant id "${v.id}"`); seen.add(v.id); });
  const name = typeof input.name === 'string' && input.name.trim() !== '' ? input.name : `${pb.name}: step ${step + 1} ${factor}`;
  return { id, name, playbook: pb.id, step, factor: factor as Factor, holdout, variants, createdAt: now, status: 'running' };
}

/** Stores a new experiment; an id already used is a conflict (reports would mix two designs). */
export async function createExperiment(store: Pick<StateStore, 'getMeta' | 'setMeta'>, input: ExperimentInput, playbooks: readonly Playbook[], now: number): Promise<Experiment> {
  const e = validateExperiment(input, playbooks, now);
  const all = await listExperiments(store);
  if (all.some((x) => x.id === e.id)) throw new AppError('conflict', `experiment "${e.id}" exists: pick another id (changing a running design would break its assignment)`);
  // read-modify-write of one value: callers run it under the playbook writer's lock (the API's `exclusive`)
  await store.setMeta(KEY, JSON.stringify([...all, e]));
  return e;
}

/** What the scheduler passes to reconcile for one account. */
export function armsOf(account: string, experiments: readonly Experiment[], holdout: HoldoutSetting | undefined): ((pb: Playbook) => Arms) | undefined {
  if (experiments.length === 0 && !(holdout && holdout.share > 0)) return undefined;
  return (pb) => armsFor(pb, account, experiments, holdout);
}

/** A stored experiment's report, or the expansion holdout's (id `expansion_holdout`). */
export async function reportExperiment(store: Pick<StateStore, 'getMeta'> & Pick<PlaybookStore, 'listOpportunities'>, id: string, holdout: HoldoutSetting | undefined, now: number): Promise<ExperimentReport> {
  let e: Experiment | undefined;
  if (id === EXPANSION_HOLDOUT) {
    if (!holdout || holdout.share <= 0) throw new AppError('not_found', 'no expansion holdout is configured (experiments.holdout.share in tierwise.yaml)');
    e = holdoutExperiment(holdout);
  } else {
    e = await getExperiment(store, id);
    if (!e) throw new AppError('not_found', `no experiment "${id}"`);
  }
  return experimentReport(e, await store.listOpportunities(), now, holdout);
}
