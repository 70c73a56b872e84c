// Per-account numeric summaries in typed arrays (struct of arrays), one row per account slot, so a
// full rescore reads numbers and touches no account object (docs/adr/0015-columnar-rescore.md).
// A row holds what the detectors say on one day; the signals that move within a day (renewal,
// NPS age, offer cooldown) and the one that depends on every account (power users, through the
// plan profiles) are kept as their inputs and decided by the kernel at its `now`.
import { DETECTORS } from '../signals/registry.ts';
import type { Signal, SignalContext } from '../signals/types.ts';
import { DAY_MS } from '../state/time.ts';
import { USER_CAP, type AccountState } from '../state/types.ts';
import { activeDays, events28 } from '../state/users.ts';
import { activeUsersOf, adoptionOf, prepare, stageFor, type EvalEnv } from './evaluate.ts';
import { evBin } from './profile.ts';
import type { SignalId } from './settings.ts';
import { STAGES } from './stage.ts';

/** The detectors in registry order: the score adds their points in this order, as scoreOf does (at most 31: a row's firing signals are a bitmask). */
export const SIGNAL_ORDER: readonly SignalId[] = DETECTORS.map((d) => d.id);
export const NSIG = SIGNAL_ORDER.length;
export const SIG = Object.fromEntries(SIGNAL_ORDER.map((id, i) => [id, i])) as Record<SignalId, number>;
/** decided at the kernel's `now`, not stored as strengths */
const LIVE = new Set<SignalId>(['power_users', 'renewal_window', 'low_nps', 'offer_declined']);
const DAY_DETECTORS = DETECTORS.filter((d) => !LIVE.has(d.id));

export const F_CANCELED = 1;
export const F_HAS_TARGET = 2;
/** the usage-ceiling signal fires and its latest jump is a one-day spike */
export const F_SPIKE = 4;
export const F_YEARLY = 8;

export class ScoreColumns {
  capacity = 0;
  /** the day each row was extracted for (-1: empty) */
  day = new Int32Array(0);
  /** strength of each day-decided signal, 0 when it does not fire: str[slot * NSIG + SIG[id]] */
  str = new Float64Array(0);
  flags = new Uint8Array(0);
  /** share of the plan's features used; NaN when the product sends no feature telemetry */
  adoption = new Float64Array(0);
  /** the stage when power users are dense, and when they are not (the only live input stage reads) */
  stageDense = new Uint8Array(0);
  stageSparse = new Uint8Array(0);
  /** index in catalog.plans of the account's own plan (whose profile its users feed) and of the next plan; -1 none */
  planIdx = new Int16Array(0);
  nextIdx = new Int16Array(0);
  /** active users and, for each, active days in 28, events in 4 weeks and the profile's event bin */
  nActive = new Uint8Array(0);
  uDays = new Uint8Array(0);
  uEvents = new Int32Array(0);
  uBin = new Uint8Array(0);
  nps = new Float64Array(0);
  npsTs = new Float64Array(0);
  lastDeclineTs = new Float64Array(0);
  lastConvertTs = new Float64Array(0);
  renewalTs = new Float64Array(0);
  anchorTs = new Float64Array(0);

  constructor(capacity = 1024) { this.grow(capacity); }

  grow(min: number): void {
    if (min <= this.capacity) return;
    const cap = Math.max(min, this.capacity * 2);
    const re = <T extends Int32Array | Float64Array | Uint8Array | Int16Array>(a: T, per = 1): T => {
      const b = new (a.constructor as new (n: number) => T)(cap * per);
      b.set(a);
      return b;
    };
    const oldCap = this.capacity;
    this.day = re(this.day); this.day.fill(-1, oldCap);
    this.str = re(this.str, NSIG); this.flags = re(this.flags); this.adoption = re(this.adoption);
    this.stageDense = re(this.stageDense); this.stageSparse = re(this.stageSparse);
    this.planIdx = re(this.planIdx); this.nextIdx = re(this.nextIdx);
    this.nActive = re(this.nActive); this.uDays = re(this.uDays, USER_CAP); this.uEvents = re(this.uEvents, USER_CAP); this.uBin = re(this.uBin, USER_CAP);
    this.nps = re(this.nps); this.npsTs = re(this.npsTs); this.lastDeclineTs = re(this.lastDeclineTs); this.lastConvertTs = re(this.lastConvertTs);
    this.renewalTs = re(this.renewalTs); this.anchorTs = re(this.anchorTs);
    this.capacity = cap;
  }

