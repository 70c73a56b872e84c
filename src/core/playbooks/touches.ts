// Frequency caps and etiquette across channels (seed 002): at most one prompt per session, N per
// user per week, a weekly cap per account over every channel, a cooldown after a dismissal.
import type { Channel, Etiquette } from './types.ts';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** One contact with an account: a prompt shown, an email sent, a CSM task raised. */
export interface Touch {
  id: string;
  account: string;
  channel: Channel;
  at: number;
  user?: string;
  session?: string;
  playbook?: string;
  opportunity?: string;
  outcome?: 'clicked' | 'dismissed' | 'converted';
  outcomeAt?: number;
}

export type CapCode = 'session_cap' | 'user_week_cap' | 'account_week_cap' | 'cooldown' | 'email_gap';
export type CapCheck = { ok: true } | { ok: false; code: CapCode; reason: string };

/** Channels that reach the customer count toward the account's weekly cap; team notifications do not. */
export const CUSTOMER_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['in_app', 'email', 'task']);

export function checkAccountCap(touches: readonly Touch[], now: number, e: Etiquette, channel?: Channel): CapCheck {
  const n = touches.filter((t) => CUSTOMER_CHANNELS.has(t.channel) && t.at <= now && t.at > now - WEEK).length;
  if (n >= e.accountWeekCap) return { ok: false, code: 'account_week_cap', reason: `the account was contacted ${n} times in the last 7 days (cap ${e.accountWeekCap})` };
  // Two plays firing on one account (say usage limit and a feature gate) must not email it on consecutive days.
  if (channel === 'email') {
    const last = Math.max(...touches.filter((t) => t.channel === 'email' && t.at <= now).map((t) => t.at));
    if (last > now - e.emailGapDays * DAY) {
      return { ok: false, code: 'email_gap', reason: `another email reached the account ${Math.round((now - last) / 3_600_000)} hours ago (gap ${e.emailGapDays} days)` };
    }
  }
  return { ok: true };
}

/** May this user see an in-app prompt now? Checks cooldown, session, user-week and account caps in that order. */
export function checkPrompt(touches: readonly Touch[], user: string, session: string | undefined, now: number, e: Etiquette): CapCheck {
  const mine = touches.filter((t) => t.channel === 'in_app' && t.user === user && t.at <= now);
  const dismissed = mine.filter((t) => t.outcome === 'dismissed' && (t.outcomeAt ?? t.at) > now - e.dismissCooldownDays * DAY);
  if (dismissed.length > 0) {
    const last = Math.max(...dismissed.map((t) => t.outcomeAt ?? t.at));
    return { ok: false, code: 'cooldown', reason: `the user dismissed a prompt ${Math.floor((now - last) / DAY)} days ago (cooldown ${e.dismissCooldownDays} days)` };
  }
  const sameSession = session !== undefined
    ? mine.filter((t) => t.session === session)
    : mine.filter((t) => t.at > now - e.sessionGapMinutes * 60_000);
  if (sameSession.length >= e.promptsPerSession) {
    return { ok: false, code: 'session_cap', reason: `already shown ${sameSession.length} prompt${sameSession.length === 1 ? '' : 's'} this session (cap ${e.promptsPerSession})` };
  }
  const week = mine.filter((t) => t.at > now - WEEK).length;
  if (week >= e.promptsPerUserWeek) return { ok: false, code: 'user_week_cap', reason: `the user saw ${week} prompts in the last 7 days (cap ${e.promptsPerUserWeek})` };
  return checkAccountCap(touches, now, e);
}
