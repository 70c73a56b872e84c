// Declining usage (negative): engagement (sessions and feature uses, and how many people are active)
// in the last `window_days` against the window before, silence for a month, or a recent downgrade.
// Metered roll-ups are left out: a product that sends one usage total a day looks steady while its
// people drift away.
import { dayOf, weekOfDay } from '../state/time.ts';
import type { AccountState, UserActivity } from '../state/types.ts';
import { WEEKS, type WeekCounter } from '../state/week-counter.ts';
import { clamp01, pct, round2, type Detector } from './types.ts';

const DOWNGRADE_DAYS = 90;
/** two windows must fit in the weekly buckets: up to 4 weeks each */
export const MAX_DECLINE_WINDOW = (WEEKS / 2) * 7;
/** users' activity bitmasks cover 28 days: active users compare two windows of at most 14 */
const USER_BITS = 28;
/** active users only speak once there were several, and only when half of them stopped (a team's
 *  week-to-week membership is noisy; a lost half is not) */
const MIN_USERS = 5;
const MIN_USER_DROP = 0.5;

/** The last `weeks` weeks (the current one partial, scaled to whole weeks) and the `weeks` before. */
function windows(c: WeekCounter, today: number, weeks: number): [recent: number, prior: number] {
  const w = weekOfDay(today);
  const at = (x: number): number => (x <= c.w && x > c.w - WEEKS ? (c.b[x % WEEKS] ?? 0) : 0);
  let recent = 0;
  let prior = 0;
  for (let k = 0; k < weeks; k++) { recent += at(w - k); prior += at(w - weeks - k); }
  // days of the recent window so far: the full weeks plus the current week's days up to today
  const elapsed = 7 * (weeks - 1) + (today - (w * 7 - 3)) + 1;
  return [Math.round((recent * 7 * weeks) / elapsed), prior];
}

/** Whether the user was active on some day in [from, to] (bit i of the mask is day u.d - i). */
function activeIn(u: UserActivity, from: number, to: number): boolean {
  for (let d = Math.max(from, u.d - USER_BITS + 1); d <= Math.min(to, u.d); d++) if ((u.m >>> (u.d - d)) & 1) return true;
  return false;
}

/** Distinct users active in [today - days + 1, today] and in the `days` before. */
function activeUsers(s: AccountState, today: number, days: number): [recent: number, prior: number] {
  let recent = 0;
  let prior = 0;
  for (const u of s.users) {
    if (activeIn(u, today - days + 1, today)) recent++;
    if (activeIn(u, today - 2 * days + 1, today - days)) prior++;
  }
  return [recent, prior];
}

export const decliningUsage: Detector = {
  id: 'declining_usage',
  kind: 'negative',
  detect(ctx) {
    const cfg = ctx.settings.signals.decliningUsage;
    const s = ctx.state;
    if (s.events === 0) return null;
    const idle = ctx.today - dayOf(s.lastTs);
    if (idle >= cfg.inactiveDays) {
      return { id: 'declining_usage', kind: 'negative', strength: 1, evidence: { idleDays: idle, drop: 1, sentence: `no activity for ${idle} days` } };
    }
    const days = Math.max(7, Math.min(MAX_DECLINE_WINDOW, cfg.windowDays));
    const weeks = Math.ceil(days / 7);
    let [recent, prior] = windows(s.engage, ctx.today, weeks);
    let measure = 'engagement';
    if (recent === 0 && prior === 0) {
      // no session or feature telemetry: all activity is the only measure there is
      [recent, prior] = windows(s.activity, ctx.today, weeks);
      measure = 'activity';
    }
    if (s.planChange === -1 && ctx.today - dayOf(s.planChangeTs) <= DOWNGRADE_DAYS) {
      const ago = ctx.today - dayOf(s.planChangeTs);
      return { id: 'declining_usage', kind: 'negative', strength: 0.6, evidence: { downgradedFrom: s.prevPlan, daysAgo: ago, recent, prior, sentence: `downgraded from ${s.prevPlan} ${ago} days ago` } };
    }
    const drop = prior >= cfg.minBaseline ? 1 - recent / prior : 0;
    const [usersNow, usersBefore] = 2 * days <= USER_BITS ? activeUsers(s, ctx.today, days) : [0, 0];
    const userDrop = usersBefore >= MIN_USERS && 1 - usersNow / usersBefore >= MIN_USER_DROP ? 1 - usersNow / usersBefore : 0;
    if (Math.max(drop, userDrop) < cfg.drop) return null;
    const span = `the last ${weeks * 7} days`;
    const what = measure === 'engagement' ? 'sessions and feature uses' : 'events';
    const sentence = drop >= userDrop
      ? `${measure} down ${pct(drop)} (${recent} ${what} in ${span}, ${prior} in the ${weeks * 7} days before)`
      : `active users down ${pct(userDrop)} (${usersNow} in ${span}, ${usersBefore} in the ${weeks * 7} days before)`;
    return {
      id: 'declining_usage', kind: 'negative', strength: round2(clamp01(Math.max(drop, userDrop))),
      evidence: { measure, windowDays: weeks * 7, recent, prior, drop: round2(drop), activeUsers: usersNow, activeUsersBefore: usersBefore, sentence },
    };
  },
};
