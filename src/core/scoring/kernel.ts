// The full rescore over columns: plan profiles, then every row's score, stage, readiness and
// priority in one pass over typed arrays. The same numbers evaluate() gives (the columns test holds
// it to that); the explanations (sentences, checks, evidence) stay with evaluate(), per account.
import type { Catalog } from '../catalog/types.ts';
import { clamp01, round2, type PlanProfile, type PlanProfiles } from '../signals/types.ts';
import { periodAt } from '../state/billing-period.ts';
import { DAY_MS, dayOf } from '../state/time.ts';
import { USER_CAP } from '../state/types.ts';
import { F_CANCELED, F_HAS_TARGET, F_SPIKE, F_YEARLY, NSIG, SIG, SIGNAL_ORDER, type ScoreColumns } from './columns.ts';
import { binLow, EV_BINS } from './profile.ts';
import { TIER_SPAN } from './priority.ts';
import { DETECTORS } from '../signals/registry.ts';
import type { EngineSettings } from './settings.ts';

/** what the powerUsers detector needs before it trusts a plan's profile over the configured floor */
const MIN_PROFILE_USERS = 30;

export interface KernelOut {
  score: Uint8Array;
  /** index in STAGES */
  stage: Uint8Array;
  ready: Uint8Array;
  /** index in PRIORITY_TIERS (priority.ts) */
  tier: Uint8Array;
  priority: Float64Array;
  /** the firing signals, bit SIG[id] (registry order): what the positive signal ids are rebuilt from */
  fires: Uint32Array;
}

export const kernelOut = (n: number): KernelOut => ({
  score: new Uint8Array(n), stage: new Uint8Array(n), ready: new Uint8Array(n), tier: new Uint8Array(n), priority: new Float64Array(n), fires: new Uint32Array(n),
});

/** `out` with room for `n` rows, the rows it holds kept (a new object when it grows). */
export function growKernelOut(out: KernelOut, n: number): KernelOut {
  if (out.score.length >= n) return out;
  const next = kernelOut(Math.max(n, out.score.length * 2));
  next.score.set(out.score); next.stage.set(out.stage); next.ready.set(out.ready); next.tier.set(out.tier); next.priority.set(out.priority); next.fires.set(out.fires);
  return next;
}

/** The ProfileBuilder's medians from the rows' active users, for the catalog's plans (the only ones a next plan can be). */
export function profilesFromColumns(cols: ScoreColumns, n: number, catalog: Catalog): PlanProfiles {
  const P = catalog.plans.length;
  const users = new Float64Array(P);
  const seen = new Uint8Array(P);
  const days = new Float64Array(P * 29);
  const ev = new Float64Array(P * EV_BINS);
  for (let i = 0; i < n; i++) {
    const p = cols.planIdx[i]!;
    if (p < 0) continue;
    seen[p] = 1;
    const k = cols.nActive[i]!;
    users[p]! += k;
    const ub = i * USER_CAP;
    for (let j = 0; j < k; j++) { days[p * 29 + cols.uDays[ub + j]!]! += 1; ev[p * EV_BINS + cols.uBin[ub + j]!]! += 1; }
  }
  const median = (h: Float64Array, off: number, len: number, m: number): number => {
    let c = 0;
    for (let i = 0; i < len; i++) { c += h[off + i]!; if (c * 2 >= m) return i; }
    return -1;
  };
  const out: PlanProfiles = {};
  for (let p = 0; p < P; p++) {
    if (!seen[p]) continue;
    const m = users[p]!;
    const d = median(days, p * 29, 29, m);
    const e = median(ev, p * EV_BINS, EV_BINS, m);
    out[catalog.plans[p]!.id] = { users: m, activeDays: d < 0 ? 0 : d, events: e < 0 ? 0 : binLow(e) };
  }
  return out;
}

/**
 * Scores rows [0, n) at `now`, or with `slots` the rows slots[0..n) (an engine's changed accounts);
 * out[row] gets each row's numbers. Every row scored must have been extracted for dayOf(now) (else
 * it throws: a stale row would give yesterday's windows). Profiles come from rows [0, n) unless
 * given ({} means none: the configured floors, as evaluate() without profiles); with `slots` they
 * must be given. Not for a model-ranked engine: propensity needs the per-account feature vector (evaluate()).
 */
