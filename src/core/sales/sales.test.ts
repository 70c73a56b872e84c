import { describe, expect, it } from 'vitest';
import { assign, closeOpportunity, handOff, openOpportunity, type Opportunity } from '../playbooks/opportunity.ts';
import { commission, compReport } from './comp.ts';
import { creditShares, modelShares } from './credit.ts';
import { DEFAULT_SALES } from './defaults.ts';
import { addQuote, allowedDiscount, decideQuote, netArr } from './discounts.ts';
import { economicsReport, motionOf, timeCost } from './economics.ts';
import { decideHandoff, introduce, slaBreaches } from './handoff.ts';
import { lossReport } from './losses.ts';
import { lossReasonFrom } from './objections.ts';
import { parsePeriod } from './period.ts';
import { missingQualification, recordQualification, salesOf } from './qualification.ts';
import { renderTalkTrack } from './talk-track.ts';
import type { SalesSettings } from './types.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 6, 1);

function opp(id: string, arr = 1_200_000): Opportunity {
  return openOpportunity({
    id, account: `acct-${id}`, fromPlan: 'basic', target: 'pro', targetName: 'Pro', route: 'csm', segment: 'mid_market',
    arrDeltaCents: arr, monthlyDeltaCents: arr / 12, score: 60, source: 'csm_observation',
    brief: {
      evidence: ['over the 10,000 API calls limit 12 times this month'], roi: { multiple: 8, annualValueCents: 9_600_000, annualCostCents: arr },
      comparison: { from: 'basic', to: 'pro', gainedFeatures: ['SSO'], limits: [] }, price: { monthlyDeltaCents: arr / 12, arrDeltaCents: arr },
    },
  }, 'csm_observation', 'seen on a call', T0);
}

const settings: SalesSettings = {
  ...DEFAULT_SALES,
  discounts: { ...DEFAULT_SALES.discounts, approvers: [{ id: 'vp', name: 'Val Pierce' }] },
  comp: { model: 'shared', split: { csm: 0.3, ae: 0.7 }, roles: { csm: { ratePct: 5, accelerators: [], pipelineBonusCents: 0 }, ae: { ratePct: 10, accelerators: [{ aboveAttainment: 1, ratePct: 15 }], pipelineBonusCents: 0 } } },
  quotas: [{ owner: 'ae1', period: '2026-Q3', expansionArrCents: 1_000_000 }],
};

describe('qualification', () => {
  it('lists the required items not met, in checklist order, and records who answered', () => {
    let o = opp('a');
    expect(missingQualification(o, settings.requiredBeforeProposal)).toEqual(['goals_met', 'roi_articulated', 'budget', 'approver', 'timeline']);
    o = recordQualification(o, { budget: { met: true, note: 'FY27 budget' }, approver: { met: false } }, 'csm1', T0 + H);
    expect(missingQualification(o, settings.requiredBeforeProposal)).toEqual(['goals_met', 'roi_articulated', 'approver', 'timeline']);
    expect(missingQualification(o, ['budget'])).toEqual([]);
    expect(salesOf(o).qualification.budget).toEqual({ met: true, note: 'FY27 budget', by: 'csm1', at: T0 + H });
    expect(o.history.at(-1)?.detail).toContain('budget confirmed: yes (FY27 budget)');
  });
});

describe('hand-off', () => {
  it('bounces back to the CSM with a reason, then is accepted; late decisions are SLA breaches', () => {
    let o = assign(opp('b'), 'csm1', 'csm', T0, 'named');
    o = introduce(o, 'ae1', 48, 'warm intro on the QBR call', T0);
    expect(decideHandoff(o, 'bounced', 'ae1', '', T0 + H)).toEqual({ ok: false, reason: 'a bounced hand-off needs a reason' });
    const bounced = decideHandoff(o, 'bounced', 'ae1', 'no approver yet', T0 + H);
    if (!bounced.ok) throw new Error(bounced.reason);
    expect(bounced.opportunity).toMatchObject({ owner: 'csm1', ownerRole: 'csm' });
    o = introduce(bounced.opportunity, 'ae1', 48, 'approver is the CFO', T0 + 2 * H);
    const accepted = decideHandoff(o, 'accepted', 'ae1', undefined, T0 + 60 * H);
    if (!accepted.ok) throw new Error(accepted.reason);
    expect(accepted.opportunity).toMatchObject({ owner: 'ae1', ownerRole: 'ae' });
    expect(salesOf(accepted.opportunity).handoffs.map((h) => h.decision)).toEqual(['bounced', 'accepted']);
    const breaches = slaBreaches([accepted.opportunity], T0 + 100 * H);
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({ to: 'ae1', decision: 'accepted', hoursLate: 10 });
  });

  it('counts a hand-off the scheduler made and nobody decided as breached once past due', () => {
    const o = handOff(assign(opp('c'), 'csm1', 'csm', T0, 'x'), 'ae2', 24, T0);
    expect(slaBreaches([o], T0 + 24 * H)).toEqual([]);
    expect(slaBreaches([o], T0 + 30 * H)[0]).toMatchObject({ decision: null, hoursLate: 6 });
  });
});