  /** every per-row array with its width (values per row) */
  private rows(): [Int32Array | Float64Array | Uint8Array | Int16Array, number][] {
    return [
      [this.day, 1], [this.str, NSIG], [this.flags, 1], [this.adoption, 1], [this.stageDense, 1], [this.stageSparse, 1], [this.planIdx, 1], [this.nextIdx, 1],
      [this.nActive, 1], [this.uDays, USER_CAP], [this.uEvents, USER_CAP], [this.uBin, USER_CAP],
      [this.nps, 1], [this.npsTs, 1], [this.lastDeclineTs, 1], [this.lastConvertTs, 1], [this.renewalTs, 1], [this.anchorTs, 1],
    ];
  }

  /** Copies row `from` over row `to` (an engine closing the gaps its forgotten accounts left). */
  move(from: number, to: number): void {
    if (from === to) return;
    for (const [a, w] of this.rows()) a.copyWithin(to * w, from * w, from * w + w);
  }

  /** Copies `src`'s rows `slots` over this one's (an engine taking rows extracted ahead of the day). */
  copyRows(src: ScoreColumns, slots: readonly number[]): void {
    if (slots.length === 0) return;
    const from = src.rows();
    const to = this.rows();
    for (let k = 0; k < to.length; k++) {
      const [a, w] = to[k]!;
      const b = from[k]![0];
      for (const slot of slots) a.set(b.subarray(slot * w, slot * w + w), slot * w);
    }
  }
}

/** stands in for a dense power-users signal: stageOf reads only these two figures of it */
const DENSE: Signal = { id: 'power_users', kind: 'positive', strength: 1, evidence: { powerUsers: Number.MAX_SAFE_INTEGER, density: Number.POSITIVE_INFINITY, sentence: '' } };

/**
 * Writes account `s`'s row for `today`: run again when the state changes (a fold) or the day moves.
 * It runs the same detectors evaluate() runs, so a row says what they say.
 */
export function extractRow(cols: ScoreColumns, slot: number, s: AccountState, env: EvalEnv, today: number): void {
  cols.grow(slot + 1);
  const { catalog, settings } = env;
  const p = prepare(s, env, today);
  const ctx: SignalContext = { state: s, catalog, plan: p.plan, nextPlan: p.nextPlan, now: today * DAY_MS, today, settings, profiles: undefined, meters: p.meters };
  const base = slot * NSIG;
  cols.str.fill(0, base, base + NSIG);
  const signals: Signal[] = [];
  let flags = 0;
  for (const d of DAY_DETECTORS) {
    const sig = d.detect(ctx);
    if (!sig || !(sig.strength > 0)) continue;
    signals.push(sig);
    cols.str[base + SIG[sig.id]] = sig.strength;
    if (sig.id === 'usage_ceiling' && sig.evidence['spike'] === true) flags |= F_SPIKE;
  }
  if (s.status === 'canceled') flags |= F_CANCELED;
  if (p.hasTarget) flags |= F_HAS_TARGET;
  if (s.interval === 'year') flags |= F_YEARLY;
  cols.flags[slot] = flags;
  const adoption = adoptionOf(s, p.plan, today, settings.scoring.adoptionWindowDays);
  cols.adoption[slot] = adoption ?? Number.NaN;
  const activeUsers = activeUsersOf(s, today);
  cols.stageSparse[slot] = STAGES.indexOf(stageFor(s, env, today, signals, activeUsers, adoption).stage);
  cols.stageDense[slot] = STAGES.indexOf(stageFor(s, env, today, [...signals, DENSE], activeUsers, adoption).stage);
  cols.planIdx[slot] = s.plan ? catalog.plans.findIndex((x) => x.id === s.plan) : -1;
  cols.nextIdx[slot] = p.nextPlan ? catalog.plans.findIndex((x) => x.id === p.nextPlan!.id) : -1;
  let n = 0;
  const ub = slot * USER_CAP;
  for (const u of s.users) {
    const d = activeDays(u, today);
    if (d === 0) continue;
    if (n === USER_CAP) throw new Error(`account ${s.account} holds more than ${USER_CAP} users`);
    const e = events28(u, today);
    cols.uDays[ub + n] = d;
    cols.uEvents[ub + n] = e;
    cols.uBin[ub + n] = evBin(e);
    n++;
  }
  cols.nActive[slot] = n;
  cols.nps[slot] = s.nps;
  cols.npsTs[slot] = s.npsTs;
  cols.lastDeclineTs[slot] = s.lastDeclineTs;
  cols.lastConvertTs[slot] = s.lastConvertTs;
  cols.renewalTs[slot] = s.renewalTs;
  cols.anchorTs[slot] = s.anchorTs;
  cols.day[slot] = today;
}