export function rescoreColumns(cols: ScoreColumns, n: number, env: { catalog: Catalog; settings: EngineSettings; profiles?: PlanProfiles | undefined }, now: number, out: KernelOut, slots?: Int32Array): PlanProfiles {
  const { catalog, settings } = env;
  const today = dayOf(now);
  if (slots && !env.profiles) throw new Error('scoring chosen rows needs the profiles: they come from every row');
  const profiles = env.profiles ?? profilesFromColumns(cols, n, catalog);
  const sc = settings.scoring;
  const sg = settings.signals;
  // points per unit strength, signed, in registry order
  const w = new Float64Array(NSIG);
  for (let k = 0; k < NSIG; k++) {
    const id = SIGNAL_ORDER[k]!;
    w[k] = (DETECTORS[k]!.kind === 'negative' ? -1 : 1) * (sc.weights[id] ?? 0);
  }
  let disq = 0;
  for (const id of sc.disqualifiers) disq |= 1 << SIG[id];
  const POS_MASK = (1 << SIG.usage_ceiling) | (1 << SIG.limit_exceeded) | (1 << SIG.feature_gate) | (1 << SIG.power_users) | (1 << SIG.org_growth) | (1 << SIG.premium_adoption) | (1 << SIG.feature_request);
  const SPIKE_ONLY = (1 << SIG.usage_ceiling) | (1 << SIG.limit_exceeded);
  // the power-user bars of each next plan (catalog index)
  const pu = sg.powerUsers;
  const barDays = new Float64Array(catalog.plans.length + 1);
  const barEvents = new Float64Array(catalog.plans.length + 1);
  for (let p = -1; p < catalog.plans.length; p++) {
    const prof: PlanProfile | undefined = p >= 0 ? profiles[catalog.plans[p]!.id] : undefined;
    const use = prof !== undefined && prof.users >= MIN_PROFILE_USERS;
    barDays[p + 1] = Math.max(pu.minActiveDays, use ? prof.activeDays : 0);
    barEvents[p + 1] = Math.max(pu.minEvents, use ? prof.events : 0);
  }
  const rw = sg.renewalWindow;
  const nps = sg.lowNps;
  const cool = sg.offerDeclined.cooldownDays;
  const str = cols.str;
  const live = new Float64Array(NSIG);
  for (let r = 0; r < n; r++) {
    const i = slots ? slots[r]! : r;
    if (cols.day[i] !== today) throw new Error(`row ${i} was extracted for day ${cols.day[i]}, not ${today}`);
    const flags = cols.flags[i]!;
    // power users, against the next plan's profile
    live[SIG.power_users] = 0;
    let dense = false;
    const active = cols.nActive[i]!;
    if (active > 0) {
      const q = cols.nextIdx[i]! + 1;
      const bd = barDays[q]!;
      const be = barEvents[q]!;
      let power = 0;
      const ub = i * USER_CAP;
      for (let j = 0; j < active; j++) if (cols.uDays[ub + j]! >= bd && cols.uEvents[ub + j]! >= be) power++;
      if (power >= pu.minUsers) {
        const density = power / active;
        live[SIG.power_users] = round2(clamp01(0.4 + 0.6 * Math.min(1, density / pu.strongDensity)));
        dense = power >= 2 && round2(density) >= pu.strongDensity;
      }
    }
    // renewal in 60-90 days (nextRenewal)
    live[SIG.renewal_window] = 0;
    const rts = cols.renewalTs[i]!;
    const at = rts > now ? rts
      : (flags & F_YEARLY) !== 0 && cols.anchorTs[i]! > 0 && (flags & F_CANCELED) === 0 ? periodAt(cols.anchorTs[i]!, 'year', now).end : -1;
    if (at >= 0) {
      const days = Math.floor((at - now) / DAY_MS);
      if (days >= rw.minDays && days <= rw.maxDays) live[SIG.renewal_window] = 1;
    }
    // a detractor's NPS answer, recent enough
    live[SIG.low_nps] = 0;
    const v = cols.nps[i]!;
    if (v >= 0 && v <= nps.max && Math.floor((now - cols.npsTs[i]!) / DAY_MS) <= nps.maxAgeDays) live[SIG.low_nps] = round2((nps.max + 1 - v) / (nps.max + 1));
    // an offer declined inside the cooldown
    live[SIG.offer_declined] = 0;
    const dts = cols.lastDeclineTs[i]!;
    if (dts !== 0 && dts >= cols.lastConvertTs[i]!) {
      const ago = Math.floor((now - dts) / DAY_MS);
      if (ago >= 0 && ago < cool) live[SIG.offer_declined] = 1;
    }
    // the score: each firing signal's rounded points, added in registry order as scoreOf adds them
    const base = i * NSIG;
    let raw = 0;
    let fires = 0;
    for (let k = 0; k < NSIG; k++) {
      const s = k === SIG.power_users || k === SIG.renewal_window || k === SIG.low_nps || k === SIG.offer_declined ? live[k]! : str[base + k]!;
      if (s > 0) { raw += Math.round(w[k]! * s * 10) / 10; fires |= 1 << k; }
    }
    const score = Math.round(Math.max(0, Math.min(100, raw)));
    // qualification and priority (qualify, priorityOf)
    const canceled = (flags & F_CANCELED) !== 0;
    const goodStanding = (fires & (1 << SIG.past_due)) === 0 && !canceled;
    const noCritical = (fires & (1 << SIG.critical_ticket)) === 0;
    const positives = fires & POS_MASK;
    const onlySpike = (flags & F_SPIKE) !== 0 && (positives & ~SPIKE_ONLY) === 0;
    const trendUp = positives !== 0 && !onlySpike && (fires & (1 << SIG.declining_usage)) === 0;
    const a = cols.adoption[i]!;
    const adoptionOk = Number.isNaN(a) || a >= sc.minAdoption;
    const noCooldown = (fires & (1 << SIG.offer_declined)) === 0;
    const hasTarget = (flags & F_HAS_TARGET) !== 0;
    const scoreOk = score >= sc.readyScore;
    const disqualified = (fires & disq) !== 0;
    const ready = goodStanding && noCritical && trendUp && adoptionOk && noCooldown && hasTarget && scoreOk && !disqualified;
    const tier = canceled || !hasTarget ? 0 : !goodStanding || !noCritical || !noCooldown || disqualified ? 1 : ready ? 3 : 2;
    out.score[i] = score;
    out.stage[i] = dense ? cols.stageDense[i]! : cols.stageSparse[i]!;
    out.ready[i] = ready ? 1 : 0;
    out.tier[i] = tier;
    out.priority[i] = tier * TIER_SPAN + score;
    out.fires[i] = fires;
  }
  return profiles;
}
