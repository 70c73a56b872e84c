// Calendar arithmetic on epoch milliseconds (UTC). The core never reads the clock.

export const DAY_MS = 86_400_000;

export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);
/** Weeks start on Monday; day 0 (1970-01-01) was a Thursday. */
export const weekOfDay = (day: number): number => Math.floor((day + 3) / 7);
export const monthKeyOfDay = (day: number): number => {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};
export const monthStartDay = (day: number): number => {
  const d = new Date(day * DAY_MS);
  return dayOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
};
export const daysInMonthOfDay = (day: number): number => {
  const d = new Date(day * DAY_MS);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
};

/** Adds calendar months, clamping the day of month as Stripe does (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

export const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
