// ISO-8601 timestamps with a zone, checked for being a real calendar moment: Date.parse quietly
// rolls 2026-02-30 over to March 2, which would store an event on a day nobody sent.
export const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/i;

function daysIn(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Epoch ms of a valid timestamp with a zone; NaN when it is malformed or names a day/time that does not exist. */
export function parseIsoTime(s: string): number {
  const m = ISO_WITH_ZONE.exec(s);
  if (!m) return Number.NaN;
  const [y, mo, d, h, mi, sec = '0', zh = '0', zm = '0'] = m.slice(1) as (string | undefined)[];
  const year = Number(y), month = Number(mo), day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return Number.NaN;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59 || Number(zh) > 23 || Number(zm) > 59) return Number.NaN;
  return Date.parse(s);
}
