// One simulated account: its hidden state (needs, health, team) and what it has shown so far.
// Created from its own seeded stream, so account i is the same whatever N is.
import type { Interval } from '../core/events/types.ts';
import { DAY_MS, isoDate } from './calendar.ts';
import type { WorldContext } from './context.ts';
import { needAt } from './need.ts';
import { ARCHETYPES, SEGMENTS, type Archetype, type Segment } from './params.ts';
import { termDiscountPct, type Purchase } from './extras.ts';
import { Rng, mixSeed } from './rng.ts';
import type { MeterShape, Outcome } from './types.ts';

const INDUSTRIES = ['software', 'fintech', 'healthcare', 'retail', 'manufacturing', 'education', 'media', 'logistics', 'professional_services', 'nonprofit'];
const SYLLABLES = ['ac', 'me', 'lu', 'ra', 'vo', 'ti', 'nex', 'or', 'bit', 'zen', 'qua', 'lo', 'pi', 'sta', 'ver', 'ko', 'dri', 'fa', 'mo', 'sel'];
const SUFFIXES = ['Labs', 'Works', 'Systems', 'Cloud', 'Analytics', 'Health', 'Logistics', 'Studio', 'Inc', 'Group', 'Partners', 'Tech'];
/** UTC offsets (hours) of where accounts work, weighted toward the Americas and Europe */
const TIMEZONES = [-8, -5, 0, 1, 2, 5, 8];
const TZ_WEIGHTS = [0.2, 0.3, 0.15, 0.2, 0.05, 0.05, 0.05];

export interface MeterState {
  shape: MeterShape;
  needStart: number;
  /** counters: the reset period's key and accepted usage so far in it */
  periodKey: number;
  periodUsed: number;
  /** gauges: the level last reported, and the day it was */
  level: number;
  reportedDay: number;
  exceeded: number;
  /** counters: the last 30 days of reported usage (accepted + attempts), for utilization at the end */
  recent: Float32Array;
}

export class SimAccount {
  readonly id: string;
  seq = 0;
  readonly rng: Rng;
  segment: Segment = 'self_serve';
  employees = 1;
  industry = '';
  name = '';
  tz = 0;
  csm: string | undefined;
  ae: string | undefined;
  archetype: Archetype = 'steady';
  interval: Interval = 'month';
  plan = 0;
  planStart = 0;
  sinceMs = 0;
  billingDom = 1;
  /** day index of the next annual renewal inside the window, or -1 */
  renewalDay = -1;
  renewalMs = 0;
  health = 0.7;
  healthStart = 0.7;
  healthBase = 0.7;
  members: number[] = [];
  /** beside members: whether each is a power user */
  power: boolean[] = [];
  nextUser = 0;
  powerSalt = 0;
  usersStart = 0;
  meters: MeterState[] = [];
  featureBase: Float64Array;
  featureSlope: Float64Array;
  featureNeed: Float64Array;
  featureNeedStart: Float64Array;
  featureGates: Int32Array;
  /** needed features above the plan (indices), most needed first; refreshed weekly and on plan change */
  gap: number[] = [];
  /** plan features the team uses (indices) */
  used: number[] = [];
  /** features an upgrade was for but that were never activated */
  notActivated = new Set<number>();
  activated: boolean | null = null;
  integrations = 0;
  /** `user` is the uid of who opened it */
  openTickets: { id: string; closeDay: number; severity: string; topic: string; user: number }[] = [];
  ticketSeq = 0;
  invoiceSeq = 0;
  pending: { id: string; amount: number; payDay: number } | null = null;
  pastDue = false;
  churned = false;
  outcomes: Outcome[] = [];
  readyDay: number | null = null;
  readyReasons: string[] = [];
  readyTarget: string | null = null;
  readyDays = 0;
  readyNow = false;
  target = -1;
  pressure = 0;
  stuckOverLimit = false;
  everAbove = false;
  gatesWithNeed = 0;
  gatesCurious = 0;
  weekly = { health: [] as number[], pressure: [] as number[], featureGap: [] as number[], ready: [] as boolean[], plan: [] as (string | null)[], target: [] as (string | null)[], needs: [] as string[] };
  /** the day being simulated (index from the start) */
  today = 0;
  /** what it holds beyond the plan (extras.ts): extra units per meter index, add-on indices, term */
  readonly xrng: Rng;
  units: Float64Array;
  addons: number[] = [];
  termMonths = 0;
  /** a term signed ahead of its renewal starts (and its discount applies) on this day; -1 when none is pending */
  termFromDay = -1;
  /** the renewal (renewalMs) whose signing day termSignDay was drawn for */
  termSignFor = 0;
  termSignDay = 0;
  /** premium support decided under ticket load, bought when its sales cycle ends: the add-on index and the day */
  supportDue: { addon: number; day: number } | null = null;
  /** derived from the holdings by applyHoldings: extra limit per meter, features from modules, price */
  extraLimit: Float64Array;
  addonHas: Uint8Array;
  extrasMonthly = 0;
  extrasAnnual = 0;
  /** the subscription events say what is held once anything was bought */
  extrasEver = false;
  purchases: Purchase[] = [];
  /** every kind of need it had (extras.ts NEED bits) */
  needsEver = 0;

