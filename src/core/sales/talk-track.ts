// The conversation framework (seed 004: current state, future state, the gap, the solution, ROI
// together, objections, next steps; seed 000: proof points, objection responses, talk tracks). The
// track is chosen per playbook, source and offer type; the brief renders it with the account's numbers.
import { dollars } from '../format.ts';
import type { Opportunity } from '../playbooks/opportunity.ts';
import { render, type Escape, type TemplateVars } from '../playbooks/template.ts';
import { briefText } from '../playbooks/vars.ts';
import { LOSS_REASONS, LOSS_REASON_NAMES, type LossReason } from './objections.ts';
import type { SalesSettings, TalkTrack } from './types.ts';

/** The offer kind of an opportunity; a tier until the opportunity says otherwise (offer types: T11). */
export const offerTypeOf = (o: Opportunity): string => {
  const t = (o as Opportunity & { offerType?: unknown }).offerType;
  return typeof t === 'string' && t ? t : 'tier';
};

/** What raised it: the manual source, or the first playbook. */
export const sourceOf = (o: Opportunity): string => o.source ?? o.triggers[0] ?? 'unknown';

/** Seed 004's framework, used when no configured track matches. */
export const DEFAULT_TALK_TRACK: TalkTrack = {
  id: 'default',
  discovery: [
    'How is {{plan_name}} working for your team? What is working well, and where are you running into limits?',
    'Where is the team headed in the next 6-12 months? What would make the biggest difference to your results?',
    'Who else is involved in a decision like this, and how does budget approval work for you?',
  ],
  valueRecap: 'What we see in your account: {{reasons}}. {{target_name}} adds {{gained_features}}.',
  roi: 'The upgrade is {{monthly_delta}} a month more; the value it brings is about {{roi_multiple}} its cost.',
  proofPoints: ['Teams that moved up at this point typically stopped hitting their limits and used the new features within 30 days.'],
  nextSteps: ['Send a formal proposal', 'Run a trial of {{target_name}}', 'Set up a call with the approver'],
  objections: {},
};

export function pickTalkTrack(o: Opportunity, tracks: readonly TalkTrack[]): TalkTrack {
  const source = sourceOf(o);
  const type = offerTypeOf(o);
  const fits = (t: TalkTrack): boolean => (!t.playbooks || t.playbooks.some((p) => o.triggers.includes(p)))
    && (!t.sources || t.sources.includes(source)) && (!t.offerTypes || t.offerTypes.includes(type));
  return tracks.find(fits) ?? DEFAULT_TALK_TRACK;
}

export interface NameLookup { plan: (id: string) => string; feature?: (id: string) => string; account?: string }

/** Template variables from what the opportunity carries (its brief), so a track renders the same anywhere. */
export function opportunityVars(o: Opportunity, names: NameLookup): TemplateVars {
  const b = o.brief;
  return {
    account: o.account, account_name: names.account ?? o.account, plan: o.fromPlan, plan_name: names.plan(o.fromPlan),
    target: o.target, target_name: o.targetName, evidence: b.evidence[0] ?? '', reasons: b.evidence.slice(0, 3).join('; '),
    monthly_delta: dollars(b.price.monthlyDeltaCents), annual_delta: dollars(b.price.arrDeltaCents),
    roi_multiple: b.roi.multiple === null ? '' : `${b.roi.multiple}x`, gained_features: b.comparison.gainedFeatures.map((f) => names.feature?.(f) ?? f).join(', '),
    owner: o.owner ?? '', brief: briefText(b),
  };
}

export interface RenderedTrack {
  id: string;
  discovery: string[];
  valueRecap: string;
  roi: string;
  proofPoints: string[];
  nextSteps: string[];
  objections: { reason: LossReason; name: string; response: string }[];
}

export function renderTalkTrack(o: Opportunity, s: Pick<SalesSettings, 'talkTracks' | 'objections'>, names: NameLookup, escape: Escape = (x) => x): RenderedTrack {
  const t = pickTalkTrack(o, s.talkTracks);
  const v = opportunityVars(o, names);
  const r = (text: string): string => render(text, v, escape);
  return {
    id: t.id, discovery: t.discovery.map(r), valueRecap: r(t.valueRecap), roi: r(t.roi), proofPoints: t.proofPoints.map(r), nextSteps: t.nextSteps.map(r),
    objections: LOSS_REASONS.filter((k) => k !== 'other' || t.objections.other !== undefined)
      .map((k) => ({ reason: k, name: LOSS_REASON_NAMES[k], response: r(t.objections[k] ?? s.objections[k]) })),
  };
}

/** The track as plain text lines (CLI, tasks). */
export function talkTrackText(t: RenderedTrack): string[] {
  return [
    `talk track (${t.id}):`,
    '  discovery:', ...t.discovery.map((q) => `    - ${q}`),
    `  value recap: ${t.valueRecap}`,
    `  ROI: ${t.roi}`,
    '  proof points:', ...t.proofPoints.map((p) => `    - ${p}`),
    '  objections:', ...t.objections.map((x) => `    - ${x.name}: ${x.response}`),
    '  next steps:', ...t.nextSteps.map((n) => `    - ${n}`),
  ];
}
