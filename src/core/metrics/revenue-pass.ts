// The single pass behind the revenue metrics: for each account (its rows in ts order, along its
// chain of blocks in the ledger), walk its events once to take month-end snapshots into scratch arrays reused across
// accounts, then classify each month's movement and add it to per-month totals. Nothing is
// allocated per event; per account, only the scratch arrays are rewritten.
import { attrDiscountPct, attrStatus, attrTerm, BLOCK_ROWS, ROW, STATUS_CODE, type AccountGroups } from './ledger.ts';

export const MOVE = { none: 0, new: 1, expansion: 2, contraction: 3, churn: 4, reactivation: 5 } as const;
export type MoveCode = (typeof MOVE)[keyof typeof MOVE];

const TRIALING = STATUS_CODE.trialing;
const PAST_DUE = STATUS_CODE.past_due;
/** active (2) and past_due (3) carry MRR; trialing and canceled do not */
const FIRST_PAYING_STATUS = STATUS_CODE.active;
const DAY_MS = 86_400_000;

export interface PassSetup {
  /** month starts, epoch ms: bounds[k] opens month k; bounds[months] is Infinity */
  bounds: Float64Array;
  months: number;
  /** month indexes (relative to bounds) of the requested range, and of the last month with data */
  fromK: number;
  toK: number;
  dataLastK: number;
  /** multi-month periods as month-index ranges (inclusive); a month's cohort follows from its movements */
  periodFirst: Int32Array;
  periodLast: Int32Array;
  horizons: Int32Array;
  discountThresholdPct: number;
  multiYearMonths: number;
  visit?: (account: number, k: number, mrr: number, move: MoveCode, delta: number) => void;
}

/** Per-month sums (index k), per-period cohort sums, and the upsell figures. */
export class PassTotals {
  readonly newMrr: Float64Array; readonly expansionMrr: Float64Array; readonly reactivationMrr: Float64Array;
  readonly contractionMrr: Float64Array; readonly churnMrr: Float64Array; readonly endMrr: Float64Array;
  readonly newCount: Float64Array; readonly expansionCount: Float64Array; readonly reactivationCount: Float64Array;
  readonly contractionCount: Float64Array; readonly churnCount: Float64Array; readonly endCount: Float64Array;
  readonly pastDueMrr: Float64Array; readonly trialing: Float64Array;
  readonly cohortAccounts: Float64Array; readonly cohortStart: Float64Array; readonly cohortEnd: Float64Array; readonly cohortRetained: Float64Array;
  /** per horizon: [observations, still paying, MRR when observed, MRR h months later] for upsold and not upsold */
  readonly upsold: Float64Array; readonly notUpsold: Float64Array;
  readonly firstUpsellDays: number[] = [];
  expansions = 0; expansionSum = 0; discounted = 0; outsidePolicy = 0;
  readonly discountedByTerm = new Map<number, number>();

  constructor(months: number, periods: number, horizons: number) {
    const m = (): Float64Array => new Float64Array(months);
    this.newMrr = m(); this.expansionMrr = m(); this.reactivationMrr = m(); this.contractionMrr = m(); this.churnMrr = m(); this.endMrr = m();
    this.newCount = m(); this.expansionCount = m(); this.reactivationCount = m(); this.contractionCount = m(); this.churnCount = m(); this.endCount = m();
    this.pastDueMrr = m(); this.trialing = m();
    this.cohortAccounts = new Float64Array(periods); this.cohortStart = new Float64Array(periods);
    this.cohortEnd = new Float64Array(periods); this.cohortRetained = new Float64Array(periods);
    this.upsold = new Float64Array(horizons * 4); this.notUpsold = new Float64Array(horizons * 4);
  }
}