  constructor(readonly index: number, ctx: WorldContext) {
    this.id = `acc-${String(index + 1).padStart(6, '0')}`;
    this.rng = new Rng(mixSeed(ctx.seed, index, 0x5eed));
    const n = ctx.features.length;
    this.featureBase = new Float64Array(n);
    this.featureSlope = new Float64Array(n);
    this.featureNeed = new Float64Array(n);
    this.featureNeedStart = new Float64Array(n);
    this.featureGates = new Int32Array(n);
    this.xrng = new Rng(mixSeed(ctx.seed, index, 0xe8a5));
    this.units = new Float64Array(ctx.meters.length);
    this.extraLimit = new Float64Array(ctx.meters.length);
    this.addonHas = new Uint8Array(n);
  }

  isPower(uid: number, ctx: WorldContext): boolean {
    // Derived from the id rather than stored: a power user stays one, and state stays small.
    const share = uid === 0 ? ctx.params.ownerPowerShare : ctx.params.powerUserShare;
    return (mixSeed(this.powerSalt, uid) % 1000) / 1000 < share;
  }

  mrr(ctx: WorldContext, plan = this.plan): number {
    const annual = ctx.mrrAnnual[plan];
    const base = this.interval === 'year' && annual !== null && annual !== undefined ? annual : (ctx.mrrMonthly[plan] ?? 0);
    if (!this.extrasEver) return base;
    const extras = this.interval === 'year' ? this.extrasAnnual / 12 : this.extrasMonthly;
    return Math.round((base + extras) * (1 - termDiscountPct(this, ctx) / 100));
  }
}

function drawShape(rng: Rng, ctx: WorldContext, archetype: Archetype, base: number): MeterShape {
  const p = ctx.params;
  let rate = 0;
  if (archetype === 'growing') rate = rng.range(p.growthRate[0], p.growthRate[1]);
  else if (archetype === 'declining') rate = -rng.range(p.declineRate[0], p.declineRate[1]);
  else if (archetype === 'steady') rate = rng.range(-p.steadyDrift, p.steadyDrift);
  return {
    archetype, base, rate,
    amplitude: archetype === 'seasonal' ? rng.range(p.seasonalAmplitude[0], p.seasonalAmplitude[1]) : 0,
    periodDays: p.seasonalPeriodDays,
    phase: archetype === 'seasonal' ? rng.float() : 0,
    spikeDay: archetype === 'spike' ? rng.int(Math.max(1, ctx.days)) : 0,
    spikeMagnitude: archetype === 'spike' ? rng.range(p.spikeMagnitude[0], p.spikeMagnitude[1]) : 0,
    spikeWidthDays: p.spikeWidthDays,
  };
}

export function companyName(rng: Rng): string {
  const a = rng.pick(SYLLABLES);
  const b = rng.pick(SYLLABLES);
  return `${a.charAt(0).toUpperCase()}${a.slice(1)}${b} ${rng.pick(SUFFIXES)}`;
}

