// One account at `now`: signals -> stage -> score -> qualification (-> offer on request).
import { effectivePlan, hasExtras } from '../catalog/holdings.ts';
import type { Catalog, Plan } from '../catalog/types.ts';
import { buildOffer, type Offer } from '../offers/offer.ts';
import { meterViews, type MeterView } from '../signals/meter-view.ts';
import { detectAll } from '../signals/registry.ts';
import type { PlanProfiles, Signal, SignalContext } from '../signals/types.ts';
import { dayOf } from '../state/time.ts';
import type { AccountState } from '../state/types.ts';
import { activeDays } from '../state/users.ts';
import { sumWeeks } from '../state/week-counter.ts';
import { priorityOf, type Priority } from './priority.ts';
import { qualify, type Qualification } from './qualification.ts';
import { featureVector, FEATURE_NAMES } from '../model/features.ts';
import { contributions, predict, type PropensityModel } from '../model/train.ts';
import { segmentOf } from '../offers/routing.ts';
import { scoreOf, type ScoreResult } from './score.ts';
import type { EngineSettings } from './settings.ts';
import { stageOf, type StageResult } from './stage.ts';
import { checkMilestones, milestoneStage } from '../milestones/milestones.ts';

export interface EvalEnv {
  catalog: Catalog;
  settings: EngineSettings;
  profiles?: PlanProfiles | undefined;
  /** a trained propensity model; used for ranking only while it is active (it beat the rules on its holdout) */
  model?: PropensityModel | undefined;
}

/** What the model says about the account: a calibrated probability and what each feature added. */
export interface Propensity {
  probability: number;
  horizonDays: number;
  contributions: { feature: string; name: string; value: number; logOdds: number }[];
}

export interface Evaluation {
  account: string;
  now: number;
  /** made by events before any `account` event described it */
  placeholder: boolean;
  plan: string;
  /** the plan id is not in the catalog */
  unknownPlan: boolean;
  signals: Signal[];
  stage: StageResult;
  score: ScoreResult;
  qualification: Qualification;
  /** the model's view, when a model is in use; null when ranking falls back to the rules */
  propensity: Propensity | null;
  /** what to sort on: readiness tier, then score (docs/adr/0003-scoring.md) */
  priority: Priority;
  /** share of the current plan's features used, null without feature telemetry */
  adoption: number | null;
  activeUsers: number;
  meters: MeterView[];
  unmapped: Record<string, number>;
  offer: Offer | null;
}

interface Ladder { byId: Map<string, Plan>; next: Map<string, Plan | undefined> }
const ladders = new WeakMap<Catalog, Ladder>();
function ladder(c: Catalog): Ladder {
  let l = ladders.get(c);
  if (!l) {
    const sorted = [...c.plans].sort((a, b) => a.rank - b.rank);
    l = { byId: new Map(sorted.map((p) => [p.id, p])), next: new Map(sorted.map((p, i) => [p.id, sorted[i + 1]])) };
    ladders.set(c, l);
  }
  return l;
}

/** The top tier still sells: extra units on it, add-ons sold on it, or longer terms. */
function sellsOn(c: Catalog, plan: Plan | undefined): boolean {
  if (!plan) return false;
  return (plan.units?.length ?? 0) > 0 || c.addons.some((a) => a.availableOn.includes(plan.id)) || c.terms.some((t) => t.months > 1);
}

export function adoptionOf(s: AccountState, plan: Plan | undefined, today: number, windowDays: number): number | null {
  if (!plan || plan.features.length === 0) return null;
  let any = false;
  for (const _ in s.features) { any = true; break; }
  if (!any) return null;
  const from = today - windowDays + 1;
  let used = 0;
  for (const f of plan.features) if ((s.features[f]?.last ?? -1) >= from) used++;
  return used / plan.features.length;
}

/** What every scoring of one account at `today` starts from: the plans and the meters' views. */
export interface Prepared { plan: Plan | undefined; listed: Plan | undefined; nextPlan: Plan | undefined; hasTarget: boolean; today: number; meters: MeterView[] }

