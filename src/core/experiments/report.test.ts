// Experiments end to end inside the core: the arms an account gets (held out, or its variant's
// step), what reconcile records at exposure, and the report built from tagged opportunities:
// per-arm rates, the lift over the holdout with its intervals, and the sample-ratio check.
import { describe, expect, it } from 'vitest';
import { buildEvents, exampleCatalog, PRESETS, stateFrom } from '../../../test/support/fixture-world.ts';
import { openOpportunity, type Opportunity } from '../playbooks/opportunity.ts';
import { reconcile } from '../playbooks/reconcile.ts';
import type { Playbook } from '../playbooks/types.ts';
import { evaluate } from '../scoring/evaluate.ts';
import { DEFAULT_SETTINGS } from '../scoring/settings.ts';
import { HOLDOUT } from './assign.ts';
import { armsFor, discountOf, EXPANSION_HOLDOUT, PLAYS_ARM, variantPlaybook } from './apply.ts';
import { planSteps } from '../playbooks/steps.ts';
import { ALL_VARIANTS, experimentReport, holdoutExperiment } from './report.ts';
import type { Experiment } from './types.ts';

const NOW = '2026-03-15T12:00:00Z';
const now = Date.parse(NOW);
const catalog = exampleCatalog();

const pb: Playbook = {
  id: 'usage', name: 'Usage', trigger: { on: 'signals', signals: ['usage_ceiling'] }, qualification: { ready: false, disqualifiers: [] }, audience: {},
  steps: [{ day: 1, channel: 'in_app', when: 'always', template: { title: 'T', body: 'original' } }, { day: 3, channel: 'email', when: 'always', template: { subject: 'S', body: 'mail' } }],
  success: { targetConversion: 0.1 }, cooldownDays: 30, maxAttempts: 3, trialDays: 0,
};
const exp: Experiment = {
  id: 'copy-test', name: 'Copy test', playbook: 'usage', step: 0, factor: 'copy', holdout: 0.1, createdAt: 0, status: 'running',
  variants: [{ id: 'plain', weight: 1, template: { body: 'plain copy' } }, { id: 'urgent', weight: 1, template: { body: 'urgent copy' } }],
};
const accounts = Array.from({ length: 4000 }, (_, i) => `acct_${i}`);

describe('arms', () => {
  it('holds out about the configured share and gives the others their variant of the step only', () => {
    const arms = accounts.map((a) => armsFor(pb, a, [exp]));
    const held = arms.filter((a) => a.held).length / accounts.length;
    expect(held).toBeGreaterThan(0.08);
    expect(held).toBeLessThan(0.12);
    const urgent = arms.find((a) => a.tags.some((t) => t.arm === 'urgent'))!;
    expect(urgent.held).toBeNull();
    expect(urgent.playbook.steps[0]!.template).toEqual({ title: 'T', body: 'urgent copy' });
    expect(urgent.playbook.steps[1]).toBe(pb.steps[1]);
    expect(variantPlaybook(pb, urgent.tags, [exp]).steps[0]!.template.body).toBe('urgent copy');
  });

  it('the expansion holdout keeps an account out of every playbook, before any experiment', () => {
    const h = { share: 0.2, salt: 's1' };
    const out = accounts.filter((a) => armsFor(pb, a, [exp], h).held?.experiment === EXPANSION_HOLDOUT);
    expect(out.length / accounts.length).toBeCloseTo(0.2, 1);
    const other: Playbook = { ...pb, id: 'other' };
    for (const a of out.slice(0, 50)) expect(armsFor(other, a, [], h).held).toEqual({ experiment: EXPANSION_HOLDOUT, arm: HOLDOUT });
    const inPlay = accounts.find((a) => !out.includes(a))!;
    expect(armsFor(pb, inPlay, [], h).tags).toEqual([{ experiment: EXPANSION_HOLDOUT, arm: PLAYS_ARM }]);
  });
});

