// Ready / not ready, with every check and its reason (seed 000's playbook, seed 004's qualification).
import type { Signal } from '../signals/types.ts';
import type { ScoringSettings } from './settings.ts';

export interface Check { id: string; ok: boolean; reason: string }
export interface Qualification { ready: boolean; checks: Check[]; reasons: string[] }

export interface QualificationInput {
  signals: readonly Signal[];
  score: number;
  status: string;
  /** share of the current plan's features used; null when the product sends no feature telemetry */
  adoption: number | null;
  hasTarget: boolean;
}

export function qualify(q: QualificationInput, cfg: ScoringSettings): Qualification {
  const has = (id: string): Signal | undefined => q.signals.find((s) => s.id === id);
  const checks: Check[] = [];
  const add = (id: string, ok: boolean, yes: string, no: string): void => { checks.push({ id, ok, reason: ok ? yes : no }); };
  const pd = has('past_due');
  add('good_standing', !pd && q.status !== 'canceled', 'in good standing', pd ? pd.evidence.sentence : 'the subscription is canceled');
  const crit = has('critical_ticket');
  add('no_critical_ticket', !crit, 'no open critical ticket', crit?.evidence.sentence ?? '');
  const ceiling = has('usage_ceiling');
  // a renewal date and ticket load are reasons to talk, not a sign the account has outgrown its plan
  const positives = q.signals.filter((s) => s.kind === 'positive' && s.id !== 'renewal_window' && s.id !== 'ticket_load');
  const onlySpike = ceiling?.evidence['spike'] === true && positives.every((s) => s.id === 'usage_ceiling' || s.id === 'limit_exceeded');
  const decline = has('declining_usage');
  add('trend_up', positives.length > 0 && !onlySpike && !decline,
    'a sustained need, not a one-day spike',
    decline ? `usage is not trending up: ${decline.evidence.sentence}` : onlySpike ? 'only a one-day spike so far' : 'no sign of need yet');
  const adoptionOk = q.adoption === null || q.adoption >= cfg.minAdoption;
  add('adoption', adoptionOk,
    q.adoption === null ? 'no feature telemetry to judge adoption' : `uses ${Math.round(q.adoption * 100)}% of the current plan's features`,
    `uses only ${Math.round((q.adoption ?? 0) * 100)}% of the current plan's features (needs ${Math.round(cfg.minAdoption * 100)}%): fix adoption first`);
  const cooldown = has('offer_declined');
  add('no_cooldown', !cooldown, 'not in an offer cooldown', cooldown?.evidence.sentence ?? '');
  add('has_target', q.hasTarget, 'a higher tier or an expansion on this plan exists', 'already on the top tier, nothing sold on it');
  add('score', q.score >= cfg.readyScore, `score ${q.score} >= ${cfg.readyScore}`, `score ${q.score} < ${cfg.readyScore}`);
  for (const id of cfg.disqualifiers) {
    const s = has(id);
    if (s && !checks.some((c) => !c.ok && c.reason === s.evidence.sentence)) checks.push({ id: `disqualified_${id}`, ok: false, reason: s.evidence.sentence });
  }
  const failed = checks.filter((c) => !c.ok);
  return { ready: failed.length === 0, checks, reasons: failed.map((c) => c.reason) };
}