export function prepare(s: AccountState, env: EvalEnv, today: number): Prepared {
  const { catalog, settings } = env;
  const l = ladder(catalog);
  const listed = l.byId.get(s.plan);
  // what the account effectively has: its plan plus bought units, add-on limits, features and support
  const plan = listed && hasExtras(s) ? effectivePlan(catalog, listed, s) : listed;
  const nextPlan = plan ? l.next.get(plan.id) : catalog.plans[0];
  const meters = meterViews(catalog, s.meters, plan, today, settings.signals.usageCeiling);
  return { plan, listed, nextPlan, hasTarget: nextPlan !== undefined || sellsOn(catalog, listed), today, meters };
}

export function activeUsersOf(s: AccountState, today: number): number {
  let n = 0;
  for (const u of s.users) if (activeDays(u, today) > 0) n++;
  return n;
}

/** The stage from the signals; where the segment has milestones they, not the fixed rules, tell Initial Adoption from Active Usage. */
export function stageFor(s: AccountState, env: EvalEnv, today: number, signals: readonly Signal[], activeUsers: number, adoption: number | null): StageResult {
  const { catalog, settings } = env;
  const fixed = stageOf({ signals, activeUsers, adoption: adoption ?? 0, recentEvents: sumWeeks(s.activity, today, 14) }, settings.signals);
  const ms = settings.milestones?.[segmentOf(s.segment, s.employees, settings.offers)];
  const byMilestones = ms && (fixed.stage === 'initial_adoption' || fixed.stage === 'active_usage')
    ? milestoneStage(checkMilestones(s, ms, today, (f) => catalog.features.find((x) => x.id === f)?.name ?? f))
    : null;
  return byMilestones ?? fixed;
}

export function evaluate(s: AccountState, env: EvalEnv, now: number, opts: { offer?: boolean } = {}): Evaluation {
  const { catalog, settings } = env;
  const today = dayOf(now);
  const { plan, nextPlan, hasTarget, meters } = prepare(s, env, today);
  const ctx: SignalContext = { state: s, catalog, plan, nextPlan, now, today, settings, profiles: env.profiles, meters };
  const signals = detectAll(ctx);
  const activeUsers = activeUsersOf(s, today);
  const adoption = adoptionOf(s, plan, today, settings.scoring.adoptionWindowDays);
  const stage = stageFor(s, env, today, signals, activeUsers, adoption);
  const score = scoreOf(signals, settings.scoring);
  const qualification = qualify({ signals, score: score.score, status: s.status, adoption, hasTarget }, settings.scoring);
  let propensity: Propensity | null = null;
  const partial = { account: s.account, now, signals, score, qualification, adoption, activeUsers, meters };
  if (env.model?.active) {
    const x = featureVector(partial, s, catalog, segmentOf(s.segment, s.employees, settings.offers));
    propensity = {
      probability: Math.round(predict(env.model, x) * 10_000) / 10_000,
      horizonDays: env.model.report.horizonDays,
      contributions: contributions(env.model, x).slice(0, 12).map((c) => ({ ...c, name: FEATURE_NAMES[c.feature] ?? c.feature, value: Math.round(c.value * 1000) / 1000, logOdds: Math.round(c.logOdds * 1000) / 1000 })),
    };
  }
  const priority = priorityOf({ qualification, score: score.score, canceled: s.status === 'canceled', propensity: propensity?.probability });
  const offer = opts.offer || (opts.offer === undefined && qualification.ready)
    ? buildOffer({ state: s, catalog, plan, meters, signals, now, today, gateWindowDays: settings.signals.featureGate.windowDays, settings: settings.offers })
    : null;
  return {
    account: s.account, now, placeholder: !s.described, plan: s.plan, unknownPlan: s.plan !== '' && !plan,
    signals, stage, score, qualification, propensity, priority, adoption: adoption === null ? null : Math.round(adoption * 100) / 100, activeUsers, meters, unmapped: s.unmapped, offer,
  };
}