describe('discounts', () => {
  it('sends quotes within 10 % as they are; above, only a named approver decides and only within the term rules', () => {
    expect(allowedDiscount(settings.discounts.terms, 12)).toBe(10);
    expect(allowedDiscount(settings.discounts.terms, 30)).toBe(20);
    let o = addQuote(opp('d'), { discountPct: 20, termMonths: 12, by: 'ae1' }, settings.discounts, T0);
    expect(salesOf(o).quotes[0]).toMatchObject({ status: 'pending', allowedPct: 10 });
    expect(decideQuote(o, true, 'nobody', settings.discounts, undefined, T0)).toMatchObject({ ok: false });
    expect(decideQuote(o, true, 'vp', settings.discounts, undefined, T0)).toMatchObject({ ok: false, reason: expect.stringContaining('needs a 24-month term') });
    const refused = decideQuote(o, false, 'vp', settings.discounts, '20 % needs a multi-year term', T0 + H);
    if (!refused.ok) throw new Error(refused.reason);
    o = addQuote(refused.opportunity, { discountPct: 20, termMonths: 24, by: 'ae1' }, settings.discounts, T0 + 2 * H);
    const approved = decideQuote(o, true, 'Val Pierce', settings.discounts, undefined, T0 + 3 * H);
    if (!approved.ok) throw new Error(approved.reason);
    expect(salesOf(approved.opportunity).quotes.map((q) => [q.status, q.decidedBy])).toEqual([['refused', 'vp'], ['approved', 'vp']]);
    expect(netArr(approved.opportunity)).toBe(960_000);
    const small = addQuote(opp('e'), { discountPct: 5, termMonths: 1, by: 'csm1' }, settings.discounts, T0);
    expect(salesOf(small).quotes[0]?.status).toBe('within_policy');
  });
});

describe('credit and commission', () => {
  const worked = (id: string, arr?: number): Opportunity => handOff(assign(opp(id, arr), 'csm1', 'csm', T0, 'x'), 'ae1', 48, T0);
  it('splits by the model; the parts add up to the deal exactly', () => {
    const o = worked('f', 1_000_001);
    const shared = creditShares(modelShares(o, settings.comp), 1_000_001);
    expect(shared).toEqual([{ person: 'csm1', role: 'csm', pct: 30, arrCents: 300_000 }, { person: 'ae1', role: 'ae', pct: 70, arrCents: 700_001 }]);
    expect(modelShares(o, { ...settings.comp, model: 'csm_only' })).toEqual([{ person: 'csm1', role: 'csm', pct: 100 }]);
    expect(modelShares(o, { ...settings.comp, model: 'ae_only' })).toEqual([{ person: 'ae1', role: 'ae', pct: 100 }]);
    expect(modelShares(o, { ...settings.comp, model: 'overlay' })).toEqual([{ person: 'csm1', role: 'csm', pct: 0 }, { person: 'ae1', role: 'ae', pct: 100 }]);
  });

  it('pays the base rate up to quota and the accelerator above it', () => {
    const plan = settings.comp.roles.ae;
    expect(commission(800_000, 1_000_000, plan)).toBe(80_000);
    expect(commission(1_400_000, 1_000_000, plan)).toBe(100_000 + 60_000);
    expect(commission(1_400_000, null, plan)).toBe(140_000);
  });

  it('reports credited ARR, attainment and commission per owner for the period', () => {
    const won = closeOpportunity(worked('g', 2_000_000), true, Date.UTC(2026, 7, 10), 'won');
    const r = compReport([won], settings, parsePeriod('2026-Q3')!);
    expect(r.rows.map((x) => [x.owner, x.creditedArrCents, x.attainment, x.commissionCents])).toEqual([
      ['ae1', 1_400_000, 1.4, 160_000],
      ['csm1', 600_000, null, 30_000],
    ]);
    expect(compReport([won], settings, parsePeriod('2026-Q4')!).rows).toEqual([]);
  });
});

