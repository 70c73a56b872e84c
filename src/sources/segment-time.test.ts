import { describe, expect, it } from 'vitest';
import { parseIsoUtc, segmentEventTime } from './segment-time.ts';

const cases: [string, string | undefined][] = [
  ['2026-03-01T10:00:00Z', '2026-03-01T10:00:00.000Z'],
  ['2026-03-01T10:00:00', '2026-03-01T10:00:00.000Z'],
  ['2026-03-01 10:00:00.123456', '2026-03-01T10:00:00.123Z'],
  ['2026-03-01T10:00', '2026-03-01T10:00:00.000Z'],
  ['2026-03-01', '2026-03-01T00:00:00.000Z'],
  ['2026-03-01T12:00:00+02:00', '2026-03-01T10:00:00.000Z'],
  ['2026-03-01T05:00:00-0500', '2026-03-01T10:00:00.000Z'],
  ['2026-03-01T12:00:00+02', '2026-03-01T10:00:00.000Z'],
  ['Jan 16 2026', undefined],
  ['16/01/2026', undefined],
  ['2026-02-30T00:00:00Z', undefined],
  ['2026-03-01T24:00:00Z', undefined],
  ['', undefined],
];

describe('Segment times', () => {
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} -> ${want ?? 'refused'}`, () => {
      const t = parseIsoUtc(input);
      expect(t === undefined ? undefined : new Date(t).toISOString()).toBe(want);
    });
  }

  it('timestamp wins; else skew-corrected originalTimestamp; else originalTimestamp; else receivedAt', () => {
    const rx = Date.parse('2026-03-01T10:00:00Z');
    expect(segmentEventTime({ timestamp: '2026-03-01T09:00:00Z', originalTimestamp: '2026-03-01T08:00:00Z', sentAt: '2026-03-01T08:00:01Z' }, rx)).toEqual({ ok: true, ts: Date.parse('2026-03-01T09:00:00Z'), source: 'timestamp' });
    expect(segmentEventTime({ originalTimestamp: '2026-03-01T08:00:00Z', sentAt: '2026-03-01T08:00:01Z' }, rx)).toEqual({ ok: true, ts: rx - 1_000, source: 'skew_corrected' });
    expect(segmentEventTime({ originalTimestamp: '2026-03-01T08:00:00Z' }, rx)).toEqual({ ok: true, ts: Date.parse('2026-03-01T08:00:00Z'), source: 'originalTimestamp' });
    expect(segmentEventTime({}, rx)).toEqual({ ok: true, ts: rx, source: 'received' });
    expect(segmentEventTime({ sentAt: 'now' }, rx)).toMatchObject({ ok: false, field: 'sentAt' });
  });
});
