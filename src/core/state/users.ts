// Bounded user sets: a capped list of hashed ids with the last day seen; the least recent is evicted.
import type { SeenUser, UserActivity } from './types.ts';
import { weekOfDay } from './time.ts';

export function seeUser(set: SeenUser[], h: number, day: number, cap: number): void {
  let oldest = -1;
  for (let i = 0; i < set.length; i++) {
    const u = set[i]!;
    if (u[0] === h) { if (day > u[1]) u[1] = day; return; }
    if (oldest < 0 || u[1] < set[oldest]![1]) oldest = i;
  }
  if (set.length < cap) set.push([h, day]);
  else if (oldest >= 0 && set[oldest]![1] < day) set[oldest] = [h, day];
}

export const countSince = (set: readonly SeenUser[], fromDay: number): number => {
  let n = 0;
  for (const u of set) if (u[1] >= fromDay) n++;
  return n;
};

export function touchActivity(users: UserActivity[], h: number, day: number, cap: number): void {
  let u: UserActivity | undefined;
  let oldest = -1;
  for (let i = 0; i < users.length; i++) {
    const x = users[i]!;
    if (x.h === h) { u = x; break; }
    if (oldest < 0 || x.d < users[oldest]!.d) oldest = i;
  }
  if (!u) {
    const fresh: UserActivity = { h, d: day, m: 0, e: [weekOfDay(day), 0, 0, 0, 0] };
    if (users.length < cap) users.push(fresh);
    else if (oldest >= 0 && users[oldest]!.d < day) users[oldest] = fresh;
    else return;
    u = fresh;
  }
  if (day > u.d) {
    const shift = day - u.d;
    u.m = shift >= 28 ? 0 : (u.m << shift) & 0x0fffffff;
    u.d = day;
  }
  const back = u.d - day;
  if (back < 28) u.m |= 1 << back;
  const w = weekOfDay(day);
  const e = u.e;
  if (w > e[0]) {
    for (let x = Math.max(e[0] + 1, w - 3); x <= w; x++) e[1 + (x % 4)] = 0;
    e[0] = w;
  }
  if (w > e[0] - 4) e[1 + (w % 4)] = (e[1 + (w % 4)] ?? 0) + 1;
}

export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Active days in the 28 days ending `day`. */
export function activeDays(u: UserActivity, day: number): number {
  const gap = day - u.d;
  if (gap >= 28) return 0;
  if (gap <= 0) return popcount(u.m);
  return popcount(u.m & ((1 << (28 - gap)) - 1));
}

/** Events in the 4 weeks ending `day`'s week. */
export function events28(u: UserActivity, day: number): number {
  const w = weekOfDay(day);
  let s = 0;
  for (let x = w - 3; x <= w; x++) if (x <= u.e[0] && x > u.e[0] - 4) s += u.e[1 + (x % 4)]!;
  return s;
}
