// One account, one day: team changes, sessions, feature use and gates, metered usage,
// tickets, integrations, NPS, invoices, and the organic outcomes (upgrade, downgrade, churn).
import type { SimDay } from './calendar.ts';
import { DAY_SECONDS, isoInstant } from './calendar.ts';
import { COUNTER_WEEKDAY_WEIGHT, COUNTER_WEEKEND_WEIGHT, type WorldContext } from './context.ts';
import { bytes, type Emitter } from './emit.ts';
import { userEmail, type SimAccount } from './account.ts';
import { needAt, smoothNeedAt } from './need.ts';
import { applyHoldings, buyExtras, hasFeature, holdingsOf, limitOf, needMask, needNames, signMultiYear, signTerm, termDiscountPct } from './extras.ts';

const INTEGRATIONS = ['slack', 'salesforce', 'hubspot', 'github', 'jira', 'zapier', 'google_drive', 'okta', 'snowflake', 'zendesk'];
const TOPICS = ['how_to', 'bug', 'billing', 'performance', 'integration'];
const USAGE_WINDOW = 600;
const SESSION = bytes(',"type":"session"');
const MEMBER_REMOVED = bytes(',"type":"member","action":"removed"');
const NOTHING = new Uint8Array(0);

// Scratch space reused across accounts: no per-account-day allocation on the hot path.
let needs = new Float64Array(8);
let smooth = new Float64Array(8);

