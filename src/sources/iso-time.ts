// ISO-8601 timestamps with a zone, checked for being a real calendar moment: Date.parse quietly
// rolls 2026-02-30 over to March 2, which would store an event on a day nobody sent.
export const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/i;

function daysIn(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Two decimal digits at i, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48, b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The form nearly every event carries, YYYY-MM-DDTHH:MM:SS[.mmm]Z from 1970 on, read without a regex
 * or a Date: an import reads one per event. Anything else, or any field out of range, is undefined
 * and left to the full reading below, which also decides what is invalid.
 */
function plainUtc(s: string): number | undefined {
  const n = s.length;
  if (n !== 24 && n !== 20) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90) return undefined;
  let ms = 0;
  if (n === 24) {
    const m = two(s, 20), d = s.charCodeAt(22) - 48;
    if (s.charCodeAt(19) !== 46 || m < 0 || d < 0 || d > 9) return undefined;
    ms = m * 10 + d;
  }
  const hi = two(s, 0), lo = two(s, 2), month = two(s, 5), day = two(s, 8), h = two(s, 11), mi = two(s, 14), sec = two(s, 17);
  if (hi < 19 || lo < 0 || month < 1 || month > 12 || day < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  const year = hi * 100 + lo;
  if (year < 1970 || day > daysIn(year, month)) return undefined;
  return Date.UTC(year, month - 1, day, h, mi, sec, ms);
}

/** Epoch ms of a valid timestamp with a zone; NaN when it is malformed or names a day/time that does not exist. */
export function parseIsoTime(s: string): number {
  const plain = plainUtc(s);
  if (plain !== undefined) return plain;
  const m = ISO_WITH_ZONE.exec(s);
  if (!m) return Number.NaN;
  const [y, mo, d, h, mi, sec = '0', zh = '0', zm = '0'] = m.slice(1) as (string | undefined)[];
  const year = Number(y), month = Number(mo), day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return Number.NaN;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59 || Number(zh) > 23 || Number(zm) > 59) return Number.NaN;
  return Date.parse(s);
}
