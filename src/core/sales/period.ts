// A compensation period: a month (2026-07), a quarter (2026-Q3) or a year (2026), as month numbers.
import { monthOf, parseMonth, type MonthNumber } from '../metrics/months.ts';

export interface CompPeriod { label: string; first: MonthNumber; last: MonthNumber }

export function parsePeriod(text: string): CompPeriod | undefined {
  const t = text.trim();
  const m = parseMonth(t);
  if (m !== undefined) return { label: t, first: m, last: m };
  const q = /^(\d{4})-Q([1-4])$/.exec(t);
  if (q) {
    const first = Number(q[1]) * 12 + (Number(q[2]) - 1) * 3;
    return { label: t, first, last: first + 2 };
  }
  const y = /^(\d{4})$/.exec(t);
  if (y) return { label: t, first: Number(y[1]) * 12, last: Number(y[1]) * 12 + 11 };
  return undefined;
}

export const inPeriod = (p: CompPeriod, ts: number): boolean => {
  const m = monthOf(ts);
  return m >= p.first && m <= p.last;
};
