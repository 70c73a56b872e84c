import { beforeAll, describe, expect, it } from 'vitest';
import { planAt, respondToOffer, type Offer } from './respond.ts';
import { smallWorld } from './test-world.ts';
import type { AccountTruth } from './types.ts';

let truth: AccountTruth[] = [];
beforeAll(() => { truth = smallWorld(600, 90, 21).truth; });

/** Offers the plan above the current one at every sampled week, through a channel. */
function offers(channel: string, wantReady: boolean): { t: AccountTruth; offer: Offer }[] {
  const out: { t: AccountTruth; offer: Offer }[] = [];
  for (const t of truth) {
    t.weekly.ready.forEach((ready, w) => {
      if (ready !== wantReady) return;
      const day = w * 7;
      const plan = planAt(t, day);
      if (plan === null) return;
      const next = t.ladder[t.ladder.indexOf(plan) + 1];
      if (next) out.push({ t, offer: { targetPlan: t.weekly.target[w] ?? next, channel, dayOffset: day } });
    });
  }
  return out;
}

describe('respondToOffer', () => {
  it('is deterministic for a seed', () => {
    const [first] = offers('in_app', true);
    if (!first) throw new Error('no ready account');
    expect(respondToOffer(first.t, first.offer, 9)).toEqual(respondToOffer(first.t, first.offer, 9));
  });

  it('ready accounts accept far more often than accounts that are not ready', () => {
    const rate = (list: { t: AccountTruth; offer: Offer }[]): number =>
      list.filter(({ t, offer }, i) => respondToOffer(t, offer, i).response === 'accept').length / list.length;
    const ready = rate(offers('in_app', true));
    const notReady = rate(offers('in_app', false));
    expect(ready).toBeGreaterThan(0.1);
    expect(notReady).toBeLessThan(0.05);
    expect(ready).toBeGreaterThan(4 * notReady);
  });

  it('pushing a not-ready account lowers NPS and adds churn risk, more so through a salesperson', () => {
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ae = offers('ae', false).map(({ t, offer }, i) => respondToOffer(t, offer, i));
    const inApp = offers('in_app', false).map(({ t, offer }, i) => respondToOffer(t, offer, i));
    const ready = offers('csm', true).map(({ t, offer }, i) => respondToOffer(t, offer, i));
    expect(mean(ae.map((r) => r.npsDelta))).toBeLessThan(-0.5);
    expect(mean(ae.map((r) => r.npsDelta))).toBeLessThan(mean(inApp.map((r) => r.npsDelta)));
    expect(mean(ready.map((r) => r.npsDelta))).toBeGreaterThanOrEqual(0);
    expect(mean(ae.map((r) => r.extraChurnRisk))).toBeGreaterThan(0);
    expect(mean(ready.map((r) => r.extraChurnRisk))).toBe(0);
  });

  it('fits the channel to the segment: enterprise answers a CSM better than an in-app prompt', () => {
    const ent = offers('csm', true).filter(({ t }) => t.segment === 'enterprise');
    if (ent.length === 0) return;
    const csm = ent.reduce((s, { t, offer }) => s + respondToOffer(t, offer, 1).p.accept, 0);
    const app = ent.reduce((s, { t, offer }) => s + respondToOffer(t, { ...offer, channel: 'in_app' }, 1).p.accept, 0);
    expect(csm).toBeGreaterThan(app);
  });

  it('ignores offers to churned accounts and offers that are not upgrades', () => {
    const t = truth.find((x) => x.planEnd === null);
    if (t) expect(respondToOffer(t, { targetPlan: 'enterprise', channel: 'email', dayOffset: 10_000 }, 1).response).toBe('ignore');
    const u = truth.find((x) => x.planStart === 'pro');
    if (u) expect(respondToOffer(u, { targetPlan: 'basic', channel: 'email', dayOffset: 0 }, 1).response).toBe('ignore');
  });
});