export function createAccount(index: number, ctx: WorldContext): SimAccount {
  const acct = new SimAccount(index, ctx);
  const p = ctx.params;
  const rng = acct.rng;
  const top = ctx.plans.length - 1;
  acct.segment = SEGMENTS[rng.weighted(SEGMENTS.map((s) => p.segmentMix[s]))] ?? 'self_serve';
  const seg = acct.segment;
  const [eLo, eHi] = p.employees[seg];
  acct.employees = Math.round(rng.logUniform(eLo, eHi));
  acct.industry = rng.pick(INDUSTRIES);
  acct.name = companyName(rng);
  acct.tz = TIMEZONES[rng.weighted(TZ_WEIGHTS)] ?? 0;
  acct.powerSalt = rng.u32();
  if (rng.chance(p.csmShare[seg])) acct.csm = rng.pick(ctx.csms);
  if (rng.chance(p.aeShare[seg])) acct.ae = rng.pick(ctx.aes);
  acct.archetype = ARCHETYPES[rng.weighted(ARCHETYPES.map((a) => p.archetypeMix[a]))] ?? 'steady';

  // Needs: one size factor for the account, a per-meter spread on top; heavy-tailed (log-normal).
  const [anchorPlan, anchorShare] = p.needAnchor[seg];
  const size = rng.lognormal(1, p.sizeSigma);
  for (const m of ctx.meters) {
    const scale = m.scale[Math.min(anchorPlan, top)] ?? 1;
    const sigma = p.meterSigma[m.kind];
    let base = scale * anchorShare * size * rng.lognormal(1, sigma);
    let arche: Archetype = rng.chance(p.archetypeCoherence) ? acct.archetype : ARCHETYPES[rng.weighted(ARCHETYPES.map((a) => p.archetypeMix[a]))] ?? 'steady';
    if (m.kind === 'seats') {
      // A team neither spikes nor follows seasons here; it is at least one person and no more than the company.
      if (arche === 'spike' || arche === 'seasonal') arche = 'steady';
      base = Math.min(Math.max(1, base), acct.employees);
    }
    const shape = drawShape(rng, ctx, arche, base);
    acct.meters.push({
      shape, needStart: needAt(shape, 0), periodKey: -1, periodUsed: 0, level: -1, reportedDay: -100, exceeded: 0,
      recent: new Float32Array(m.kind === 'counter' ? 30 : 0),
    });
  }

  // Features: the latent need for a feature k tiers above the entry plan scales with the segment's appetite.
  const [aff1, aff2] = p.featureAffinity[seg];
  for (let f = 0; f < ctx.features.length; f++) {
    const tier = ctx.features[f]?.tier ?? 0;
    const aff = tier === 0 ? 1 : tier === 1 ? aff1 : aff2;
    acct.featureBase[f] = tier === 0 ? rng.range(0.3, 1) : Math.min(1, rng.float() * aff * 1.15);
    const grows = acct.archetype === 'growing' ? rng.range(0.3, 1.2) : acct.archetype === 'declining' ? -rng.range(0, 0.3) : rng.range(-0.05, 0.2);
    acct.featureSlope[f] = grows;
    acct.featureNeed[f] = acct.featureBase[f] ?? 0;
    acct.featureNeedStart[f] = acct.featureBase[f] ?? 0;
  }

  // Initial plan: the cheapest that fitted the needs when they bought, with some slack or tightness.
  const fit = rng.range(p.initialFit[0], p.initialFit[1]);
  const withFeatures = rng.chance(p.initialFeatureFit);
  acct.plan = top;
  for (let k = 0; k <= top; k++) {
    let ok = true;
    for (let i = 0; i < ctx.meters.length && ok; i++) {
      const lim = ctx.meters[i]?.limits[k] ?? 0;
      if ((acct.meters[i]?.needStart ?? 0) > fit * lim) ok = false;
    }
    if (ok && withFeatures) {
      for (let f = 0; f < ctx.features.length && ok; f++) {
        if ((acct.featureNeed[f] ?? 0) >= p.featureNeedThreshold && !ctx.planHas[k]?.[f]) ok = false;
      }
    }
    if (ok) { acct.plan = k; break; }
  }
  acct.planStart = acct.plan;

  acct.interval = rng.chance(p.annualShare[seg]) && ctx.mrrAnnual[acct.plan] !== null ? 'year' : 'month';
  let ageDays = Math.round(rng.range(p.customerAgeDays[0], p.customerAgeDays[1]));
  if (ctx.historyDays > 0) {
    // Everyone signed up inside the history, spread over it the way the ages spread (no extra draw,
    // so the account's stream stays the one it is without history).
    const [lo, hi] = p.customerAgeDays;
    const minAge = Math.min(30, ctx.historyDays);
    ageDays = Math.round(minAge + ((ageDays - lo) / Math.max(1, hi - lo)) * (ctx.historyDays - minAge));
  }
  acct.sinceMs = ctx.startMs - ageDays * DAY_MS;
  acct.billingDom = Math.min(28, new Date(acct.sinceMs).getUTCDate());
  if (acct.interval === 'year') {
    // The next anniversary of the contract on or after the start.
    const since = new Date(acct.sinceMs);
    let y = new Date(ctx.startMs).getUTCFullYear() - 1;
    let renewal = Date.UTC(y, since.getUTCMonth(), Math.min(28, since.getUTCDate()));
    while (renewal < ctx.startMs) renewal = Date.UTC(++y, since.getUTCMonth(), Math.min(28, since.getUTCDate()));
    acct.renewalMs = renewal;
    const day = Math.round((renewal - ctx.startMs) / DAY_MS);
    acct.renewalDay = day < ctx.days ? day : -1;
  }

  acct.health = acct.healthStart = acct.healthBase = rng.range(p.healthStart[0], p.healthStart[1]);

  const seatsIdx = ctx.seatsMeter;
  const teamNeed = seatsIdx >= 0 ? (acct.meters[seatsIdx]?.needStart ?? 1) : Math.max(1, Math.round(rng.lognormal(3, 0.6)));
  const seatLimit = seatsIdx >= 0 ? (ctx.meters[seatsIdx]?.limits[acct.plan] ?? Infinity) : Infinity;
  const team = Math.max(1, Math.min(Math.round(teamNeed), seatLimit));
  for (let u = 0; u < team; u++) {
    const uid = acct.nextUser++;
    acct.members.push(uid);
    acct.power.push(acct.isPower(uid, ctx));
  }
  acct.usersStart = team;
  return acct;
}

export const sinceDate = (acct: SimAccount): string => isoDate(acct.sinceMs);

/** The account's mail domain, under .example (RFC 2606) so that no demo message can reach anyone. */
export function mailDomain(name: string, n: number): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${slug || 'account'}-${n}.example`;
}

/** user<uid>@domain; the account's contact (its `email` trait) is its first user, the owner. */
export const userEmail = (acct: { index: number; name: string }, uid: number): string => `user${uid}@${mailDomain(acct.name, acct.index + 1)}`;
