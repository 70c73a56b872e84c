// The reporting periods: calendar months or calendar quarters, clipped to the requested range.
import { formatMonth, formatQuarter, type MonthNumber } from './months.ts';

export type PeriodGrain = 'month' | 'quarter';

export interface Period {
  label: string;
  /** first and last month, inclusive */
  first: MonthNumber;
  last: MonthNumber;
}

export function periodsBetween(from: MonthNumber, to: MonthNumber, by: PeriodGrain): Period[] {
  const out: Period[] = [];
  if (by === 'month') {
    for (let m = from; m <= to; m++) out.push({ label: formatMonth(m), first: m, last: m });
    return out;
  }
  // A quarter cut by the range keeps its label; its from/to in the report say which months it holds.
  for (let m = from; m <= to;) {
    const quarterEnd = m - (m % 3) + 2;
    const last = Math.min(quarterEnd, to);
    out.push({ label: formatQuarter(m), first: m, last });
    m = last + 1;
  }
  return out;
}

/** The whole range as one period. */
export function wholeRange(from: MonthNumber, to: MonthNumber): Period {
  return { label: from === to ? formatMonth(from) : `${formatMonth(from)}..${formatMonth(to)}`, first: from, last: to };
}
