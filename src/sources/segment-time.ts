// Segment's timestamp rules (segment.com/docs/connections/spec/common/#timestamps):
// - every time is an ISO-8601 string; one without a zone is UTC (never the server's local zone);
// - `timestamp`, when the sender set it, is the event time;
// - otherwise the event time is `receivedAt - (sentAt - originalTimestamp)`: the device clock's
//   skew (sentAt against the server's receive time) is taken out of the device's originalTimestamp;
// - without sentAt, originalTimestamp as is; with neither, the receive time.

// Date, then optionally a time (T or space), then optionally a zone: Z, +hh, +hhmm or +hh:mm.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch ms of an ISO-8601 string (zone-less = UTC), or undefined when it is not one. */
export function parseIsoUtc(s: string): number | undefined {
  const m = ISO_8601.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo, d, hh = '00', mi = '00', ss = '00', frac = '', zone = 'Z'] = m;
  const ms = (frac + '000').slice(0, 3);
  const z = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 3 ? `${zone}:00` : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const t = Date.parse(`${y}-${mo}-${d}T${hh}:${mi}:${ss}.${ms}${z}`);
  if (Number.isNaN(t)) return undefined;
  // Date.parse rolls 2026-02-30 over into March: a date that does not exist is not a date.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  if (Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59) return undefined;
  return t;
}

export interface SegmentTimes {
  timestamp?: string | undefined;
  originalTimestamp?: string | undefined;
  sentAt?: string | undefined;
}

export type SegmentTime = { ok: true; ts: number; source: 'timestamp' | 'skew_corrected' | 'originalTimestamp' | 'received' } | { ok: false; field: keyof SegmentTimes; detail: string };

/** The event time of a message by Segment's rules; `receivedAt` is the server's clock, epoch ms. */
export function segmentEventTime(m: SegmentTimes, receivedAt: number): SegmentTime {
  const parsed: Partial<Record<keyof SegmentTimes, number>> = {};
  for (const field of ['timestamp', 'originalTimestamp', 'sentAt'] as const) {
    const v = m[field];
    if (v === undefined) continue;
    const t = parseIsoUtc(v);
    if (t === undefined) return { ok: false, field, detail: `not an ISO-8601 date and time (e.g. 2026-01-16T09:30:00Z), got ${JSON.stringify(v)}` };
    parsed[field] = t;
  }
  if (parsed.timestamp !== undefined) return { ok: true, ts: parsed.timestamp, source: 'timestamp' };
  if (parsed.originalTimestamp !== undefined && parsed.sentAt !== undefined) {
    return { ok: true, ts: receivedAt - (parsed.sentAt - parsed.originalTimestamp), source: 'skew_corrected' };
  }
  if (parsed.originalTimestamp !== undefined) return { ok: true, ts: parsed.originalTimestamp, source: 'originalTimestamp' };
  return { ok: true, ts: receivedAt, source: 'received' };
}