describe('timing, channel and discount variants', () => {
  const base = { ...exp, holdout: 0, step: 1 };
  const timing: Experiment = { ...base, id: 'timing', factor: 'timing', variants: [{ id: 'day3', weight: 1 }, { id: 'day6', weight: 1, day: 6 }] };
  const channel: Experiment = { ...base, id: 'channel', factor: 'channel', variants: [{ id: 'mail', weight: 1 }, { id: 'hook', weight: 1, channel: 'webhook' }] };
  const discount: Experiment = { ...base, id: 'discount', factor: 'discount', variants: [{ id: 'none', weight: 1 }, { id: 'ten', weight: 1, discountPct: 10 }] };
  const find = (e: Experiment, arm: string) => accounts.find((a) => armsFor(pb, a, [e]).tags[0]?.arm === arm)!;
  const o = { id: 'o1', account: 'x' } as Parameters<typeof planSteps>[0];

  it('moves the step to the variant\'s day, and only that step', () => {
    const late = planSteps(o, armsFor(pb, find(timing, 'day6'), [timing]).playbook, 0);
    const early = planSteps(o, armsFor(pb, find(timing, 'day3'), [timing]).playbook, 0);
    expect(late.map((s) => s.dueAt / 86_400_000)).toEqual([0, 5]);
    expect(early.map((s) => s.dueAt / 86_400_000)).toEqual([0, 2]);
  });

  it('sends the step on the variant\'s channel', () => {
    expect(planSteps(o, armsFor(pb, find(channel, 'hook'), [channel]).playbook, 0).map((s) => s.channel)).toEqual(['in_app', 'webhook']);
    expect(planSteps(o, armsFor(pb, find(channel, 'mail'), [channel]).playbook, 0).map((s) => s.channel)).toEqual(['in_app', 'email']);
  });

  it('carries the variant\'s discount on that step only', () => {
    const tags = armsFor(pb, find(discount, 'ten'), [discount]).tags;
    expect(discountOf({ index: 1, playbook: 'usage' }, tags, [discount])).toBe(10);
    expect(discountOf({ index: 0, playbook: 'usage' }, tags, [discount])).toBeUndefined();
    expect(discountOf({ index: 1, playbook: 'usage' }, armsFor(pb, find(discount, 'none'), [discount]).tags, [discount])).toBeUndefined();
  });
});

describe('reconcile with arms', () => {
  const climbing = [{ ramp: { meter: 'api_calls', fromDay: -14, toDay: 0, start: 620, end: 620 } }];
  const ev = evaluate(stateFrom(buildEvents([...PRESETS['basic']!, ...climbing], NOW), catalog), { catalog, settings: DEFAULT_SETTINGS }, now, { offer: true });
  const run = (account: string) => reconcile({
    view: { evaluation: { ...ev, account }, status: 'active', rankOf: (p) => catalog.plans.find((x) => x.id === p)?.rank, planChangeTs: 0 },
    opportunities: [], playbooks: [pb], team: { members: [], handoffSlaHours: 48, highValueArrCents: 0 }, load: new Map(), now,
    arms: (p) => armsFor(p, account, [exp]),
  });
  const heldAccount = accounts.find((a) => armsFor(pb, a, [exp]).held)!;
  const playAccount = accounts.find((a) => armsFor(pb, a, [exp]).tags[0]?.arm === 'urgent')!;

  it('records a held-out account at exposure and starts no play', () => {
    const r = run(heldAccount);
    expect(r.steps).toEqual([]);
    expect(r.changed[0]!.arms).toEqual([{ experiment: 'copy-test', arm: HOLDOUT }]);
    expect(r.changed[0]!.plays).toEqual([]);
    expect(r.changed[0]!.history.at(-1)!.detail).toBe('held out of usage (copy-test)');
  });

  it('tags a variant account and its steps with the arm', () => {
    const r = run(playAccount);
    expect(r.changed[0]!.arms).toEqual([{ experiment: 'copy-test', arm: 'urgent' }]);
    expect(r.steps.map((s) => s.arms)).toEqual([[{ experiment: 'copy-test', arm: 'urgent' }], [{ experiment: 'copy-test', arm: 'urgent' }]]);
  });
});

/** n accounts in `arm`, k of them won with `mrr` cents each. */
function opps(arm: string, n: number, k: number, mrr = 10_000, experiment = 'copy-test'): Opportunity[] {
  return Array.from({ length: n }, (_, i) => {
    const o = openOpportunity({
      id: `opp:${arm}:${i}`, account: `${arm}-${i}`, fromPlan: 'basic', target: 'pro', targetName: 'Pro', route: 'product_led', segment: 'smb',
      arrDeltaCents: mrr * 12, monthlyDeltaCents: mrr, score: 50,
      brief: { evidence: [], roi: { multiple: null, annualValueCents: 0, annualCostCents: 0 }, comparison: { from: 'basic', to: 'pro', gainedFeatures: [], limits: [] }, price: { monthlyDeltaCents: mrr, arrDeltaCents: mrr * 12 } },
    }, 'usage', 'test', 1000 + i);
    return { ...o, arms: [{ experiment, arm }], ...(i < k ? { status: 'won' as const, closedAt: 5000 } : {}) };
  });
}

