// Does a playbook's trigger fire on an evaluation, and is the account qualified for it?
import type { Evaluation } from '../scoring/evaluate.ts';
import type { Route, Segment } from '../scoring/settings.ts';
import { measuredType } from './delivery-check.ts';
import type { Audience, Playbook } from './types.ts';

export type Match = { ok: true; reason: string } | { ok: false; reason: string };

/** `audience.plans`: is the account's current plan (the subscription's, not a trial's) one of them? */
export function planAudience(a: Audience, plan: string): Match {
  if (a.plans && !a.plans.includes(plan)) return { ok: false, reason: `plan ${plan || 'none'} not in ${a.plans.join(', ')}` };
  return { ok: true, reason: a.plans ? `on ${plan}` : 'any plan' };
}

/** The playbook's audience: the account's current plan, its segment and its route. */
export function audienceMatch(pb: Playbook, plan: string, segment: Segment, route: Route | null): Match {
  const a = pb.audience;
  const p = planAudience(a, plan);
  if (!p.ok) return p;
  if (a.segments && !a.segments.includes(segment)) return { ok: false, reason: `segment ${segment} not in ${a.segments.join(', ')}` };
  if (a.routes && (route === null || !a.routes.includes(route))) return { ok: false, reason: `route ${route ?? 'none'} not in ${a.routes.join(', ')}` };
  return { ok: true, reason: 'in the audience' };
}

export function triggerMatch(pb: Playbook, ev: Evaluation, segment: Segment, route: Route | null): Match {
  const t = pb.trigger;
  if (t.on !== 'signals') return { ok: false, reason: `starts on ${t.on}, not on signals` };
  const aud = audienceMatch(pb, ev.plan, segment, route);
  if (!aud.ok) return aud;
  if (t.minScore !== undefined && ev.score.score < t.minScore) return { ok: false, reason: `score ${ev.score.score} < ${t.minScore}` };
  if (t.stages && !t.stages.includes(ev.stage.stage)) return { ok: false, reason: `stage ${ev.stage.stage} not in ${t.stages.join(', ')}` };
  if (t.offerTypes) {
    const o = ev.offer;
    if (!o || !(t.offerTypes.includes(o.type) || t.offerTypes.includes(measuredType(o)))) return { ok: false, reason: `offer ${o ? o.type : 'none'} not in ${t.offerTypes.join(', ')}` };
  }
  if (t.signals.length === 0) return { ok: true, reason: `score ${ev.score.score}, stage ${ev.stage.stage}` };
  for (const s of ev.signals) {
    if (s.kind !== 'positive' || !t.signals.includes(s.id)) continue;
    if (t.minUtilization !== undefined && s.id === 'usage_ceiling') {
      const u = s.evidence['utilization'];
      if (typeof u !== 'number' || u < t.minUtilization) continue;
    }
    return { ok: true, reason: s.evidence.sentence };
  }
  return { ok: false, reason: `none of ${t.signals.join(', ')}${t.minUtilization !== undefined ? ` at ${Math.round(t.minUtilization * 100)}%` : ''}` };
}

/** The engine's qualification plus the playbook's own disqualifiers; the first failing reason. */
export function qualified(pb: Playbook, ev: Evaluation): Match {
  if (pb.qualification.ready && !ev.qualification.ready) return { ok: false, reason: ev.qualification.reasons[0] ?? 'not ready' };
  for (const s of ev.signals) if (pb.qualification.disqualifiers.includes(s.id)) return { ok: false, reason: s.evidence.sentence };
  return { ok: true, reason: ev.qualification.ready ? 'qualified' : 'qualified by the playbook' };
}

/** The first disqualifying signal that holds, if any (a step or a prompt waits while it does). */
export function disqualifier(ev: Evaluation, ids: readonly string[]): string | null {
  for (const s of ev.signals) if (s.kind === 'negative' && ids.includes(s.id)) return s.evidence.sentence;
  return null;
}
