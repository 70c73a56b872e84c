// The subscription ledger: subscription events as packed rows in typed arrays, kept grouped by
// account as they arrive (a chain of small blocks per account), so that the metrics pass reads
// numbers, not objects, and never has to sort ten million rows by account: scattering them into
// account order afterwards cost more than the whole computation. Bad input is reported
// here, with the event id, at the moment it is added: metrics never skip an event silently.
import type { SubscriptionEvent, SubscriptionStatus } from '../events/types.ts';

/** Status codes stored in the ledger. Only active and past_due carry MRR (ADR 0004). */
export const STATUS_CODE = { canceled: 0, trialing: 1, active: 2, past_due: 3 } as const satisfies Record<SubscriptionStatus, number>;

export type LedgerProblemCode = 'invalid_mrr' | 'invalid_ts' | 'invalid_status' | 'out_of_order' | 'unknown_plan' | 'currency_mismatch' | 'unresolved_discount';

/** What happens to an event with this problem: excluded from the figures, or used and only reported. */
export const PROBLEM_EFFECT: Record<LedgerProblemCode, 'excluded' | 'used'> = {
  invalid_mrr: 'excluded',
  invalid_ts: 'excluded',
  invalid_status: 'excluded',
  currency_mismatch: 'excluded',
  // Applied at its own ts, after the account's later events were read: the ledger sorts per account.
  out_of_order: 'used',
  // Revenue is revenue even on a plan the catalog does not know.
  unknown_plan: 'used',
  // The source could not see a discount (a Stripe id no event carried): its MRR is before it.
  unresolved_discount: 'used',
};

export interface LedgerProblemExample { id: string; account: string; message: string }

export interface LedgerProblem {
  code: LedgerProblemCode;
  effect: 'excluded' | 'used';
  count: number;
  /** the first few, with the event id (the count is exact, the list is capped) */
  examples: LedgerProblemExample[];
}

export interface LedgerOptions {
  /** plan ids of the catalog; a plan outside it is reported as unknown_plan */
  knownPlans?: ReadonlySet<string>;
  /** the configured currency (ISO code); an event whose extra.currency differs is excluded */
  currency?: string;
  /** examples kept per problem code (default 100) */
  maxExamples?: number;
}

/** Doubles per row: ts (epoch ms), mrr (cents a month, as sent), attrs (status, term, discount; see packAttrs). */
export const ROW = 3;

/** status (0-3) + 4 x term_months (0-65535) + 262144 x discount in basis points (0-10000): exact in a double. */
export function packAttrs(status: number, termMonths: number, discountPct: number): number {
  return status + 4 * Math.min(65_535, Math.max(0, Math.round(termMonths))) + 262_144 * Math.round(discountPct * 100);
}
export const attrStatus = (attrs: number): number => attrs % 4;
export const attrTerm = (attrs: number): number => Math.floor(attrs / 4) % 65_536;
export const attrDiscountPct = (attrs: number): number => Math.floor(attrs / 262_144) / 100;

/** Rows per block of an account's chain. */
export const BLOCK_ROWS = 4;
const BLOCK = BLOCK_ROWS * ROW;

/**
 * The rows grouped by account, each account's in ts order: account a's rows are in blocks
 * head[a] -> next[..] -> ... -> tail[a] of `pool` (BLOCK_ROWS rows of ROW doubles each; the tail
 * block holds tailFill[a] rows, the others are full; next is -1 at the end).
 */
export interface AccountGroups {
  accounts: number;
  pool: Float64Array;
  next: Int32Array;
  head: Int32Array;
  tail: Int32Array;
  tailFill: Uint8Array;
}

const MIN_TS = 0;
const MAX_TS = Date.UTC(3000, 0, 1);

function statusCode(status: string): number | undefined {
  switch (status) {
    case 'canceled': return STATUS_CODE.canceled;
    case 'trialing': return STATUS_CODE.trialing;
    case 'active': return STATUS_CODE.active;
    case 'past_due': return STATUS_CODE.past_due;
    default: return undefined;
  }
}

const INITIAL_CAPACITY = 1024;
const INITIAL_BLOCKS = 1024;

export class SubscriptionLedger {
  private pool = new Float64Array(INITIAL_BLOCKS * BLOCK);
  private next = new Int32Array(INITIAL_BLOCKS);
  private blocks = 0;
  private head = new Int32Array(INITIAL_CAPACITY);
  private tail = new Int32Array(INITIAL_CAPACITY);
  private tailFill = new Uint8Array(INITIAL_CAPACITY);
  size = 0;
  minTs = Infinity;
  maxTs = -Infinity;

  readonly accountIds: string[] = [];
  private readonly accountIndex = new Map<string, number>();
  /** per account: the latest ts added, and whether a row arrived before an earlier-added later one */
  private lastTs = new Float64Array(INITIAL_CAPACITY);
  private unsorted = new Uint8Array(INITIAL_CAPACITY);
  private readonly problemMap = new Map<LedgerProblemCode, LedgerProblem>();
  private readonly maxExamples: number;
  private readonly currency: string | undefined;

  constructor(private readonly options: LedgerOptions = {}) {
    this.maxExamples = options.maxExamples ?? 100;
    this.currency = options.currency?.toLowerCase();
  }

  get accounts(): number {
    return this.accountIds.length;
  }

