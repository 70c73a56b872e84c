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

  it('reads a calendar date as that day 00:00 UTC where a date is meant', () => {
    const r = parseCanonical({ id: 'a', ts, account: 'acme', type: 'account', traits: { name: 'Acme', renewal_at: '2026-06-24' } });
    expect(r).toMatchObject({ ok: true, event: { traits: { renewal_at: '2026-06-24T00:00:00Z' } } });
    expect(r.ok && r.warnings).toBeUndefined();
    expect(r.ok && Date.parse((r.event as { traits: { renewal_at: string } }).traits.renewal_at)).toBe(Date.UTC(2026, 5, 24));
  });

  it.each([
    [{ type: 'account', traits: { name: 'Acme', renewal_at: 'next spring' } }, 'traits.renewal_at', 'next spring', /expected a date/],
    [{ type: 'account', traits: { name: 'Acme', renewal_at: '2026-02-30' } }, 'traits.renewal_at', '2026-02-30', /expected a date/],
    [{ type: 'account', traits: { name: 'Acme', employees: 'forty' } }, 'traits.employees', 'forty', /expected number/],
    [{ type: 'account', traits: { name: 'Acme', email: 'ops at acme' } }, 'traits.email', 'ops at acme', /email address/],
    [{ type: 'subscription', plan: 'pro', interval: 'month', mrr: 9900, status: 'active', seats: 'twenty' }, 'seats', 'twenty', /expected number/],
    [{ type: 'subscription', plan: 'pro', interval: 'month', mrr: 9900, status: 'active', discount_pct: 150 }, 'discount_pct', 150, /100/],
    [{ type: 'session', user: 7 }, 'user', 7, /expected string/],
  ])('stores the event and sets aside a bad optional field: %j', (fields, field, value, why) => {
    const r = parseCanonical({ id: 'w', ts, account: 'acme', ...fields });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toEqual([{ field, value, why: expect.stringMatching(why) }]);
    expect(r.event.extra?.['unparsed']).toEqual({ [field]: value });
    const [head, key] = field.split('.') as [string, string | undefined];
    const holder = key === undefined ? r.event : (r.event as unknown as Record<string, Record<string, unknown>>)[head];
    expect(holder).not.toHaveProperty(key ?? head);
  });

  it('still rejects a line whose required field is bad beside a bad optional one', () => {
    const r = parseCanonical({ id: 'x', ts, account: 'acme', type: 'subscription', plan: 'pro', interval: 'month', mrr: -1, status: 'active', seats: 'twenty' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/mrr/);
  });

  // The import stores JSON.stringify(event): where the fast path stands in for zod, the body must be
  // the one zod's reading gave, key order included.
  const zodOrdered = [
    ...valid.filter((v) => ['subscription', 'integration', 'ticket', 'invoice'].includes(v['type'] as string)),
    { user: 'u9', plan: 'pro', type: 'subscription', id: 'b2', note: 'x', ts, mrr: 100, account: 'acme', status: 'trialing', interval: 'month' },
    { id: 'b3', ts, account: 'acme', type: 'subscription', plan: 'pro', interval: 'month', mrr: 0, status: 'canceled', seats: 0, discount_pct: 12.5 },
    { topic: '', severity: 'low', status: 'closed', ticket: 'T-2', type: 'ticket', account: 'acme', ts, id: 'h2', '7': 'seven', channel: { kind: 'email' } },
    { amount: 0, status: 'void', invoice: 'in_2', type: 'invoice', user: 'u1', account: 'acme', ts, id: 'i2' },
  ];
  it.each(zodOrdered.map((v) => [v['id'], v]))('the fast path reads %s to the same bytes as zod', (_id, v) => {
    const fast = fastCanonical(v);
    const slow = parseWithSchema(v);
    expect(fast).toBeDefined();
    expect(slow.ok && slow.warnings).toBeUndefined();
    expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.ok && slow.event));
  });

  it.each([
    { id: 'b4', ts, account: 'acme', type: 'subscription', plan: 'pro', interval: 'month', mrr: 100, status: 'active', addons: ['sso'] },
    { id: 'b5', ts, account: 'acme', type: 'subscription', plan: 'pro', interval: 'month', mrr: 100, status: 'active', units: { seats: 3 } },
    { id: 'b6', ts, account: 'acme', type: 'subscription', plan: 'pro', interval: 'month', mrr: 100, status: 'active', seats: 'twenty' },
    { id: 'b7', ts, account: 'acme', type: 'subscription', plan: 'pro', interval: 'month', mrr: 100, status: 'active', term_months: 0 },
    { id: 'b8', ts, account: 'acme', type: 'subscription', plan: 'pro', interval: 'month', status: 'active' },
    { id: 'h3', ts, account: 'acme', type: 'ticket', ticket: 'T-3', status: 'opened', severity: 'normal', topic: 5 },
    { id: 'i3', ts, account: 'acme', user: '', type: 'invoice', invoice: 'in_3', status: 'paid', amount: 1.5 },
  ])('the fast path leaves $id to zod', (v) => {
    expect(fastCanonical(v)).toBeUndefined();
  });

  it('converts ts to epoch milliseconds in UTC', () => {
    const r = parseCanonical(valid[2]);
    expect(r.ok && r.event.ts).toBe(Date.parse('2026-03-01T07:00:00.123Z'));
  });
});

describe('-0 in JSON text', () => {
  it('is accepted as 0, on the fast path and the schema path, nested or not', () => {
    const usage = parseCanonical(JSON.parse('{"id":"z1","ts":"2026-03-01T00:00:00Z","account":"a","type":"usage","meter":"seats","quantity":-0}'));
    expect(usage.ok && Object.is((usage.event as { quantity: number }).quantity, 0)).toBe(true);
    const extra = parseCanonical(JSON.parse('{"id":" ","ts":"1970-01-01T00:00:00.000Z","account":" ","type":"account","traits":{"k":-0},"extra":[-0]}'));
    expect(extra.ok).toBe(true);
    if (extra.ok) expect(JSON.parse(JSON.stringify(extra.event))).toEqual(extra.event);
  });
});
