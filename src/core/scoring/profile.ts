// Per-plan user profiles for power-user emergence: the median active user of each plan,
// gathered in one pass with fixed-size histograms (no per-user arrays).
import type { PlanProfiles } from '../signals/types.ts';
import type { AccountState } from '../state/types.ts';
import { activeDays, events28 } from '../state/users.ts';

export const EV_BINS = 64;
// events binned on a log scale: bin = floor(4 * log2(1 + e))
export const evBin = (e: number): number => Math.min(EV_BINS - 1, Math.floor(4 * Math.log2(1 + e)));
export const binLow = (b: number): number => Math.ceil(2 ** (b / 4) - 1);

interface Acc { users: number; days: number[]; ev: number[] }

export class ProfileBuilder {
  private readonly acc = new Map<string, Acc>();

  add(s: AccountState, today: number): void {
    if (!s.plan) return;
    let a = this.acc.get(s.plan);
    if (!a) this.acc.set(s.plan, (a = { users: 0, days: new Array<number>(29).fill(0), ev: new Array<number>(EV_BINS).fill(0) }));
    for (const u of s.users) {
      const d = activeDays(u, today);
      if (d === 0) continue;
      a.users++;
      a.days[d] = (a.days[d] ?? 0) + 1;
      const b = evBin(events28(u, today));
      a.ev[b] = (a.ev[b] ?? 0) + 1;
    }
  }

  build(): PlanProfiles {
    const out: PlanProfiles = {};
    const median = (h: number[], n: number, value: (i: number) => number): number => {
      let c = 0;
      for (let i = 0; i < h.length; i++) { c += h[i] ?? 0; if (c * 2 >= n) return value(i); }
      return 0;
    };
    for (const [plan, a] of this.acc) {
      out[plan] = { users: a.users, activeDays: median(a.days, a.users, (i) => i), events: median(a.ev, a.users, binLow) };
    }
    return out;
  }
}