describe('the report', () => {
  it('shows each arm, the lift over the holdout with intervals, and no mismatch on the designed split', () => {
    const r = experimentReport(exp, [...opps(HOLDOUT, 200, 10), ...opps('plain', 900, 90), ...opps('urgent', 900, 135)], now);
    expect(r.arms.map((a) => [a.arm, a.accounts, a.conversions])).toEqual([[HOLDOUT, 200, 10], ['plain', 900, 90], ['urgent', 900, 135]]);
    expect(r.arms[0]!.rate).toBeCloseTo(0.05, 10);
    expect(r.arms[2]!.expansionMrrCents).toBe(135 * 10_000);
    expect(r.srm.mismatch).toBe(false);
    const pooled = r.lift.find((c) => c.arm === ALL_VARIANTS && c.metric === 'conversion')!;
    expect(pooled.diff).toBeCloseTo(0.125 - 0.05, 10);
    expect(pooled.sequentialCi[0]).toBeLessThan(pooled.ci[0]);
    expect(pooled.verdict).toBe('better');
    const ab = r.ab.find((c) => c.metric === 'conversion')!;
    expect([ab.arm, ab.against]).toEqual(['urgent', 'plain']);
    expect(ab.diff).toBeCloseTo(0.05, 10);
    expect(r.summary).toContain('plays against the holdout: +7.5 pts conversion');
  });

  it('does not read a holdout with no conversions as a known 0 %', () => {
    // 0 of 91 organic against 14 of 837 with plays: Welch on the raw rates would call it "better"
    const r = experimentReport(exp, [...opps(HOLDOUT, 91, 0), ...opps('plain', 420, 7), ...opps('urgent', 417, 7)], now);
    const pooled = r.lift.find((c) => c.arm === ALL_VARIANTS && c.metric === 'conversion')!;
    expect(pooled.diff).toBeCloseTo(14 / 837, 10);
    expect(pooled.ci[0]).toBeLessThan(0);
    expect(pooled.verdict).toBe('inconclusive');
    const mrr = r.lift.find((c) => c.arm === ALL_VARIANTS && c.metric === 'expansion_mrr')!;
    expect(mrr.ci[0]).toBeLessThan(0);
    expect(mrr.verdict).toBe('inconclusive');
  });

  it('flags a 70/30 split of a 50/50 design and says not to trust it', () => {
    const r = experimentReport(exp, [...opps(HOLDOUT, 200, 10), ...opps('plain', 1260, 100), ...opps('urgent', 540, 50)], now);
    expect(r.srm.mismatch).toBe(true);
    expect(r.srm.p).toBeLessThan(0.001);
    expect(r.summary).toMatch(/^sample-ratio mismatch/);
  });

  it('counts an account once, in the arm of its first tagged opportunity', () => {
    const [first] = opps('plain', 1, 0);
    const later = { ...first!, id: 'opp:later', openedAt: 9000, arms: [{ experiment: 'copy-test', arm: 'urgent' }], status: 'won' as const };
    const r = experimentReport(exp, [later, first!], now);
    expect(r.accounts).toBe(1);
    expect(r.arms.find((a) => a.arm === 'plain')).toMatchObject({ accounts: 1, conversions: 0 });
  });

  it('reads the pipeline as it stood at asOf: later exposures and later wins do not count yet', () => {
    const all = [...opps(HOLDOUT, 20, 0), ...opps('plain', 90, 30), ...opps('urgent', 90, 30)];
    // opened at 1000 + i, won at 5000
    expect(experimentReport(exp, all, 4999).arms.map((a) => [a.accounts, a.conversions])).toEqual([[20, 0], [90, 0], [90, 0]]);
    expect(experimentReport(exp, all, 1009).arms.map((a) => a.accounts)).toEqual([10, 10, 10]);
    expect(experimentReport(exp, all, 5000).arms.map((a) => a.conversions)).toEqual([0, 30, 30]);
  });

  it('reports the expansion holdout as holdout against plays', () => {
    const h = { share: 0.1, salt: 's' };
    const r = experimentReport(holdoutExperiment(h), [...opps(HOLDOUT, 100, 5, 1, EXPANSION_HOLDOUT), ...opps(PLAYS_ARM, 900, 90, 1, EXPANSION_HOLDOUT)], now, h);
    expect(r.arms.map((a) => [a.arm, a.expectedShare])).toEqual([[HOLDOUT, 0.1], [PLAYS_ARM, 0.9]]);
    expect(r.lift.map((c) => [c.arm, c.metric])).toEqual([[PLAYS_ARM, 'conversion'], [PLAYS_ARM, 'expansion_mrr']]);
    expect(r.playbook).toBeNull();
  });
});
