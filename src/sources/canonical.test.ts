import { describe, expect, it } from 'vitest';
import { parseCanonical, parseWithSchema, toWire } from './canonical.ts';
import { fastCanonical } from './fast-check.ts';

const ts = '2026-03-01T09:00:00Z';
const valid: Record<string, unknown>[] = [
  { id: 'a', ts, account: 'acme', type: 'account', traits: { name: 'Acme', employees: 40, renewal_at: '2026-09-01T00:00:00Z', tier_hint: 'x' } },
  { id: 'b', ts, account: 'acme', type: 'subscription', plan: 'pro', interval: 'year', mrr: 62417, status: 'active', seats: 20, discount_pct: 10, term_months: 24 },
  { id: 'c', ts: '2026-03-01T09:00:00.123+02:00', account: 'acme', user: 'u1', type: 'usage', meter: 'api_calls', quantity: 0 },
  { id: 'd', ts, account: 'acme', user: 'u1', type: 'gate', feature: 'sso', source: 'modal' },
  { id: 'e', ts, account: 'acme', user: 'u1', type: 'feature', feature: 'dashboards' },
  { id: 'f', ts, account: 'acme', user: 'u1', type: 'member', action: 'removed' },
  { id: 'g', ts, account: 'acme', type: 'integration', name: 'salesforce', action: 'connected' },
  { id: 'h', ts, account: 'acme', type: 'ticket', ticket: 'T-1', status: 'opened', severity: 'critical', topic: 'feature_unavailable' },
  { id: 'i', ts, account: 'acme', type: 'invoice', invoice: 'in_1', status: 'past_due', amount: 74900 },
  { id: 'j', ts, account: 'acme', user: 'u1', type: 'nps', score: 10 },
  { id: 'k', ts: '2026-03-01T09:00Z', account: 'acme', user: 'u1', type: 'session' },
  { id: 'l', ts, account: 'acme', user: 'u1', type: 'prompt', prompt: 'p1', action: 'dismissed' },
];
const invalid: Record<string, unknown>[] = [
  { id: '', ts, account: 'acme', type: 'session' },
  { id: 'x', ts: '2026-03-01 09:00:00', account: 'acme', type: 'session' },
  { id: 'x', ts: '2026-03-01T09:00:00', account: 'acme', type: 'session' },
  { id: 'x', ts: '2026-13-01T09:00:00Z', account: 'acme', type: 'session' },
  { id: 'x', ts, account: 'acme', type: 'usage', meter: 'api_calls', quantity: -1 },
  { id: 'x', ts, account: 'acme', type: 'usage', meter: 'api_calls', quantity: '3' },
  { id: 'x', ts, account: 'acme', type: 'usage', quantity: 3 },
  { id: 'x', ts, account: 'acme', type: 'nps', score: 11 },
  { id: 'x', ts, account: 'acme', type: 'nps', score: 7.5 },
  { id: 'x', ts, account: 'acme', type: 'member', action: 'joined' },
  { id: 'x', ts, account: 'acme', user: 7, type: 'session' },
  { id: 'x', ts, account: 'acme', type: 'subscription', plan: 'pro', interval: 'month', mrr: 10.5, status: 'active' },
  { id: 'x', ts, account: 'acme', type: 'invoice', invoice: 'i', status: 'paid', amount: -5 },
  { id: 'x', ts, account: 'acme', type: 'ticket', ticket: 't', status: 'opened', severity: 'urgent', topic: 'x' },
  { id: 'x'.repeat(257), ts, account: 'acme', type: 'session' },
];

describe('canonical event validation', () => {
  it.each(valid.map((v) => [v['type'], v]))('accepts a valid %s event and keeps extra fields', (_t, v) => {
    const r = parseCanonical(v);
    expect(r.ok).toBe(true);
    expect(r).toEqual(parseWithSchema(v));
    if (r.ok) expect(toWire(r.event)).toEqual({ ...v, ts: new Date(Date.parse(v['ts'] as string)).toISOString() });
  });

  it.each(invalid.map((v, i) => [i, v]))('rejects invalid case %i with a reason, and the fast path never accepts it', (_i, v) => {
    expect(fastCanonical(v)).toBeUndefined();
    const r = parseCanonical(v);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeGreaterThan(5);
  });

  it('converts ts to epoch milliseconds in UTC', () => {
    const r = parseCanonical(valid[2]);
    expect(r.ok && r.event.ts).toBe(Date.parse('2026-03-01T07:00:00.123Z'));
  });
});
