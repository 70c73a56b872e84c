// The features a propensity model sees for one account at one moment: every signal's strength, the
// rules' score, utilization and trend of the tightest meter, gate users and hits, seats and active
// users, segment, plan, tenure and billing. Named, so `explain` can say what each one contributed.
import type { Catalog } from '../catalog/types.ts';
import type { Evaluation } from '../scoring/evaluate.ts';
import type { SignalId } from '../scoring/settings.ts';
import { DAY_MS } from '../state/time.ts';
import type { AccountState } from '../state/types.ts';

const SIGNALS: readonly SignalId[] = [
  'usage_ceiling', 'limit_exceeded', 'feature_gate', 'power_users', 'org_growth', 'premium_adoption', 'feature_request', 'renewal_window',
  'declining_usage', 'past_due', 'critical_ticket', 'low_nps', 'members_removed', 'offer_declined',
];
const SEGMENTS = ['enterprise', 'mid_market', 'smb', 'self_serve'] as const;

export const FEATURES: readonly string[] = [
  ...SIGNALS.map((s) => `signal:${s}`),
  'rules_score', 'ready',
  'max_utilization', 'max_trend', 'sustained_days', 'days_at_limit', 'over_limit_hits',
  'gate_hits', 'gate_users', 'gate_users_90d',
  'members', 'active_users', 'adoption', 'no_feature_telemetry',
  ...SEGMENTS.map((s) => `segment:${s}`),
  'plan_rank', 'tenure_days', 'annual', 'mrr', 'nps', 'no_nps',
];

/** What a person reads next to a feature's contribution. */
export const FEATURE_NAMES: Record<string, string> = {
  ...Object.fromEntries(SIGNALS.map((s) => [`signal:${s}`, `${s.replace(/_/g, ' ')} signal`])),
  rules_score: 'rules score', ready: 'qualified by the rules',
  max_utilization: 'tightest limit used', max_trend: 'usage trend', sustained_days: 'days at or above 80% of a limit',
  days_at_limit: 'days held at a limit', over_limit_hits: 'over-limit hits this period',
  gate_hits: 'paywall hits (30 days)', gate_users: 'users at a paywall (30 days)', gate_users_90d: 'users at a paywall (90 days)',
  members: 'members', active_users: 'active users (28 days)', adoption: "use of the plan's features", no_feature_telemetry: 'no feature telemetry',
  ...Object.fromEntries(SEGMENTS.map((s) => [`segment:${s}`, `segment ${s.replace('_', '-')}`])),
  plan_rank: 'plan on the ladder', tenure_days: 'customer for (days)', annual: 'annual billing', mrr: 'MRR', nps: 'latest NPS', no_nps: 'no NPS answer',
};

/** The parts of an evaluation the features read (all of it is there before the model runs). */
export type FeatureInput = Pick<Evaluation, 'now' | 'signals' | 'score' | 'qualification' | 'adoption' | 'activeUsers' | 'meters'>;

const log1p = (x: number): number => Math.log(1 + Math.max(0, x));

/** The feature vector, in FEATURES order. `segment` is the resolved segment (traits or employees). */
export function featureVector(ev: FeatureInput, s: AccountState, catalog: Catalog, segment: string): number[] {
  const strength = new Map(ev.signals.map((x) => [x.id, x.strength]));
  let util = 0;
  let trend = 0;
  let sustained = 0;
  let atLimit = 0;
  let over = 0;
  for (const m of ev.meters) {
    if (!Number.isFinite(m.limit)) continue;
    util = Math.max(util, Math.min(2, m.util));
    trend = Math.max(trend, Math.max(-1, Math.min(1, m.trend * 30)));
    sustained = Math.max(sustained, m.sustainedDays);
    atLimit = Math.max(atLimit, m.daysAtLimit);
    over = Math.max(over, m.over);
  }
  const gate = ev.signals.find((x) => x.id === 'feature_gate')?.evidence;
  const rank = catalog.plans.find((p) => p.id === s.plan)?.rank ?? 0;
  const maxRank = Math.max(1, ...catalog.plans.map((p) => p.rank));
  return [
    ...SIGNALS.map((id) => strength.get(id) ?? 0),
    ev.score.score / 100, ev.qualification.ready ? 1 : 0,
    util, trend, sustained / 30, atLimit / 30, log1p(over),
    log1p(Number(gate?.['hits'] ?? 0)), Number(gate?.['distinctUsers'] ?? 0), Number(gate?.['usersLongWindow'] ?? 0),
    log1p(s.members), log1p(ev.activeUsers), ev.adoption ?? 0, ev.adoption === null ? 1 : 0,
    ...SEGMENTS.map((x) => (segment === x ? 1 : 0)),
    rank / maxRank, log1p((ev.now - s.firstTs) / DAY_MS), s.interval === 'year' ? 1 : 0, log1p(s.mrr / 100), s.nps < 0 ? 0 : s.nps / 10, s.nps < 0 ? 1 : 0,
  ];
}