  /** Adds one subscription event; returns false when it was excluded (and reported). */
  add(e: SubscriptionEvent): boolean {
    // Bounded so that one absurd date cannot make the month range (and the arrays) enormous.
    if (!Number.isFinite(e.ts) || e.ts < MIN_TS || e.ts >= MAX_TS) return this.report('invalid_ts', e, `ts must be a time between 1970 and 2999, got ${String(e.ts)}`);
    if (!Number.isSafeInteger(e.mrr) || e.mrr < 0) return this.report('invalid_mrr', e, `mrr must be a non-negative integer of cents, got ${String(e.mrr)}`);
    const code = statusCode(e.status);
    if (code === undefined) return this.report('invalid_status', e, `unknown status "${String(e.status)}"`);
    const cur = e.extra?.['currency'];
    if (this.currency !== undefined && typeof cur === 'string' && cur.toLowerCase() !== this.currency) {
      return this.report('currency_mismatch', e, `currency ${cur} is not the configured ${this.currency}`);
    }
    if (this.options.knownPlans && !this.options.knownPlans.has(e.plan)) this.report('unknown_plan', e, `plan "${e.plan}" is not in the catalog`);
    const unresolved = e.extra?.['unresolved_discounts'];
    if (Array.isArray(unresolved) && unresolved.length > 0) this.report('unresolved_discount', e, `discount ${unresolved.join(', ')} could not be resolved: MRR ${e.mrr} is before it`);

    let a = this.accountIndex.get(e.account);
    if (a === undefined) {
      a = this.accountIds.length;
      this.accountIndex.set(e.account, a);
      this.accountIds.push(e.account);
      if (a >= this.lastTs.length) this.growAccounts();
      this.lastTs[a] = e.ts;
      const b = this.allocBlock();
      this.head[a] = b;
      this.tail[a] = b;
      this.tailFill[a] = 0;
    } else if (e.ts < (this.lastTs[a] as number)) {
      this.unsorted[a] = 1;
      this.report('out_of_order', e, `ts ${new Date(e.ts).toISOString()} is earlier than an event of this account read before it`);
    } else {
      this.lastTs[a] = e.ts;
    }

    let b = this.tail[a] as number;
    let fill = this.tailFill[a] as number;
    if (fill === BLOCK_ROWS) {
      const nb = this.allocBlock();
      this.next[b] = nb;
      this.tail[a] = nb;
      b = nb;
      fill = 0;
    }
    const o = b * BLOCK + fill * ROW;
    this.tailFill[a] = fill + 1;
    this.size++;
    this.pool[o] = e.ts;
    this.pool[o + 1] = e.mrr;
    this.pool[o + 2] = packAttrs(code, e.term_months ?? 0, e.discount_pct ?? 0);
    if (e.ts < this.minTs) this.minTs = e.ts;
    if (e.ts > this.maxTs) this.maxTs = e.ts;
    return true;
  }

  problems(): LedgerProblem[] {
    return [...this.problemMap.values()];
  }

  /** The rows by account, after putting in ts order the accounts that received an event out of order. */
  groupByAccount(): AccountGroups {
    const accounts = this.accountIds.length;
    for (let a = 0; a < accounts; a++) {
      if (this.unsorted[a] !== 1) continue;
      this.sortAccount(a);
      this.unsorted[a] = 0;
    }
    return { accounts, pool: this.pool, next: this.next, head: this.head, tail: this.tail, tailFill: this.tailFill };
  }

  private allocBlock(): number {
    if (this.blocks === this.next.length) {
      this.next = grow(this.next, new Int32Array(this.next.length * 2));
      this.pool = grow(this.pool, new Float64Array(this.next.length * BLOCK));
    }
    const b = this.blocks++;
    this.next[b] = -1;
    return b;
  }

  /** Sorts one account's rows by ts, keeping read order among equal ts, in place along its chain. */
  private sortAccount(a: number): void {
    const slots: number[] = [];
    for (let b = this.head[a] as number; b !== -1; b = this.next[b] as number) {
      const n = b === this.tail[a] ? (this.tailFill[a] as number) : BLOCK_ROWS;
      for (let r = 0; r < n; r++) slots.push(b * BLOCK + r * ROW);
    }
    const pool = this.pool;
    const rows = slots.map((o, i) => ({ i, ts: pool[o] as number, mrr: pool[o + 1] as number, attrs: pool[o + 2] as number }));
    rows.sort((x, y) => x.ts - y.ts || x.i - y.i);
    rows.forEach((row, i) => {
      const o = slots[i] as number;
      pool[o] = row.ts; pool[o + 1] = row.mrr; pool[o + 2] = row.attrs;
    });
  }

  private report(code: LedgerProblemCode, e: SubscriptionEvent, message: string): false {
    let p = this.problemMap.get(code);
    if (!p) {
      p = { code, effect: PROBLEM_EFFECT[code], count: 0, examples: [] };
      this.problemMap.set(code, p);
    }
    p.count++;
    if (p.examples.length < this.maxExamples) p.examples.push({ id: e.id, account: e.account, message });
    return false;
  }

  private growAccounts(): void {
    const cap = this.lastTs.length * 2;
    this.lastTs = grow(this.lastTs, new Float64Array(cap));
    this.unsorted = grow(this.unsorted, new Uint8Array(cap));
    this.head = grow(this.head, new Int32Array(cap));
    this.tail = grow(this.tail, new Int32Array(cap));
    this.tailFill = grow(this.tailFill, new Uint8Array(cap));
  }
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
