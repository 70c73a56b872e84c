// The run-time question the product asks: show this user an upgrade prompt now, or not?
// Seed 002's etiquette in order: nothing while a disqualifier holds, only at a moment of
// demonstrated need, never past a cap or inside a cooldown; when shown, the account's own numbers.
import type { Evaluation } from '../scoring/evaluate.ts';
import { checkPrompt, type CapCode, type Touch } from './touches.ts';
import { escapeText, render } from './template.ts';
import { audienceMatch, disqualifier, qualified, triggerMatch } from './trigger.ts';
import type { Etiquette, Playbook } from './types.ts';
import { templateVars, type VarsExtra } from './vars.ts';

export interface DecideContext {
  session?: string;
  /** the gated feature the user just opened, if any */
  feature?: string;
}

export type NoShowCode = CapCode | 'disqualified' | 'no_moment' | 'no_offer' | 'unknown_account' | 'on_trial';

export interface Prompt {
  playbook: string;
  title: string;
  body: string;
  cta: string;
  target: { id: string; name: string };
  comparison: { gainedFeatures: string[]; limits: { meter: string; from: number | null; to: number | null; observed: number }[] };
  price: { monthlyDeltaCents: number; annualDeltaCents: number | null; proratedNowCents: number | null };
  trial: { days: number } | null;
  reasons: string[];
}

export type Decision =
  | { show: true; prompt: Prompt }
  | { show: false; code: NoShowCode; reason: string };

export interface DecideInput {
  evaluation: Evaluation;
  playbooks: readonly Playbook[];
  /** the engine's disqualifying signals (scoring.disqualifiers) */
  disqualifiers: readonly string[];
  etiquette: Etiquette;
  /** the account's touches of the last weeks */
  touches: readonly Touch[];
  user: string;
  context: DecideContext;
  now: number;
  /** an active trial of the target tier: no prompt for what they already try */
  onTrial: boolean;
  extra?: VarsExtra;
}

/** A playbook with an in-app step whose trigger fires at this moment. A gated feature is a moment for feature_gate playbooks. */
function momentOf(i: DecideInput): { pb: Playbook; reason: string } | null {
  const ev = i.evaluation;
  const offer = ev.offer;
  if (!offer) return null;
  for (const pb of i.playbooks) {
    if (!pb.steps.some((s) => s.channel === 'in_app')) continue;
    if (i.context.feature && pb.trigger.signals.includes('feature_gate') && offer.gainedFeatures.includes(i.context.feature)
      && audienceMatch(pb, ev.plan, offer.routing.segment, offer.routing.route).ok) {
      return { pb, reason: `the user opened ${i.extra?.feature ?? i.context.feature}, which ${offer.target.name} includes` };
    }
    const m = triggerMatch(pb, ev, offer.routing.segment, offer.routing.route);
    if (m.ok) return { pb, reason: m.reason };
  }
  return null;
}

export function decide(i: DecideInput): Decision {
  const ev = i.evaluation;
  const held = disqualifier(ev, i.disqualifiers.filter((d) => d !== 'offer_declined'));
  if (held) return { show: false, code: 'disqualified', reason: held };
  const declined = ev.signals.find((s) => s.id === 'offer_declined');
  if (declined) return { show: false, code: 'cooldown', reason: declined.evidence.sentence };
  const standing = ev.qualification.checks.find((c) => c.id === 'good_standing' && !c.ok);
  if (standing) return { show: false, code: 'disqualified', reason: standing.reason };
  if (!ev.offer) return { show: false, code: 'no_offer', reason: ev.unknownPlan ? `unknown plan ${ev.plan}` : 'no higher tier fits this account' };
  if (i.onTrial) return { show: false, code: 'on_trial', reason: `already trying ${ev.offer.target.name}` };
  const moment = momentOf(i);
  if (!moment) return { show: false, code: 'no_moment', reason: 'not at a moment of demonstrated need (no usage ceiling or gated feature right now)' };
  const q = qualified(moment.pb, ev);
  if (!q.ok && !i.context.feature) return { show: false, code: 'disqualified', reason: q.reason };
  const cap = checkPrompt(i.touches, i.user, i.context.session, i.now, i.etiquette);
  if (!cap.ok) return { show: false, code: cap.code, reason: cap.reason };

  const o = ev.offer;
  const step = moment.pb.steps.find((s) => s.channel === 'in_app');
  // the evidence a prompt leads with is the moment itself, not merely the strongest signal
  // extra.feature is the feature's name (what the customer reads); the context's id stands in without a catalog
  const vars = { ...templateVars(ev, moment.pb, { ...(i.context.feature ? { feature: i.context.feature } : {}), ...i.extra }), evidence: moment.reason };
  const t = step?.template ?? { body: '{{message}}' };
  const trialDays = moment.pb.trialDays;
  // Rendered as plain text: the product escapes for its own medium (HTML, native UI); control characters are stripped.
  return {
    show: true,
    prompt: {
      playbook: moment.pb.id,
      title: render(t.title ?? `Upgrade to ${o.target.name}`, vars, escapeText),
      body: render(t.body, vars, escapeText),
      cta: render(t.cta ?? (trialDays > 0 ? `Start ${trialDays}-day trial` : `See ${o.target.name}`), vars, escapeText),
      target: o.target,
      comparison: { gainedFeatures: o.gainedFeatures, limits: o.limits },
      price: { monthlyDeltaCents: o.price.monthly, annualDeltaCents: o.price.annual, proratedNowCents: o.proration?.net ?? null },
      trial: trialDays > 0 ? { days: trialDays } : null,
      reasons: [moment.reason, ...ev.signals.filter((s) => s.kind === 'positive').map((s) => s.evidence.sentence)].filter((r, k, a) => a.indexOf(r) === k),
    },
  };
}
