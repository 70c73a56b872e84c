// What templates may say: the account's own numbers, from its evaluation and offer.
import { dollars } from '../format.ts';
import { withTrial } from '../offers/message.ts';
import type { Offer } from '../offers/offer.ts';
import type { Evaluation } from '../scoring/evaluate.ts';
import type { Brief } from './opportunity.ts';
import type { TemplateVars } from './template.ts';
import type { Playbook } from './types.ts';

/** The strongest positive signals' sentences, strongest first. */
export function evidenceOf(ev: Evaluation, n = 3): string[] {
  return ev.signals.filter((s) => s.kind === 'positive').sort((a, b) => b.strength - a.strength).slice(0, n).map((s) => s.evidence.sentence);
}

export function briefOf(ev: Evaluation): Brief | null {
  const o = ev.offer;
  if (!o) return null;
  return {
    offer: { type: o.type, name: o.name, why: o.why },
    evidence: evidenceOf(ev, 5),
    roi: { multiple: o.roi.multiple, annualValueCents: o.roi.annualValue, annualCostCents: o.roi.annualCost },
    comparison: { from: ev.plan, to: o.plan.id, gainedFeatures: o.gainedFeatures, limits: o.limits },
    price: { monthlyDeltaCents: o.price.monthly, arrDeltaCents: o.price.arr },
  };
}

export function briefText(b: Brief): string {
  const head = b.offer && b.offer.type !== 'tier' ? `${b.offer.name} on ${b.comparison.from}` : `${b.comparison.from} -> ${b.comparison.to}`;
  const lines = [`${head}: ${b.price.monthlyDeltaCents < 0 ? '-' : '+'}${dollars(Math.abs(b.price.monthlyDeltaCents))}/month, ${b.price.arrDeltaCents < 0 ? '-' : '+'}${dollars(Math.abs(b.price.arrDeltaCents))} ARR`];
  if (b.offer) lines.push(`- why this offer: ${b.offer.why}`);
  for (const e of b.evidence) lines.push(`- ${e}`);
  for (const l of b.comparison.limits) lines.push(`- ${l.meter}: uses ${l.observed} of ${l.from ?? 'unlimited'}; ${b.comparison.to} allows ${l.to ?? 'unlimited'}`);
  if (b.comparison.gainedFeatures.length > 0) lines.push(`- gains: ${b.comparison.gainedFeatures.join(', ')}`);
  if (b.roi.multiple !== null) lines.push(`- ROI about ${b.roi.multiple}x (${dollars(b.roi.annualValueCents)} a year of value for ${dollars(b.roi.annualCostCents)})`);
  return lines.join('\n');
}

/** Every priced term option of the offer, one a line: name, per year, committed. */
export function termOptionsText(o: Offer): string {
  const terms = [o, ...o.alternatives].filter((x) => x.term).sort((a, b) => a.term!.months - b.term!.months);
  return terms.map((x) => `- ${x.name}: ${dollars(x.term!.annual)} a year, ${dollars(x.term!.committed)} over ${x.term!.months} months`).join('\n');
}

export interface VarsExtra { accountName?: string; planName?: string; feature?: string; owner?: string; unusedFeatures?: string[] }

export function templateVars(ev: Evaluation, pb: Playbook | undefined, x: VarsExtra = {}): TemplateVars {
  const o = ev.offer;
  const ev3 = evidenceOf(ev);
  const v: TemplateVars = {
    account: ev.account, account_name: x.accountName ?? ev.account, plan: ev.plan, plan_name: x.planName ?? ev.plan,
    evidence: ev3[0] ?? '', reasons: ev3.join('; '), feature: x.feature ?? '', owner: x.owner ?? '',
    unused_features: (x.unusedFeatures ?? []).join(', '),
  };
  if (o) {
    v.target = o.target.id;
    v.target_name = o.target.name;
    v.offer_name = o.name;
    v.offer_type = o.type;
    v.why = o.why;
    v.term_options = termOptionsText(o);
    v.monthly_delta = dollars(o.price.monthly);
    v.annual_delta = o.price.annual === null ? '' : dollars(o.price.annual);
    v.prorated = o.proration ? dollars(o.proration.net) : '';
    v.roi_multiple = o.roi.multiple === null ? '' : `${o.roi.multiple}x`;
    // a playbook offers its own trial (0 = none); outside a playbook, the engine's
    const trialDays = pb ? pb.trialDays : o.trial.days;
    v.trial_days = String(trialDays);
    v.gained_features = o.gainedFeatureNames.join(', ');
    v.message = withTrial(o.pitch, trialDays);
    const b = briefOf(ev);
    if (b) v.brief = briefText(b);
  }
  if (pb?.renewal) {
    v.term_months = String(pb.renewal.termMonths);
    v.discount_pct = String(pb.renewal.discountPct);
  }
  // a priced term offer says what the catalog allows, whatever the playbook proposed
  if (o?.term) {
    v.term_months = String(o.term.months);
    v.discount_pct = String(o.term.discountPct);
  }
  return v;
}
