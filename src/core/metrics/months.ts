// Calendar months as integers (year * 12 + month0), so the metrics pass compares numbers, never dates.
// All arithmetic is UTC on explicit epoch ms: the core never reads the clock.

/** A month number: year * 12 + zero-based month (2024-01 is 2024 * 12). */
export type MonthNumber = number;

const MONTH_RE = /^(\d{4})-(\d{2})$/;

/** 'YYYY-MM' -> month number, or undefined when the text is not a valid month. */
export function parseMonth(text: string): MonthNumber | undefined {
  const m = MONTH_RE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  return year * 12 + month - 1;
}

export function formatMonth(m: MonthNumber): string {
  const year = Math.floor(m / 12);
  return `${String(year).padStart(4, '0')}-${String((m % 12) + 1).padStart(2, '0')}`;
}

/** The quarter label of a month, e.g. '2024-Q1'. */
export function formatQuarter(m: MonthNumber): string {
  return `${Math.floor(m / 12)}-Q${Math.floor((m % 12) / 3) + 1}`;
}

/** The month an instant falls in (UTC). */
export function monthOf(ts: number): MonthNumber {
  const d = new Date(ts);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** Epoch ms of 00:00 UTC on the first day of a month. */
export function monthStartMs(m: MonthNumber): number {
  return Date.UTC(Math.floor(m / 12), m % 12, 1);
}
