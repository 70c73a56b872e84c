// The world as a stream: a bootstrap chunk (every account's traits, then plans, teams and
// levels), then one chunk per day with all accounts' events of that day in time order.
// Memory is the accounts' state plus one day of lines, whatever the number of days.
// A world can also run as parts (contiguous account ranges, e.g. one per worker thread): every
// account owns its PRNG stream, so a part's accounts behave exactly as in the whole world, and
// merging the parts' steps by second (ties in part order) gives the whole world's bytes.
import { createAccount, type SimAccount } from './account.ts';
import { simDay, utcMidnight } from './calendar.ts';
import { buildContext, type WorldContext, type WorldOptions } from './context.ts';
import { DayBuffer, Emitter } from './emit.ts';
import { bootstrapAccount, stepAccount } from './step.ts';
import { worldHistory } from './history.ts';
import { accountTruth } from './truth.ts';
import type { AccountTruth } from './types.ts';

export type { WorldOptions } from './context.ts';
export { DayBuffer } from './emit.ts';

export interface WorldChunk {
  /** HISTORY_STEP for the subscription history (only with historyDays), -1 for the bootstrap chunk, then the day index */
  day: number;
  /** NDJSON bytes, each line ending in a newline; a view that is reused for the next chunk */
  data: Buffer;
  events: number;
}

export interface World {
  readonly context: WorldContext;
  readonly accounts: readonly SimAccount[];
  /** Runs the world; each chunk must be consumed before the next is produced. */
  chunks(): Generator<WorldChunk>;
  /** The ground truth, one record per account; call after chunks() is exhausted. */
  truth(): Generator<AccountTruth>;
}

/** One step of a part: its lines are in `buffer`, unsorted, to be drained or scattered before the next. */
export interface PartStep {
  /** TRAITS_STEP, BOOTSTRAP_STEP, then the day index */
  day: number;
  buffer: DayBuffer;
  events: number;
}

/** the subscription history before day 0 (with historyDays > 0): history.ts */
export const HISTORY_STEP = -3;
/** every account's `account` traits, all at second 0 of day 0 */
export const TRAITS_STEP = -2;
/** then every account's plan, team, integrations and levels, also at second 0 */
export const BOOTSTRAP_STEP = -1;

export interface WorldPart {
  readonly context: WorldContext;
  readonly accounts: readonly SimAccount[];
  steps(): Generator<PartStep>;
  truth(): Generator<AccountTruth>;
}

export function validateWorldOptions(opts: WorldOptions): void {
  if (!Number.isInteger(opts.accounts) || opts.accounts < 1) throw new RangeError('accounts must be a positive integer');
  if (!Number.isInteger(opts.days) || opts.days < 1) throw new RangeError('days must be a positive integer');
  if (!Number.isInteger(opts.seed)) throw new RangeError('seed must be an integer');
  if (!Number.isFinite(opts.startMs)) throw new RangeError('start must be a valid instant');
  if (opts.historyDays !== undefined && !(Number.isInteger(opts.historyDays) && opts.historyDays >= 0)) throw new RangeError('historyDays must be a whole number of days >= 0');
}

/** The whole world's subscription history before day 0 (empty without historyDays), for writers that run the days in parts. */
export function historyOf(opts: WorldOptions): { data: Buffer; events: number } {
  validateWorldOptions(opts);
  const ctx = buildContext({ ...opts, startMs: utcMidnight(opts.startMs) });
  if (ctx.historyDays <= 0) return { data: Buffer.alloc(0), events: 0 };
  const accounts: SimAccount[] = [];
  for (let i = 0; i < opts.accounts; i++) accounts.push(createAccount(i, ctx));
  return worldHistory(accounts, ctx, opts.accounts);
}

/** Accounts [from, to) of the world `opts` describes. */
export function createWorldPart(opts: WorldOptions, from = 0, to = opts.accounts): WorldPart {
  validateWorldOptions(opts);
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= opts.accounts)) {
    throw new RangeError(`bad account range [${from}, ${to}) of ${opts.accounts}`);
  }
  const ctx = buildContext({ ...opts, startMs: utcMidnight(opts.startMs) });
  const accounts: SimAccount[] = [];
  for (let i = from; i < to; i++) accounts.push(createAccount(i, ctx));
  let ran = false;
  return {
    context: ctx,
    accounts,
    *steps() {
      if (ran) throw new Error('a world runs once');
      ran = true;
      const buffer = new DayBuffer();
      const em = new Emitter(buffer, ctx.seed);
      em.setDay(simDay(ctx.startMs, 0).prefix);
      let before = 0;
      const step = (day: number): PartStep => {
        const events = em.count - before;
        before = em.count;
        return { day, buffer, events };
      };
      for (const a of accounts) bootstrapAccount(a, ctx, em, 0);
      yield step(TRAITS_STEP);
      for (const a of accounts) bootstrapAccount(a, ctx, em, 1);
      yield step(BOOTSTRAP_STEP);
      for (let d = 0; d < ctx.days; d++) {
        const day = simDay(ctx.startMs, d);
        em.setDay(day.prefix);
        for (const a of accounts) stepAccount(a, ctx, day, em);
        yield step(d);
      }
    },
    *truth() {
      for (const a of accounts) yield accountTruth(a, ctx);
    },
  };
}

export function createWorld(opts: WorldOptions): World {
  const part = createWorldPart(opts);
  // before the first step: the history starts from the accounts as they are on day 0
  const history = worldHistory(part.accounts, part.context, opts.accounts);
  return {
    context: part.context,
    accounts: part.accounts,
    *chunks() {
      if (history.events > 0) yield { day: HISTORY_STEP, data: history.data, events: history.events };
      let traits = 0;
      for (const s of part.steps()) {
        // The traits stay buffered: every bootstrap line is at second 0, so they drain together.
        if (s.day === TRAITS_STEP) { traits = s.events; continue; }
        yield { day: s.day, data: s.buffer.drain(), events: s.events + (s.day === BOOTSTRAP_STEP ? traits : 0) };
      }
    },
    truth: () => part.truth(),
  };
}

/** A whole small world in memory, for tests and the demo: events as NDJSON text and the truth records. */
export function simulateInMemory(opts: WorldOptions): { events: string; truth: AccountTruth[]; eventCount: number } {
  const world = createWorld(opts);
  const parts: string[] = [];
  let eventCount = 0;
  for (const c of world.chunks()) { parts.push(c.data.toString('utf8')); eventCount += c.events; }
  return { events: parts.join(''), truth: [...world.truth()], eventCount };
}
