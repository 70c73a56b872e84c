// The objections taxonomy (seed 000 "Handling Upsell Objections", seed 004 "Handling Objections"): the
// one list a lost deal's reason comes from, whoever closes it (a CSM on the dashboard, an AE through
// the API, or a CRM whose close comes back with its own loss reason mapped onto these keys).
export const LOSS_REASONS = ['price_budget', 'timing', 'no_need', 'authority', 'competitor', 'product_gap', 'other'] as const;
export type LossReason = (typeof LOSS_REASONS)[number];

export const LOSS_REASON_NAMES: Record<LossReason, string> = {
  price_budget: 'Price / budget',
  timing: 'Timing',
  no_need: 'No need',
  authority: 'Authority / approval',
  competitor: 'Competitor',
  product_gap: 'Product gap',
  other: 'Other',
};

/** The seeds' responses, used until `sales.objections` configures the team's own. */
export const DEFAULT_OBJECTION_RESPONSES: Record<LossReason, string> = {
  price_budget: "Acknowledge the concern, then reframe value against cost: \"Let's look at the ROI. You'd unlock {{gained_features}}; the upgrade returns about {{roi_multiple}} its cost of {{annual_delta}} a year.\" Offer flexible terms (quarterly billing, an annual term) rather than a discount.",
  timing: "Understand what makes the timing bad and show the cost of waiting: \"What's the downside of waiting six months?\" Offer a mid-cycle upgrade at the prorated price, or schedule the follow-up for the event they are waiting on.",
  no_need: "Connect features to their needs: \"Let's talk about your goals for this quarter.\" Run a short discovery, then tie {{gained_features}} to a goal they named; offer a trial so they can see the value first.",
  authority: "This is process, not objection: \"Who needs to approve this? What information do they need?\" Offer an executive summary with the ROI and the usage evidence, or to join the call with the approver.",
  competitor: "Find out why: \"What capabilities are you looking for that you're not getting now?\" Position {{target_name}} as solving the need without switching vendors or migrating data.",
  product_gap: "Record the missing capability for the product team; say plainly what {{target_name}} does and does not do, and offer a follow-up when the gap closes.",
  other: 'Listen, summarise what you heard, and agree on a next step or a date to revisit.',
};

export function isLossReason(x: unknown): x is LossReason {
  return typeof x === 'string' && (LOSS_REASONS as readonly string[]).includes(x);
}

/**
 * Maps a free-text loss reason (a CRM's "Closed Lost Reason" picklist value) onto the taxonomy: an
 * exact key first, then key words; anything else is `other`, with the original text kept as the note.
 */
export function lossReasonFrom(text: string): LossReason {
  const t = text.trim().toLowerCase().replace(/[\s/-]+/g, '_');
  if (isLossReason(t)) return t;
  const rules: [RegExp, LossReason][] = [
    [/price|budget|cost|expensive|afford/, 'price_budget'],
    [/timing|time|later|renewal|quarter|wait/, 'timing'],
    [/no_?need|not_needed|value|interest/, 'no_need'],
    [/authority|approv|decision|boss|procurement|legal/, 'authority'],
    [/compet|vendor|alternative|switch/, 'competitor'],
    [/feature|gap|missing|capabilit|product/, 'product_gap'],
  ];
  return rules.find(([re]) => re.test(t))?.[1] ?? 'other';
}
