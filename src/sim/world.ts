// The world as a stream: a bootstrap chunk (every account's traits, then plans, teams and
// levels), then one chunk per day with all accounts' events of that day in time order.
// Memory is the accounts' state plus one day of lines, whatever the number of days.
import { createAccount, type SimAccount } from './account.ts';
import { simDay, utcMidnight } from './calendar.ts';
import { buildContext, type WorldContext, type WorldOptions } from './context.ts';
import { DayBuffer, Emitter } from './emit.ts';
import { bootstrapAccount, stepAccount } from './step.ts';
import { accountTruth } from './truth.ts';
import type { AccountTruth } from './types.ts';

export type { WorldOptions } from './context.ts';

export interface WorldChunk {
  /** -1 for the bootstrap chunk, then the day index */
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

export function validateWorldOptions(opts: WorldOptions): void {
  if (!Number.isInteger(opts.accounts) || opts.accounts < 1) throw new RangeError('accounts must be a positive integer');
  if (!Number.isInteger(opts.days) || opts.days < 1) throw new RangeError('days must be a positive integer');
  if (!Number.isInteger(opts.seed)) throw new RangeError('seed must be an integer');
  if (!Number.isFinite(opts.startMs)) throw new RangeError('start must be a valid instant');
}

export function createWorld(opts: WorldOptions): World {
  validateWorldOptions(opts);
  const ctx = buildContext({ ...opts, startMs: utcMidnight(opts.startMs) });
  const accounts: SimAccount[] = [];
  for (let i = 0; i < opts.accounts; i++) accounts.push(createAccount(i, ctx));
  let ran = false;
  return {
    context: ctx,
    accounts,
    *chunks() {
      if (ran) throw new Error('a world runs once');
      ran = true;
      const buffer = new DayBuffer(ctx.ascii);
      const em = new Emitter(buffer);
      const day0 = simDay(ctx.startMs, 0);
      em.setDay(day0.prefix);
      for (const a of accounts) bootstrapAccount(a, ctx, em, 0);
      for (const a of accounts) bootstrapAccount(a, ctx, em, 1);
      let before = em.count;
      yield { day: -1, data: buffer.drain(), events: before };
      for (let d = 0; d < ctx.days; d++) {
        const day = simDay(ctx.startMs, d);
        em.setDay(day.prefix);
        for (const a of accounts) stepAccount(a, ctx, day, em);
        const n = em.count - before;
        before = em.count;
        yield { day: d, data: buffer.drain(), events: n };
      }
    },
    *truth() {
      for (const a of accounts) yield accountTruth(a, ctx);
    },
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