describe('economics', () => {
  it('costs time per touch and stage, commission and discount against the ARR won', () => {
    const csmWon = closeOpportunity(assign(opp('h', 1_200_000), 'csm1', 'csm', T0, 'x'), true, T0 + 24 * H, 'won');
    expect(motionOf(csmWon)).toBe('csm');
    const time = timeCost(csmWon, [{ channel: 'email' }], [{ opportunity: 'h', role: 'csm' }], DEFAULT_SALES.economics);
    expect(time).toBe(3_000); // a 30-minute CSM task at $60/h; stage trigger_identified costs nothing
    const r = economicsReport([csmWon], new Map([['h', { timeCents: 3_000, commissionCents: 57_000, discountCents: 0 }]]),
      { ...DEFAULT_SALES.economics, newBusiness: { costCents: 12_000_000, customers: 10, arrCents: 12_000_000 } });
    expect(r.total).toMatchObject({ won: 1, expansionArrCents: 1_200_000, costCents: 60_000, cacCents: 60_000, costPerArrDollar: 0.05, paybackMonths: 0.8 });
    expect(r.newBusiness).toEqual({ cacCents: 1_200_000, costPerArrDollar: 1, paybackMonths: 15 });
    expect(r.cheaperBy).toBe(20);
  });
});

describe('losses and talk tracks', () => {
  it('groups lost deals by reason, offer type, segment and owner', () => {
    const lost = { ...closeOpportunity(opp('i'), false, T0 + H, 'lost'), sales: { qualification: {}, handoffs: [], quotes: [], loss: { reason: 'timing' as const, by: 'csm1', at: T0 + H } } };
    const auto = closeOpportunity(opp('j'), false, T0 + H, 'downgraded');
    const r = lossReport([lost, auto, opp('k')]);
    expect(r.byReason.map((g) => [g.key, g.lost])).toEqual([['not_recorded', 1], ['timing', 1]].sort());
    expect(r.byOfferType).toEqual([{ key: 'tier', name: 'tier', lost: 2, arrCents: 2_400_000, share: 1 }]);
  });

  it('maps a CRM loss reason onto the taxonomy', () => {
    expect(['Price', 'Budget cut', 'Bad timing', 'Went with a competitor', 'Missing feature', 'No decision maker', 'timing', '???'].map(lossReasonFrom))
      .toEqual(['price_budget', 'price_budget', 'timing', 'competitor', 'product_gap', 'authority', 'timing', 'other']);
  });

  it('renders the talk track with the account numbers; a configured track wins for its source', () => {
    const names = { plan: (id: string) => (id === 'basic' ? 'Basic' : id) };
    const d = renderTalkTrack(opp('l'), settings, names);
    expect(d.id).toBe('default');
    expect(d.discovery[0]).toContain('How is Basic working');
    expect(d.roi).toContain('$1,000 a month more');
    expect(d.objections.map((x) => x.reason)).toEqual(['price_budget', 'timing', 'no_need', 'authority', 'competitor', 'product_gap']);
    const track = { id: 'obs', sources: ['csm_observation'], discovery: ['What did {{account}} ask?'], valueRecap: '{{evidence}}', roi: '{{roi_multiple}}', proofPoints: [], nextSteps: [], objections: { timing: 'Q4 then.' } };
    const t = renderTalkTrack(opp('m'), { ...settings, talkTracks: [track] }, names);
    expect([t.id, t.discovery[0], t.valueRecap, t.roi, t.objections.find((x) => x.reason === 'timing')?.response])
      .toEqual(['obs', 'What did acct-m ask?', 'over the 10,000 API calls limit 12 times this month', '8x', 'Q4 then.']);
  });
});
