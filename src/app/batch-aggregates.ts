// What one batch of newly stored events changes in the accounts and usage_daily aggregates.
// Shared by every store so that they all aggregate alike.
import type { AccountTraits, TierwiseEvent } from '../core/events/types.ts';
import type { UsageDay } from './ports.ts';

export interface AccountDelta {
  id: string;
  firstSeen: number;
  lastSeen: number;
  /** the newest `account` traits in the batch, with their ts */
  traits?: AccountTraits;
  traitsTs?: number;
}

/** A batch's contribution to one usage_daily row: the same shape as the row. */
export type UsageDelta = UsageDay;

export const DAY_MS = 86_400_000;

export function dayKey(ts: number): string {
  return new Date(ts - (ts % DAY_MS)).toISOString().slice(0, 10);
}

export class BatchAggregates {
  readonly accounts = new Map<string, AccountDelta>();
  readonly usage = new Map<string, UsageDelta>();
  // Events come mostly in time order: the last day's key is reused instead of formatting a Date per event.
  private dayStart = Number.NaN;
  private day = '';

  add(e: TierwiseEvent): void {
    let a = this.accounts.get(e.account);
    if (!a) {
      a = { id: e.account, firstSeen: e.ts, lastSeen: e.ts };
      this.accounts.set(e.account, a);
    } else {
      if (e.ts < a.firstSeen) a.firstSeen = e.ts;
      if (e.ts > a.lastSeen) a.lastSeen = e.ts;
    }
    if (e.type === 'account') {
      if (a.traitsTs === undefined || e.ts >= a.traitsTs) {
        a.traits = { ...a.traits, ...e.traits };
        a.traitsTs = e.ts;
      } else {
        a.traits = { ...e.traits, ...a.traits };
      }
    } else if (e.type === 'usage') {
      const start = e.ts - (e.ts % DAY_MS);
      if (start !== this.dayStart) {
        this.dayStart = start;
        this.day = dayKey(e.ts);
      }
      const day = this.day;
      const key = `${e.account}\u0000${e.meter}\u0000${day}`;
      const u = this.usage.get(key);
      if (!u) {
        this.usage.set(key, { account: e.account, meter: e.meter, day, sum: e.quantity, last: e.quantity, lastTs: e.ts, events: 1 });
      } else {
        u.sum += e.quantity;
        u.events += 1;
        if (e.ts >= u.lastTs) {
          u.last = e.quantity;
          u.lastTs = e.ts;
        }
      }
    }
  }
}

/** The dedupe key: an event's id, with the ts it was first sent at (docs/adr/0002-event-store.md). */
export const dedupeKey = (e: { id: string; ts: number }): string => `${e.ts}\u0000${e.id}`;