export function runPass(groups: AccountGroups, setup: PassSetup): PassTotals {
  const { bounds, months, fromK, toK, dataLastK, periodFirst, periodLast, horizons, visit } = setup;
  const totals = new PassTotals(months, periodFirst.length, horizons.length);
  const { accounts, pool, next: nextBlock, head, tail, tailFill } = groups;
  const block = BLOCK_ROWS * ROW;
  const upsold = totals.upsold;
  const notUpsold = totals.notUpsold;
  const nh = horizons.length;
  // Month-end snapshots of the current account; index k is the state at the end of month k.
  const snapMrr = new Float64Array(months);
  const snapStatus = new Uint8Array(months);
  /** packed status, term and discount (ledger.ts packAttrs), decoded only where used */
  const snapAttrs = new Float64Array(months);

  for (let a = 0; a < accounts; a++) {
    const first = head[a] as number;
    const last = tail[a] as number;
    if (first === last && tailFill[a] === 0) continue;
    const k0 = monthIndex(bounds, months, pool[first * block] as number);

    // 1. Walk the events, writing a snapshot at each month end crossed.
    let k = k0;
    let next = bounds[k + 1] as number;
    let cur = 0; let st = 0; let attrs = 0;
    // started: ts of the last 0 -> paying change this month; raised: of the first change above the
    // month's opening MRR. Kept only for the account's first paying month and first expansion month.
    let open = 0; let started = NaN; let raised = NaN;
    let since = NaN; let firstRaise = NaN; let paid = false; let expanded = false;
    for (let b = first; b !== -1; b = nextBlock[b] as number) {
      const end = b * block + (b === last ? (tailFill[a] as number) : BLOCK_ROWS) * ROW;
      for (let o = b * block; o < end; o += ROW) {
        const t = pool[o] as number;
        while (t >= next) {
          snapMrr[k] = cur; snapStatus[k] = st; snapAttrs[k] = attrs;
          if (cur > 0) {
            if (!paid) { paid = true; since = started; } else if (!expanded && open > 0 && cur > open) { expanded = true; firstRaise = raised; }
          }
          open = cur; started = NaN; raised = NaN;
          k++;
          next = bounds[k + 1] as number;
        }
        attrs = pool[o + 2] as number;
        const code = attrStatus(attrs);
        const m = code >= FIRST_PAYING_STATUS ? (pool[o + 1] as number) : 0;
        if (cur === 0 && m > 0) started = t;
        if (open > 0 && m > open && raised !== raised) raised = t;
        cur = m; st = code;
      }
    }
    snapMrr[k] = cur; snapStatus[k] = st; snapAttrs[k] = attrs;
    if (cur > 0) {
      if (!paid) since = started; else if (!expanded && open > 0 && cur > open) firstRaise = raised;
    }
    // After the last event the state holds; an account at 0 and not trialing contributes nothing more.
    const kEnd = cur > 0 || st === TRIALING ? months - 1 : k;
    for (let j = k + 1; j <= kEnd; j++) {
      snapMrr[j] = cur; snapStatus[j] = st; snapAttrs[j] = attrs;
    }

    // 2. Classify each month against the one before.
    let prev = 0; let paidBefore = false; let hasUpsold = false;
    for (let j = k0; j <= kEnd; j++) {
      const now = snapMrr[j] as number;
      let move: MoveCode = MOVE.none;
      if (prev === 0) {
        if (now > 0) {
          if (paidBefore) { move = MOVE.reactivation; add(totals.reactivationMrr, j, now); add(totals.reactivationCount, j, 1); }
          else { move = MOVE.new; add(totals.newMrr, j, now); add(totals.newCount, j, 1); }
        }
      } else if (now === 0) { move = MOVE.churn; add(totals.churnMrr, j, prev); add(totals.churnCount, j, 1); }
      else if (now > prev) { move = MOVE.expansion; add(totals.expansionMrr, j, now - prev); add(totals.expansionCount, j, 1); }
      else if (now < prev) { move = MOVE.contraction; add(totals.contractionMrr, j, prev - now); add(totals.contractionCount, j, 1); }

      if (now > 0) {
        add(totals.endMrr, j, now); add(totals.endCount, j, 1); paidBefore = true;
        if (snapStatus[j] === PAST_DUE) add(totals.pastDueMrr, j, now);
      } else if (snapStatus[j] === TRIALING) add(totals.trialing, j, 1);

      if (j >= fromK && j <= toK) {
        if (move === MOVE.expansion) {
          upsellFigures(totals, setup, now - prev, snapAttrs[j] as number);
          if (!hasUpsold && since === since) totals.firstUpsellDays.push((firstRaise - since) / DAY_MS);
          hasUpsold = true;
        }
        if (now > 0 && prev > 0) {
          // Retention h months on, for the upsold and (flat or contracting) not-upsold account-months.
          const acc = move === MOVE.expansion ? upsold : notUpsold;
          for (let h = 0; h < nh; h++) {
            const later = j + (horizons[h] as number);
            if (later > dataLastK) break;
            const then = later <= kEnd ? (snapMrr[later] as number) : 0;
            const o = h * 4;
            acc[o] = (acc[o] as number) + 1;
            if (then > 0) acc[o + 1] = (acc[o + 1] as number) + 1;
            acc[o + 2] = (acc[o + 2] as number) + now;
            acc[o + 3] = (acc[o + 3] as number) + then;
          }
        }
        if (visit && (now > 0 || move !== MOVE.none)) visit(a, j, now, move, now - prev);
      } else if (move === MOVE.expansion) {
        hasUpsold = true;
      }
      prev = now;
    }

    // 3. Cohorts: paying at the end of the month before the period, followed to its last month.
    for (let p = 0; p < periodFirst.length; p++) {
      const startJ = (periodFirst[p] as number) - 1;
      if (startJ < k0 || startJ > kEnd) continue;
      const start = snapMrr[startJ] as number;
      if (start === 0) continue;
      const endJ = periodLast[p] as number;
      const end = endJ <= kEnd ? (snapMrr[endJ] as number) : 0;
      add(totals.cohortAccounts, p, 1);
      add(totals.cohortStart, p, start);
      add(totals.cohortEnd, p, end);
      add(totals.cohortRetained, p, end < start ? end : start);
    }
  }
  return totals;
}

function upsellFigures(totals: PassTotals, setup: PassSetup, delta: number, attrs: number): void {
  const disc = attrDiscountPct(attrs);
  const trm = attrTerm(attrs);
  totals.expansions++;
  totals.expansionSum += delta;
  if (disc > setup.discountThresholdPct) {
    totals.discounted++;
    totals.discountedByTerm.set(trm, (totals.discountedByTerm.get(trm) ?? 0) + 1);
    if (trm < setup.multiYearMonths) totals.outsidePolicy++;
  }
}

/** xs[k] += v, for typed arrays under noUncheckedIndexedAccess (V8 inlines it). */
function add(xs: Float64Array, k: number, v: number): void {
  xs[k] = (xs[k] as number) + v;
}

/** The largest k with bounds[k] <= t (bounds ascending, t >= bounds[0]). */
function monthIndex(bounds: Float64Array, months: number, t: number): number {
  let lo = 0; let hi = months - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((bounds[mid] as number) <= t) lo = mid; else hi = mid - 1;
  }
  return lo;
}
