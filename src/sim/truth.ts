// The hidden state of an account, as written to truth.ndjson at the end of a run.
import type { SimAccount } from './account.ts';
import { isoDate, isoInstant, DAY_MS } from './calendar.ts';
import type { WorldContext } from './context.ts';
import { limitOf, needNames } from './extras.ts';
import { needAt } from './need.ts';
import type { AccountTruth, FeatureTruth, MeterTruth } from './types.ts';

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export function accountTruth(acct: SimAccount, ctx: WorldContext): AccountTruth {
  const last = Math.max(0, ctx.days - 1);
  const meters: Record<string, MeterTruth> = {};
  ctx.meters.forEach((info, i) => {
    const ms = acct.meters[i];
    if (!ms) return;
    const lim = limitOf(acct, ctx, i);
    let observed: number;
    if (info.kind === 'counter') {
      observed = 0;
      for (const q of ms.recent) observed += q;
      // A daily-reset meter's limit is per day: compare the mean day.
      if (info.reset === 'day') observed /= Math.min(30, ctx.days);
    } else {
      observed = info.kind === 'seats' ? acct.members.length : Math.max(0, ms.level);
    }
    meters[info.id] = {
      kind: info.kind,
      ...ms.shape,
      base: r3(ms.shape.base), rate: r3(ms.shape.rate), amplitude: r3(ms.shape.amplitude), phase: r3(ms.shape.phase),
      spikeMagnitude: r3(ms.shape.spikeMagnitude),
      needStart: r3(ms.needStart),
      needEnd: r3(needAt(ms.shape, last)),
      limitEnd: Number.isFinite(lim) ? lim : null,
      utilizationEnd: Number.isFinite(lim) && lim > 0 ? r3(observed / lim) : 0,
      exceededEvents: ms.exceeded,
    };
  });
  const features: Record<string, FeatureTruth> = {};
  ctx.features.forEach((f, i) => {
    features[f.id] = {
      tier: f.tier,
      needStart: r3(acct.featureNeedStart[i] ?? 0),
      needEnd: r3(Math.min(1, Math.max(0, (acct.featureBase[i] ?? 0) + (acct.featureSlope[i] ?? 0) * (last / 365)))),
      slope: r3(acct.featureSlope[i] ?? 0),
      gateHits: acct.featureGates[i] ?? 0,
    };
  });
  // Churned accounts stop sampling: pad their weeks so index w always means days 7w..7w+6.
  const weeks = Math.ceil(ctx.days / 7);
  const w = acct.weekly;
  while (w.health.length < weeks) {
    w.health.push(r3(acct.health)); w.pressure.push(0); w.featureGap.push(0); w.ready.push(false); w.plan.push(null); w.target.push(null); w.needs.push('');
  }
  return {
    account: acct.id,
    segment: acct.segment,
    employees: acct.employees,
    interval: acct.interval,
    customerSince: isoDate(acct.sinceMs),
    ladder: ctx.ladder,
    planStart: ctx.ladder[acct.planStart] ?? '',
    planEnd: acct.churned ? null : (ctx.ladder[acct.plan] ?? ''),
    users: { start: acct.usersStart, end: acct.churned ? 0 : acct.members.length, power: acct.members.filter((u) => acct.isPower(u, ctx)).length },
    meters,
    features,
    ready: {
      day: acct.readyDay,
      at: acct.readyDay === null ? null : isoInstant(ctx.startMs + acct.readyDay * DAY_MS),
      reasons: acct.readyReasons,
      targetPlan: acct.readyTarget,
      days: acct.readyDays,
    },
    weekly: w,
    health: { start: r3(acct.healthStart), end: r3(acct.health) },
    gates: { withNeed: acct.gatesWithNeed, curious: acct.gatesCurious },
    everNeededAbovePlan: acct.everAbove,
    needTypes: needNames(acct.needsEver),
    purchases: acct.purchases,
    outcomes: acct.outcomes,
    activated: acct.activated,
    events: acct.seq,
  };
}
