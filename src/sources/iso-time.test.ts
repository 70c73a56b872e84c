// The hand-read common form must give exactly what the regex-and-Date.parse reading gives.
import { describe, expect, it } from 'vitest';
import { parseIsoTime } from './iso-time.ts';

/** The reading before the fast form existed: regex, range checks, Date.parse. */
function reference(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/i.exec(s);
  if (!m) return Number.NaN;
  const [y, mo, d, h, mi, sec = '0', zh = '0', zm = '0'] = m.slice(1) as (string | undefined)[];
  const year = Number(y), month = Number(mo), day = Number(d);
  const days = month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (month < 1 || month > 12 || day < 1 || day > days) return Number.NaN;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59 || Number(zh) > 23 || Number(zm) > 59) return Number.NaN;
  return Date.parse(s);
}

const cases = [
  '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00Z', '2026-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z',
  '1969-12-31T23:59:59.999Z', '2024-02-29T12:00:00.000Z', '2025-02-29T12:00:00.000Z', '2100-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-01-00T00:00:00Z',
  '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z', '2026-01-01T23:59:60Z', '2026-01-01T23:59:60.000Z',
  '2026-01-01t00:00:00z', '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.1Z', '2026-01-01T00:00:00.12Z',
  '2026-01-01T00:00:00.1234Z', '2026-01-01 00:00:00.000Z', '2026-01-01T00:00:00.000', '2026-1-01T00:00:00.000Z',
  '2026-01-01T00:00:00,000Z', '+2026-01-01T00:00:00Z', '0099-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z',
  '2026-01-01T00:00:0a.000Z', '2026-01-01T00:00:00.00aZ', '2026-0a-01T00:00:00.000Z', 'abcd-01-01T00:00:00.000Z', '', '2026-01-01',
  '2026-01-01T00:00Z', '٢٠٢٦-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z ',
];

describe('parseIsoTime', () => {
  it.each(cases)('reads %j as the full reading does', (s) => {
    expect(parseIsoTime(s)).toStrictEqual(reference(s));
  });

  it('agrees with the full reading on every millisecond form of a sweep of moments', () => {
    for (let t = Date.parse('1969-06-01T00:00:00Z'); t < Date.parse('2101-01-01T00:00:00Z'); t += 7_777_777_777) {
      const iso = new Date(t).toISOString();
      expect(parseIsoTime(iso)).toBe(reference(iso));
      expect(parseIsoTime(`${iso.slice(0, 19)}Z`)).toBe(reference(`${iso.slice(0, 19)}Z`));
    }
  });
});