const round = (x: number, decimals: number): number => (decimals === 0 ? Math.round(x) : Math.round(x * 10) / 10);
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** A second of the day inside the account's working hours (local 08:00-18:00, shifted to UTC). */
function workSec(acct: SimAccount): number {
  const local = 8 * 3600 + Math.floor(acct.rng.float() * 10 * 3600);
  return (((local - acct.tz * 3600) % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS;
}

const usageSec = (acct: SimAccount): number => DAY_SECONDS - USAGE_WINDOW + acct.rng.int(USAGE_WINDOW);


/** Feature needs move slowly: refresh them weekly and whenever the plan changes. */
export function refreshFeatures(acct: SimAccount, ctx: WorldContext, day: number): void {
  const thr = ctx.params.featureNeedThreshold;
  const gap: number[] = [];
  const used: number[] = [];
  for (let f = 0; f < ctx.features.length; f++) {
    const need = Math.min(1, Math.max(0, (acct.featureBase[f] ?? 0) + (acct.featureSlope[f] ?? 0) * (day / 365)));
    acct.featureNeed[f] = need;
    if (hasFeature(acct, ctx, f)) {
      if (need >= 0.25 && !acct.notActivated.has(f)) used.push(f);
    } else if (need >= thr) {
      gap.push(f);
    }
  }
  gap.sort((a, b) => (acct.featureNeed[b] ?? 0) - (acct.featureNeed[a] ?? 0));
  acct.gap = gap;
  acct.used = used;
}

function emitSubscription(acct: SimAccount, ctx: WorldContext, em: Emitter, sec: number, status: 'active' | 'canceled'): void {
  const plan = ctx.ladder[acct.plan] ?? '';
  const mrr = status === 'canceled' ? 0 : acct.mrr(ctx);
  const months = acct.termMonths || (acct.interval === 'year' ? 12 : 1);
  const term = months > 1 ? `,"term_months":${months}` : '';
  // once anything was bought beyond the plan, every subscription says the whole holding
  let extras = '';
  if (acct.extrasEver) {
    const h = holdingsOf(acct, ctx);
    const off = termDiscountPct(acct, ctx);
    extras = `,"addons":${JSON.stringify(h.addons)},"units":${JSON.stringify(h.units)}${off > 0 ? `,"discount_pct":${off}` : ''}`;
  }
  em.lineText(acct, sec, `,"type":"subscription","plan":${JSON.stringify(plan)},"interval":"${acct.interval}","mrr":${mrr},"status":"${status}"${term}${extras}`);
}

/** A user joins, with the email they signed up with (an extra field the canonical format keeps). */
function memberAdded(acct: SimAccount, em: Emitter, sec: number, uid: number): void {
  em.lineText(acct, sec, `,"type":"member","action":"added","email":"${userEmail(acct, uid)}"`, uid);
}

function emitSeats(acct: SimAccount, ctx: WorldContext, em: Emitter, sec: number, quantity: number, exceeded: boolean): void {
  const info = ctx.meters[ctx.seatsMeter];
  if (!info) return;
  em.usage(acct, sec, info.usageBody, quantity, exceeded);
}

/** Day 0, before anything happens: pass 0 writes every account's traits, pass 1 its plan, team, integrations and levels. */
export function bootstrapAccount(acct: SimAccount, ctx: WorldContext, em: Emitter, pass: 0 | 1): void {
  if (pass === 0) {
    const traits: Record<string, unknown> = {
      name: acct.name, employees: acct.employees, industry: acct.industry, segment: acct.segment,
      ...(acct.csm ? { csm: acct.csm } : {}), ...(acct.ae ? { ae: acct.ae } : {}),
      ...(acct.interval === 'year' ? { renewal_at: isoInstant(acct.renewalMs) } : {}),
      created_at: isoInstant(acct.sinceMs), email: userEmail(acct, 0),
    };
    em.lineText(acct, 0, `,"type":"account","traits":${JSON.stringify(traits)}`);
    return;
  }
  const rng = acct.rng;
  emitSubscription(acct, ctx, em, 0, 'active');
  for (const uid of acct.members) memberAdded(acct, em, 0, uid);
  emitSeats(acct, ctx, em, 0, acct.members.length, false);
  const n = Math.min(INTEGRATIONS.length, rng.poisson(0.5 + ['self_serve', 'smb', 'mid_market', 'enterprise'].indexOf(acct.segment)));
  for (let i = 0; i < n; i++) connectIntegration(acct, em, 0);
  for (let i = 0; i < ctx.meters.length; i++) {
    const info = ctx.meters[i];
    const ms = acct.meters[i];
    if (!info || !ms || info.kind !== 'gauge') continue;
    const lim = info.limits[acct.plan] ?? 0;
    ms.level = Math.max(0, round(Math.min(ms.needStart, lim), info.decimals));
    ms.reportedDay = 0;
    em.usage(acct, 0, info.usageBody, ms.level, false);
  }
  refreshFeatures(acct, ctx, 0);
}

function connectIntegration(acct: SimAccount, em: Emitter, sec: number): void {
  const free: number[] = [];
  for (let i = 0; i < INTEGRATIONS.length; i++) if ((acct.integrations & (1 << i)) === 0) free.push(i);
  if (free.length === 0) return;
  const i = acct.rng.pick(free);
  acct.integrations |= 1 << i;
  em.lineText(acct, sec, `,"type":"integration","name":"${INTEGRATIONS[i]}","action":"connected"`, acct.members.length > 0 ? (acct.members[0] ?? 0) : -1);
}

function team(acct: SimAccount, ctx: WorldContext, day: SimDay, em: Emitter, act: number): void {
  const rng = acct.rng;
  const si = ctx.seatsMeter;
  const want = Math.max(1, Math.round(si >= 0 ? (needs[si] ?? 1) : acct.usersStart));
  const limit = si >= 0 ? limitOf(acct, ctx, si) : Infinity;
  const have = acct.members.length;
  if (have < want) {
    if (have < limit) {
      if (rng.chance(day.weekend ? 0.08 : 0.3)) {
        const uid = acct.nextUser++;
        acct.members.push(uid);
        acct.power.push(acct.isPower(uid, ctx));
        const sec = workSec(acct);
        memberAdded(acct, em, sec, uid);
        emitSeats(acct, ctx, em, sec, acct.members.length, false);
      }
    } else if (!day.weekend && rng.chance(ctx.params.gaugeAttemptRate * act)) {
      // An invite the plan refused: reported as an over-limit level, then the real level again.
      const sec = workSec(acct);
      emitSeats(acct, ctx, em, sec, have + 1, true);
      emitSeats(acct, ctx, em, sec, have, false);
      const ms = acct.meters[si];
      if (ms) ms.exceeded++;
    }
  } else if (have > want + 1 && have > 1 && rng.chance(0.12)) {
    const k = 1 + rng.int(have - 1);
    const uid = acct.members[k] ?? 0;
    acct.members.splice(k, 1);
    acct.power.splice(k, 1);
    const sec = workSec(acct);
    em.userLine(acct, sec, uid, MEMBER_REMOVED);
    emitSeats(acct, ctx, em, sec, acct.members.length, false);
  }
}

function sessions(acct: SimAccount, ctx: WorldContext, day: SimDay, em: Emitter, act: number): void {
  const p = ctx.params;
  const rng = acct.rng;
  const mul = (day.weekend ? p.weekendFactor : 1) * act;
  const thr = p.featureNeedThreshold;
  const members = acct.members;
  const power = acct.power;
  for (let m = 0; m < members.length; m++) {
    const uid = members[m] ?? 0;
    const rate = (power[m] ? p.sessionRate.power : p.sessionRate.regular) * mul;
    if (rng.float() >= rate) continue;
    const sec = workSec(acct);
    em.userLine(acct, sec, uid, SESSION);
    if (acct.used.length > 0 && rng.chance(p.featureEventRate)) {
      const f = acct.used[rng.int(acct.used.length)] ?? 0;
      em.userLine(acct, sec + 60 + rng.int(1800), uid, ctx.features[f]?.featureBody ?? NOTHING);
    }
    if (acct.gap.length > 0) {
      // Most hits land on the most needed feature, so several users of a team meet the same gate.
      const f = rng.chance(0.7) ? (acct.gap[0] ?? 0) : (acct.gap[rng.int(acct.gap.length)] ?? 0);
      const intensity = 0.5 + 0.5 * Math.min(1, ((acct.featureNeed[f] ?? 0) - thr) / (1 - thr));
      if (rng.chance(p.gateRate * intensity)) {
        em.userLine(acct, sec + 30 + rng.int(900), uid, ctx.features[f]?.gateBody ?? NOTHING);
        acct.featureGates[f] = (acct.featureGates[f] ?? 0) + 1;
        acct.gatesWithNeed++;
      }
    } else if (rng.chance(p.curiousGateRate)) {
      // A curious click on a higher-tier feature the account does not need.
      const f = rng.int(ctx.features.length);
      if (!hasFeature(acct, ctx, f)) {
        em.userLine(acct, sec + 30 + rng.int(900), uid, ctx.features[f]?.gateBody ?? NOTHING);
        acct.featureGates[f] = (acct.featureGates[f] ?? 0) + 1;
        acct.gatesCurious++;
      }
    }
  }
}

function usage(acct: SimAccount, ctx: WorldContext, day: SimDay, em: Emitter, act: number): void {
  const p = ctx.params;
  const rng = acct.rng;
  const t = day.index;
  for (let i = 0; i < ctx.meters.length; i++) {
    const info = ctx.meters[i];
    const ms = acct.meters[i];
    if (!info || !ms || info.kind === 'seats') continue;
    const lim = limitOf(acct, ctx, i);
    const need = needs[i] ?? 0;
    if (info.kind === 'counter') {
      const key = info.reset === 'day' ? t : day.monthKey;
      if (key !== ms.periodKey) { ms.periodKey = key; ms.periodUsed = 0; }
      const slot = t % 30;
      ms.recent[slot] = 0;
      const activeRate = day.weekend ? p.counterActiveRate.weekend : p.counterActiveRate.weekday;
      if (rng.float() >= activeRate * Math.min(1, act)) continue;
      const perDay = info.reset === 'day' ? need : need / 30.44;
      const weight = day.weekend ? COUNTER_WEEKEND_WEIGHT : COUNTER_WEEKDAY_WEIGHT;
      const q = round((perDay * weight / ctx.counterNorm) * rng.lognormal(1, p.dailyNoise), info.decimals);
      if (q <= 0) continue;
      const sec = usageSec(acct);
      const room = lim - ms.periodUsed;
      if (q <= room) {
        em.usage(acct, sec, info.usageBody, q, false);
        ms.periodUsed += q;
        ms.recent[slot] = q;
      } else {
        // Throttled above the limit: the accepted part, then the attempts users kept making.
        const accepted = Math.max(0, round(Math.floor(room), info.decimals));
        if (accepted > 0) em.usage(acct, sec, info.usageBody, accepted, false);
        ms.periodUsed += accepted;
        const attempts = Math.max(1, round((q - accepted) * p.overLimitAttemptShare, info.decimals));
        em.usage(acct, sec, info.usageBody, attempts, true);
        ms.exceeded++;
        ms.recent[slot] = accepted + attempts;
      }
      continue;
    }
    // A gauge: the level follows the need up to the limit, reported when it moves or weekly.
    const level = Math.max(0, round(Math.min(need, lim), info.decimals));
    if (need > lim && !day.weekend && rng.chance(p.gaugeAttemptRate * act)) {
      const sec = usageSec(acct);
      const tried = Math.max(round(Math.min(need, lim * 1.5), info.decimals), lim + (info.decimals === 0 ? 1 : 0.1));
      em.usage(acct, sec, info.usageBody, tried, true);
      em.usage(acct, sec, info.usageBody, level, false);
      ms.exceeded++;
      ms.level = level;
      ms.reportedDay = t;
      continue;
    }
    const step = Math.max(info.decimals === 0 ? 1 : 0.1, ms.level * 0.05);
    if (Math.abs(level - ms.level) >= step || t - ms.reportedDay >= 7) {
      em.usage(acct, usageSec(acct), info.usageBody, level, false);
      ms.level = level;
      ms.reportedDay = t;
    }
  }
}

function background(acct: SimAccount, ctx: WorldContext, day: SimDay, em: Emitter): void {
  const p = ctx.params;
  const rng = acct.rng;
  const t = day.index;
  if (acct.openTickets.length > 0) {
    const still: typeof acct.openTickets = [];
    for (const tk of acct.openTickets) {
      if (tk.closeDay <= t) em.lineText(acct, workSec(acct), `,"type":"ticket","ticket":"${tk.id}","status":"closed","severity":"${tk.severity}","topic":"${tk.topic}"`, tk.user);
      else still.push(tk);
    }
    acct.openTickets = still;
  }
  if (rng.chance(p.ticketRate * Math.sqrt(acct.members.length) * (1.6 - acct.health))) {
    const topic = acct.gap.length > 0 && rng.chance(p.featureUnavailableShare) ? 'feature_unavailable' : rng.pick(TOPICS);
    const u = rng.float();
    const critical = p.criticalShare * (1 + 2 * (1 - acct.health));
    const severity = u < critical ? 'critical' : u < critical + 0.15 ? 'high' : u < critical + 0.45 ? 'low' : 'normal';
    const id = `tk-${acct.index + 1}-${++acct.ticketSeq}`;
    const user = acct.members[rng.int(acct.members.length)] ?? 0;
    em.lineText(acct, workSec(acct), `,"type":"ticket","ticket":"${id}","status":"opened","severity":"${severity}","topic":"${topic}"`, user);
    acct.openTickets.push({ id, closeDay: t + 1 + rng.int(severity === 'critical' ? 5 : 10), severity, topic, user });
    if (severity === 'critical') acct.health = Math.max(0, acct.health - 0.05);
  }
  if (rng.chance(p.integrationRate * (acct.archetype === 'growing' ? 2 : 1))) connectIntegration(acct, em, workSec(acct));
  if (acct.archetype === 'declining' && acct.integrations !== 0 && rng.chance(0.002)) {
    const on: number[] = [];
    for (let i = 0; i < INTEGRATIONS.length; i++) if ((acct.integrations & (1 << i)) !== 0) on.push(i);
    const i = rng.pick(on);
    acct.integrations &= ~(1 << i);
    em.lineText(acct, workSec(acct), `,"type":"integration","name":"${INTEGRATIONS[i]}","action":"disconnected"`);
  }
  if (!day.weekend && rng.chance(7 / (5 * p.npsEveryDays))) {
    const score = Math.max(0, Math.min(10, Math.round(1 + 9 * acct.health + p.npsNoise * rng.normal())));
    em.lineText(acct, workSec(acct), `,"type":"nps","score":${score}`, rng.pick(acct.members));
  }
  if (acct.pending && t >= acct.pending.payDay) {
    em.lineText(acct, workSec(acct), `,"type":"invoice","invoice":"${acct.pending.id}","status":"paid","amount":${acct.pending.amount}`);
    acct.pending = null;
    acct.pastDue = false;
  }
}

function churnMultiplier(acct: SimAccount, ctx: WorldContext): number {
  const m = ctx.params.churnMultiplier;
  let x = 1;
  if (acct.health < 0.4) x *= m.unhealthy;
  if (acct.archetype === 'declining') x *= m.declining;
  if (acct.stuckOverLimit) x *= m.stuckOverLimit;
  if (acct.notActivated.size > 0) x *= m.notActivated;
  return x;
}

function churnCause(acct: SimAccount): string {
  const c: string[] = [];
  if (acct.health < 0.4) c.push('poor_health');
  if (acct.archetype === 'declining') c.push('declining_usage');
  if (acct.stuckOverLimit) c.push('stuck_over_limit');
  if (acct.notActivated.size > 0) c.push('upgrade_not_activated');
  return c.length > 0 ? c.join('+') : 'baseline';
}

function fitsPlan(acct: SimAccount, ctx: WorldContext, k: number, share: number): boolean {
  for (let i = 0; i < ctx.meters.length; i++) {
    const lim = ctx.meters[i]?.limits[k] ?? 0;
    if ((smooth[i] ?? 0) > share * lim) return false;
  }
  const has = ctx.planHas[k] ?? [];
  const thr = ctx.params.featureNeedThreshold;
  for (let f = 0; f < ctx.features.length; f++) if (!has[f] && (acct.featureNeed[f] ?? 0) >= thr) return false;
  return true;
}

function changePlan(acct: SimAccount, ctx: WorldContext, day: SimDay, em: Emitter, to: number, kind: 'upgrade' | 'downgrade', cause: string): void {
  const from = ctx.ladder[acct.plan] ?? '';
  const gapBefore = acct.gap;
  acct.plan = to;
  if (acct.extrasEver) applyHoldings(acct, ctx);
  const sec = workSec(acct);
  emitSubscription(acct, ctx, em, sec, 'active');
  acct.outcomes.push({ day: day.index, at: isoInstant(day.ms + sec * 1000), kind, from, to: ctx.ladder[to] ?? null, cause });
  if (kind === 'upgrade' && gapBefore.length > 0) {
    // Seed 002: accounts that do not use the features they upgraded for churn at 3x.
    if (acct.rng.chance(ctx.params.activationRate)) acct.activated = true;
    else { acct.activated = false; for (const f of gapBefore) acct.notActivated.add(f); }
  }
  refreshFeatures(acct, ctx, day.index);
}

function billing(acct: SimAccount, ctx: WorldContext, day: SimDay, em: Emitter): void {
  const p = ctx.params;
  const rng = acct.rng;
  const base = acct.interval === 'month' ? p.monthlyChurn[acct.segment] : p.annualChurn[acct.segment];
  // a renewal signed ahead (signMultiYear) starts today: committed, neither churning nor downgrading
  const committed = acct.interval === 'year' && acct.termFromDay === day.index;
  if (!committed && rng.chance(Math.min(0.95, base * churnMultiplier(acct, ctx)))) {
    const sec = workSec(acct);
    emitSubscription(acct, ctx, em, sec, 'canceled');
    acct.outcomes.push({ day: day.index, at: isoInstant(day.ms + sec * 1000), kind: 'churn', from: ctx.ladder[acct.plan] ?? '', to: null, cause: churnCause(acct) });
    if (acct.pending) {
      em.lineText(acct, sec, `,"type":"invoice","invoice":"${acct.pending.id}","status":"void","amount":${acct.pending.amount}`);
      acct.pending = null;
    }
    acct.churned = true;
    return;
  }
  if (!committed && acct.plan > 0 && fitsPlan(acct, ctx, acct.plan - 1, p.downgradeFit) && rng.chance(p.downgradeChance)) {
    changePlan(acct, ctx, day, em, acct.plan - 1, 'downgrade', acct.archetype === 'declining' ? 'declining_usage' : 'needs_fit_lower_plan');
  }
  if (committed) {
    // the new term and its discount start: the subscription says the lower MRR
    acct.termFromDay = -1;
    emitSubscription(acct, ctx, em, workSec(acct), 'active');
  } else if (signTerm(acct, ctx, day.index)) {
    acct.extrasEver = true;
    if (acct.interval === 'month') {
      // monthly to annual billing: the year starts today
      acct.interval = 'year';
      acct.renewalMs = day.ms;
      acct.renewalDay = day.index;
    }
    emitSubscription(acct, ctx, em, workSec(acct), 'active');
  }
  const plan = ctx.plans[acct.plan];
  const amount = acct.interval === 'year'
    ? (acct.extrasEver ? acct.mrr(ctx) * 12 : (plan?.price.annual ?? acct.mrr(ctx) * 12))
    : acct.mrr(ctx);
  const id = `inv-${acct.index + 1}-${++acct.invoiceSeq}`;
  const late = !acct.pending && rng.chance(p.pastDueBase + p.pastDueHealth * (1 - acct.health));
  em.lineText(acct, workSec(acct), `,"type":"invoice","invoice":"${id}","status":"${late ? 'past_due' : 'paid'}","amount":${amount}`);
  if (late) {
    acct.pending = { id, amount, payDay: day.index + 3 + rng.int(18) };
    acct.pastDue = true;
  }
  if (acct.interval === 'year' && day.index === acct.renewalDay) {
    const next = new Date(acct.renewalMs);
    // a multi-year term renews at its end
    const years = Math.max(1, Math.round((acct.termMonths || 12) / 12));
    acct.renewalMs = Date.UTC(next.getUTCFullYear() + years, next.getUTCMonth(), next.getUTCDate());
    const d = Math.round((acct.renewalMs - ctx.startMs) / 86_400_000);
    acct.renewalDay = d < ctx.days ? d : -1;
    em.lineText(acct, workSec(acct), `,"type":"account","traits":{"renewal_at":"${isoInstant(acct.renewalMs)}"}`);
  }
}

/** Why the account is ready, as "meter:<id>" and "feature:<id>" (built only when needed: it allocates). */
function readyReasons(acct: SimAccount, ctx: WorldContext): string[] {
  const reasons: string[] = [];
  for (let i = 0; i < ctx.meters.length; i++) {
    const info = ctx.meters[i];
    const lim = limitOf(acct, ctx, i);
    if (info && lim > 0 && Number.isFinite(lim) && (smooth[i] ?? 0) >= ctx.params.readyMeterShare * lim) reasons.push(`meter:${info.id}`);
  }
  for (const f of acct.gap) reasons.push(`feature:${ctx.features[f]?.id ?? ''}`);
  return reasons;
}

function readiness(acct: SimAccount, ctx: WorldContext, day: SimDay): void {
  const p = ctx.params;
  const top = ctx.plans.length - 1;
  let pressure = 0;
  for (let i = 0; i < ctx.meters.length; i++) {
    const lim = limitOf(acct, ctx, i);
    if (!(lim > 0) || !Number.isFinite(lim)) continue;
    const r = (smooth[i] ?? 0) / lim;
    if (r > pressure) pressure = r;
  }
  acct.pressure = pressure;
  acct.stuckOverLimit = pressure > 1;
  if (pressure > 1 || acct.gap.length > 0) acct.everAbove = true;
  const needsMore = pressure >= p.readyMeterShare || acct.gap.length > 0;
  const ready = needsMore && acct.plan < top && acct.health >= p.readyHealthFloor && !acct.pastDue;
  acct.readyNow = ready;
  acct.target = -1;
  if (!ready) return;
  let target = top;
  for (let k = acct.plan + 1; k <= top; k++) if (fitsPlan(acct, ctx, k, p.targetHeadroom)) { target = k; break; }
  acct.target = target;
  acct.readyDays++;
  if (acct.readyDay === null) {
    acct.readyDay = day.index;
    acct.readyReasons = readyReasons(acct, ctx);
    acct.readyTarget = ctx.ladder[target] ?? null;
  }
}

/** Advances one account by one day, writing its events into the emitter. */
export function stepAccount(acct: SimAccount, ctx: WorldContext, day: SimDay, em: Emitter): void {
  if (acct.churned) return;
  const p = ctx.params;
  const t = day.index;
  const n = ctx.meters.length;
  if (needs.length < n) { needs = new Float64Array(n); smooth = new Float64Array(n); }
  for (let i = 0; i < n; i++) {
    const shape = acct.meters[i]?.shape;
    if (!shape) continue;
    needs[i] = needAt(shape, t);
    smooth[i] = smoothNeedAt(shape, t);
  }
  if (t % 7 === 0 && t > 0) refreshFeatures(acct, ctx, t);
  const act = (0.4 + 0.8 * acct.health) * (acct.archetype === 'declining' ? Math.max(0.3, 1 - t / 365) : 1);

  team(acct, ctx, day, em, act);
  sessions(acct, ctx, day, em, act);
  usage(acct, ctx, day, em, act);
  background(acct, ctx, day, em);
  acct.today = t;
  readiness(acct, ctx, day);
  // units, a module or premium support bought without an offer (rates: params.ts); a tier the
  // same day would answer a need already met
  const bought = buyExtras(acct, ctx, smooth, t);
  if (bought) {
    acct.extrasEver = true;
    emitSubscription(acct, ctx, em, workSec(acct), 'active');
    refreshFeatures(acct, ctx, t);
  }
  const termFrom = signMultiYear(acct, ctx, t);
  if (termFrom >= 0) {
    // signed today, starting at the renewal: the contract now runs to the end of the new term
    acct.extrasEver = true;
    const sec = workSec(acct);
    emitSubscription(acct, ctx, em, sec, 'active');
    const r = new Date(acct.renewalMs);
    const end = Date.UTC(r.getUTCFullYear() + Math.round(acct.termMonths / 12), r.getUTCMonth(), r.getUTCDate());
    em.lineText(acct, sec, `,"type":"account","traits":{"renewal_at":"${isoInstant(end)}"}`);
  }

  if (!bought && acct.readyNow && acct.target > acct.plan) {
    const hazard = p.selfUpgradeHazard[acct.segment] * (1 + Math.min(2, 2 * Math.max(0, acct.pressure - 1)));
    if (acct.rng.chance(hazard)) {
      changePlan(acct, ctx, day, em, acct.target, 'upgrade', `self_serve:${readyReasons(acct, ctx).join('+')}`);
    }
  }
  const billingDay = acct.interval === 'month' ? day.dom === acct.billingDom : t === acct.renewalDay;
  if (billingDay) billing(acct, ctx, day, em);
  if (acct.churned) return;

  const target = acct.healthBase
    - (acct.archetype === 'declining' ? 0.2 : 0)
    - (acct.stuckOverLimit ? 0.12 : 0)
    - (acct.pastDue ? 0.1 : 0)
    - (acct.notActivated.size > 0 ? 0.1 : 0);
  acct.health = Math.min(1, Math.max(0, acct.health + p.healthPull * (target - acct.health) + 0.01 * acct.rng.normal()));

  if (t % 7 === 0) {
    const kinds = needMask(acct, ctx, smooth);
    acct.needsEver |= kinds;
    acct.weekly.needs.push(needNames(kinds).join('+'));
    acct.weekly.health.push(r3(acct.health));
    acct.weekly.pressure.push(r3(acct.pressure));
    acct.weekly.featureGap.push(acct.gap.length);
    acct.weekly.ready.push(acct.readyNow);
    acct.weekly.plan.push(ctx.ladder[acct.plan] ?? null);
    acct.weekly.target.push(acct.target >= 0 ? (ctx.ladder[acct.target] ?? null) : null);
  }
}
