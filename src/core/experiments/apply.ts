// What an account gets of a playbook, given the experiments on it and the expansion holdout: no
// play at all (held out), or the play with its arm's variant applied. Pure: the arm comes from a
// hash of the account, so the scheduler, `decide` and every node agree without a table.
import type { Playbook } from '../playbooks/types.ts';
import { assignArm, HOLDOUT, type ExperimentDesign } from './assign.ts';
import type { ArmTag, Experiment, HoldoutSetting, VariantSpec } from './types.ts';

/** The experiment id under which the expansion holdout's arms are recorded and reported. */
export const EXPANSION_HOLDOUT = 'expansion_holdout';
/** The expansion holdout's other arm: every account that may get plays. */
export const PLAYS_ARM = 'plays';

export const designOf = (e: Experiment): ExperimentDesign => ({ id: e.id, holdout: e.holdout, variants: e.variants.map((v) => ({ id: v.id, weight: v.weight })) });

/** The expansion holdout as a design: its salt is the hash's experiment id. */
export const holdoutDesign = (h: HoldoutSetting): ExperimentDesign => ({ id: h.salt, holdout: h.share, variants: [{ id: PLAYS_ARM, weight: 1 }] });

export interface Arms {
  /** set when the account gets no play of this playbook: the holdout that keeps it out */
  held: ArmTag | null;
  /** the arms the account is in (recorded on its opportunity at exposure) */
  tags: ArmTag[];
  /** the playbook as this account gets it: its variants applied */
  playbook: Playbook;
}

/** The playbook's step `index` with a variant's overrides. */
export function withVariant(pb: Playbook, index: number, v: VariantSpec): Playbook {
  const steps = pb.steps.map((s, i) => (i !== index ? s : {
    ...s,
    ...(v.day !== undefined ? { day: v.day } : {}),
    ...(v.channel !== undefined ? { channel: v.channel } : {}),
    ...(v.template ? { template: { ...s.template, ...v.template } } : {}),
  }));
  return { ...pb, steps };
}

export function armsFor(pb: Playbook, account: string, experiments: readonly Experiment[], holdout?: HoldoutSetting): Arms {
  const tags: ArmTag[] = [];
  if (holdout && holdout.share > 0) {
    if (assignArm(holdoutDesign(holdout), account) === HOLDOUT) {
      const held = { experiment: EXPANSION_HOLDOUT, arm: HOLDOUT };
      return { held, tags: [held], playbook: pb };
    }
    tags.push({ experiment: EXPANSION_HOLDOUT, arm: PLAYS_ARM });
  }
  let playbook = pb;
  for (const e of experiments) {
    if (e.status !== 'running' || e.playbook !== pb.id) continue;
    const arm = assignArm(designOf(e), account);
    tags.push({ experiment: e.id, arm });
    if (arm === HOLDOUT) return { held: { experiment: e.id, arm }, tags, playbook: pb };
    const v = e.variants.find((x) => x.id === arm)!;
    playbook = withVariant(playbook, e.step, v);
  }
  return { held: null, tags, playbook };
}

/** The playbook a step of this account runs with: its recorded arms' variants applied. */
export function variantPlaybook(pb: Playbook, arms: readonly ArmTag[] | undefined, experiments: readonly Experiment[]): Playbook {
  let out = pb;
  for (const a of arms ?? []) {
    const e = experiments.find((x) => x.id === a.experiment && x.playbook === pb.id);
    const v = e?.variants.find((x) => x.id === a.arm);
    if (e && v) out = withVariant(out, e.step, v);
  }
  return out;
}

/** The discount a step offers under its arms (discount experiments), if any. */
export function discountOf(step: { index: number; playbook: string }, arms: readonly ArmTag[] | undefined, experiments: readonly Experiment[]): number | undefined {
  for (const a of arms ?? []) {
    const e = experiments.find((x) => x.id === a.experiment && x.playbook === step.playbook && x.step === step.index);
    const v = e?.variants.find((x) => x.id === a.arm);
    if (v?.discountPct !== undefined) return v.discountPct;
  }
  return undefined;
}

/** Adds the arms not recorded yet; the same object when nothing is new (the caller writes only changes). */
export function mergeArms(have: readonly ArmTag[] | undefined, add: readonly ArmTag[]): ArmTag[] | null {
  const cur = have ?? [];
  const fresh = add.filter((a) => !cur.some((c) => c.experiment === a.experiment));
  return fresh.length === 0 ? null : [...cur, ...fresh];
}
