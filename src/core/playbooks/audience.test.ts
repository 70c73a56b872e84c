// audience.plans: a playbook targets only accounts currently on one of the listed plans, on every
// path that starts or shows it (signal triggers, in-app moments of a gated feature, upgrade plays).
import { describe, expect, it } from 'vitest';
import { buildEvents, exampleCatalog, PRESETS, stateFrom } from '../../../test/support/fixture-world.ts';
import { evaluate, type Evaluation } from '../scoring/evaluate.ts';
import { DEFAULT_SETTINGS } from '../scoring/settings.ts';
import { decide } from './decide.ts';
import { openOpportunity } from './opportunity.ts';
import { reconcile } from './reconcile.ts';
import { audienceMatch, planAudience, triggerMatch } from './trigger.ts';
import { DEFAULT_ETIQUETTE, type Audience, type Playbook, type Trigger } from './types.ts';

const NOW = '2026-03-15T12:00:00Z';
const now = Date.parse(NOW);
const catalog = exampleCatalog();

function evaluation(preset: 'basic' | 'pro', events: Record<string, unknown>[]): Evaluation {
  return evaluate(stateFrom(buildEvents([...PRESETS[preset]!, ...events], NOW), catalog), { catalog, settings: DEFAULT_SETTINGS }, now, { offer: true });
}
/** api_calls climbing to ~93 % of the plan's monthly limit: usage_ceiling fires */
const climbing = (limit: number) => [{ ramp: { meter: 'api_calls', fromDay: -14, toDay: 0, start: (limit * 0.93) / 15, end: (limit * 0.93) / 15 } }];

function playbook(id: string, audience: Audience, trigger: Partial<Trigger> = {}): Playbook {
  return {
    id, name: id, trigger: { on: 'signals', signals: ['usage_ceiling', 'feature_gate'], ...trigger }, qualification: { ready: false, disqualifiers: [] }, audience,
    steps: [{ day: 1, channel: 'in_app', when: 'always', template: { body: 'hi' } }], success: { targetConversion: 0.1 }, cooldownDays: 30, maxAttempts: 3, trialDays: 0,
  };
}

describe('audience.plans', () => {
  const basic = evaluation('basic', climbing(10_000));
  const pro = evaluation('pro', climbing(100_000));

  it('the fixtures: both accounts are at a usage ceiling on their own plan, with an offer', () => {
    expect(basic.plan).toBe('basic');
    expect(pro.plan).toBe('pro');
    for (const ev of [basic, pro]) {
      expect(ev.signals.map((s) => s.id)).toContain('usage_ceiling');
      expect(ev.offer).not.toBeNull();
    }
  });

  it('a signals trigger fires only for accounts on a listed plan, and says why not', () => {
    const onlyBasic = playbook('b', { plans: ['basic'] });
    const route = (ev: Evaluation) => [ev.offer!.routing.segment, ev.offer!.routing.route] as const;
    expect(triggerMatch(onlyBasic, basic, ...route(basic)).ok).toBe(true);
    expect(triggerMatch(onlyBasic, pro, ...route(pro))).toEqual({ ok: false, reason: 'plan pro not in basic' });
    const both = playbook('bp', { plans: ['basic', 'pro'] });
    expect(triggerMatch(both, pro, ...route(pro)).ok).toBe(true);
    // no plans: every plan (the other audience keys still apply)
    expect(triggerMatch(playbook('all', {}), pro, ...route(pro)).ok).toBe(true);
  });

  it('audienceMatch / planAudience: plan first, then segment and route', () => {
    const pb = playbook('x', { plans: ['pro'], segments: ['smb'], routes: ['csm'] });
    expect(audienceMatch(pb, 'basic', 'smb', 'csm')).toEqual({ ok: false, reason: 'plan basic not in pro' });
    expect(audienceMatch(pb, 'pro', 'mid_market', 'csm')).toEqual({ ok: false, reason: 'segment mid_market not in smb' });
    expect(audienceMatch(pb, 'pro', 'smb', null)).toEqual({ ok: false, reason: 'route none not in csm' });
    expect(audienceMatch(pb, 'pro', 'smb', 'csm').ok).toBe(true);
    expect(planAudience({ plans: ['pro'] }, '')).toEqual({ ok: false, reason: 'plan none not in pro' });
    expect(planAudience({}, 'anything').ok).toBe(true);
  });

  it('an in-app moment from a gated feature respects the audience too', () => {
    // no usage, no gate events: the only moment is the feature the user just opened
    const quiet = evaluation('basic', []);
    expect(quiet.offer?.gainedFeatures).toContain('sso');
    const input = (pb: Playbook) => ({
      evaluation: quiet, playbooks: [pb], disqualifiers: DEFAULT_SETTINGS.scoring.disqualifiers, etiquette: DEFAULT_ETIQUETTE, touches: [],
      user: 'u1', context: { session: 's1', feature: 'sso' }, now, onTrial: false,
    });
    const shown = decide(input(playbook('spot', { plans: ['basic'] }, { signals: ['feature_gate'] })));
    expect(shown.show).toBe(true);
    expect(shown.show && shown.prompt.playbook).toBe('spot');
    expect(decide(input(playbook('spot', { plans: ['pro', 'enterprise'] }, { signals: ['feature_gate'] })))).toMatchObject({ show: false, code: 'no_moment' });
  });

  it('an upgrade play starts only when the plan moved up to, the segment and the route are in its audience', () => {
    const brief = { evidence: ['x'], roi: { multiple: 1, annualValueCents: 1, annualCostCents: 1 }, comparison: { from: 'basic', to: 'pro', gainedFeatures: [], limits: [] }, price: { monthlyDeltaCents: 45000, arrDeltaCents: 540000 } };
    const opp = openOpportunity({ id: 'o1', account: 'acme', fromPlan: 'basic', target: 'pro', targetName: 'Pro', route: 'csm', segment: 'smb', arrDeltaCents: 540000, monthlyDeltaCents: 45000, score: 60, brief }, 'usage_limit', 'api calls', now - 10 * 86_400_000);
    const ranks: Record<string, number> = { basic: 1, pro: 2, enterprise: 3 };
    const onUpgrade = (id: string, audience: Audience) => playbook(id, audience, { on: 'upgrade', signals: [] });
    const r = reconcile({
      view: { evaluation: pro, status: 'active', rankOf: (p) => ranks[p], planChangeTs: now - 86_400_000 },
      opportunities: [opp],
      playbooks: [onUpgrade('to_pro', { plans: ['pro'] }), onUpgrade('to_enterprise', { plans: ['enterprise'] }), onUpgrade('enterprise_segment', { segments: ['enterprise'] }), onUpgrade('smb_csm', { segments: ['smb'], routes: ['csm'] })],
      team: { members: [], handoffSlaHours: 48, highValueArrCents: 0 }, load: new Map(), now,
    });
    const won = r.changed.find((o) => o.id === 'o1');
    expect(won).toMatchObject({ status: 'won' });
    expect(won!.plays.map((p) => p.playbook)).toEqual(['to_pro', 'smb_csm']);
    expect(new Set(r.steps.map((s) => s.playbook))).toEqual(new Set(['to_pro', 'smb_csm']));
  });
});
