// Property-based tests (fast-check) of every source parser and the canonical validator: random and
// mutated payloads never crash, one item never changes another's fate, and every reject says where
// and why. Runs are fixed per property (RUNS) and seeded by fast-check; a failure prints its seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEGMENT_CONFIG, DEFAULT_STRIPE_CONFIG } from '../config/http-schema.ts';
import { EVENT_TYPES } from '../core/events/types.ts';
import { parseCanonical, parseWithSchema } from './canonical.ts';
import { checkCanonical } from './canonical-issues.ts';
import { csvRowToItem } from './csv.ts';
import { limitIssue } from './limits.ts';
import { parseNdjsonLine } from './ndjson.ts';
import { mapSegmentMessage } from './segment.ts';
import { mapStripeEvent, stripeEventSchema } from './stripe.ts';

/** Runs per property; the note's fuzz count is RUNS times the number of properties below. */
export const RUNS = 1_000;
const opts = { numRuns: RUNS };

const ts = fc.oneof(
  fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-02-30T10:00:00Z', '2026-03-01T09:00Z', '2026-03-01T09:00:00+02:00', '2026-13-01T00:00:00Z', 'yesterday', ''),
);
const id = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('a\u0000b', '', 'x'.repeat(257), 'acme'));
const json = fc.jsonValue({ maxDepth: 4 });
const keys = ['id', 'ts', 'account', 'user', 'type', 'meter', 'quantity', 'feature', 'action', 'score', 'plan', 'interval', 'mrr', 'status', 'traits', 'amount', 'invoice', 'ticket', 'severity', 'topic', 'name', 'prompt', '__proto__', 'constructor', 'toString'];

/** Something close to a canonical event: the right keys with values that are often right and often not. */
const eventish = fc.record({
  id, ts, account: id, type: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.constantFrom('constructor', 'toString', 'teleport')),
  meter: fc.oneof(id, json), quantity: fc.oneof(fc.double(), fc.integer(), fc.constant(1e308), json),
  feature: id, action: fc.constantFrom('added', 'removed', 'connected', 'shown', 'joined'), score: fc.integer({ min: -2, max: 12 }),
  traits: fc.oneof(fc.dictionary(fc.constantFrom(...keys), json), json),
  extra: json,
}, { requiredKeys: [] });

/** A JSON object with an occasional __proto__ key as JSON.parse makes it (an own property). */
const withProto = fc.tuple(eventish, fc.boolean()).map(([o, proto]) => (proto ? JSON.parse(JSON.stringify(o).replace(/^\{/, '{"__proto__":{"x":1},')) : o) as unknown);
const anyItem = fc.oneof(withProto, json);

describe('canonical validator (fast-check)', () => {
  it('never throws; a reject names a place (a JSON pointer) and a reason', () => {
    fc.assert(fc.property(anyItem, (item) => {
      const r = checkCanonical(item);
      if (!r.ok) {
        expect(r.issues.length).toBeGreaterThan(0);
        for (const i of r.issues) {
          expect(i.pointer === '' || i.pointer.startsWith('/')).toBe(true);
          expect(i.detail.length).toBeGreaterThan(0);
        }
      }
      const p = parseCanonical(item);
      expect(p.ok).toBe(r.ok);
      if (!p.ok) expect(p.error).toMatch(/^[^:]+: ./);
    }), opts);
  });

  it('the fast path and the schema agree on every object within the limits', () => {
    fc.assert(fc.property(withProto, (item) => {
      fc.pre(typeof item === 'object' && item !== null && limitIssue(item) === undefined);
      const fast = parseCanonical(item);
      const slow = parseWithSchema(item as object);
      expect(fast.ok).toBe(slow.ok);
      if (fast.ok && slow.ok) expect(fast.event).toEqual(slow.event);
    }), opts);
  });

  it("an item's fate does not depend on the items beside it", () => {
    fc.assert(fc.property(fc.array(anyItem, { maxLength: 8 }), (items) => {
      const alone = items.map((i) => checkCanonical(i).ok);
      const together = items.map((i) => checkCanonical(i)).map((r) => r.ok);
      expect(together).toEqual(alone);
    }), { numRuns: RUNS / 4 });
  });

  it('an accepted event survives the store encoding (JSON) unchanged', () => {
    fc.assert(fc.property(withProto, (item) => {
      const r = parseCanonical(item);
      if (r.ok) expect(JSON.parse(JSON.stringify(r.event))).toEqual(r.event);
    }), opts);
  });
});

describe('NDJSON lines (fast-check)', () => {
  it('never throws on any text, and a reject carries its line and a reason', () => {
    fc.assert(fc.property(fc.nat(1_000_000), fc.oneof(fc.string(), fc.string({ unit: 'binary' }), anyItem.map((v) => JSON.stringify(v) ?? 'null')), (n, text) => {
      const r = parseNdjsonLine(n, text);
      if (r) {
        expect(r.line).toBe(n);
        if (!r.event) expect(r.error.length).toBeGreaterThan(0);
      }
    }), opts);
  });
});

describe('CSV rows (fast-check)', () => {
  it('never throws; a reject says which column or field', () => {
    const cell = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('2026-03-01T09:00:00Z', '2026-02-30T09:00:00Z', 'pro', 'month', 'active', '1e309', '-5', '12.5', '1000'));
    fc.assert(fc.property(fc.constantFrom('accounts' as const, 'subscriptions' as const), fc.dictionary(fc.constantFrom('account', 'ts', 'name', 'plan', 'interval', 'mrr', 'status', 'seats', 'employees', 'id', 'x'), cell), (kind, row) => {
      const r = csvRowToItem(kind, 7, 'raw', row);
      expect(r.line).toBe(7);
      if (!r.event) expect(r.error).toMatch(/\w/);
    }), opts);
  });
});

describe('Segment messages (fast-check)', () => {
  const ctx = { cfg: { ...DEFAULT_SEGMENT_CONFIG, track: { 'API Call': { type: 'usage' as const, meter: 'api_calls', quantity: { property: 'count', default: 1 } } } }, now: Date.UTC(2026, 2, 1), accountOfUser: () => undefined };
  const message = fc.record({
    type: fc.constantFrom('track', 'identify', 'group', 'page', 'screen', 'alias', 'nonsense'),
    event: fc.constantFrom('API Call', 'Other'), userId: id, anonymousId: id, groupId: id, messageId: id,
    timestamp: ts, properties: fc.oneof(fc.dictionary(fc.constantFrom('count', 'account_id', 'feature'), json), json),
    traits: fc.oneof(fc.dictionary(fc.string(), json), json), context: fc.oneof(fc.record({ groupId: id }), json),
  }, { requiredKeys: [] });
  it('never throws; an invalid message names where', () => {
    fc.assert(fc.property(fc.oneof(message, json), (m) => {
      const r = mapSegmentMessage(m, ctx);
      if (r.kind === 'invalid') for (const i of r.issues) expect(i.detail.length).toBeGreaterThan(0);
      if (r.kind === 'ignored') expect(r.reason.length).toBeGreaterThan(0);
    }), opts);
  });
});

describe('Stripe events (fast-check)', () => {
  const price = fc.record({ id: fc.string(), lookup_key: fc.oneof(fc.constant(null), fc.string()), unit_amount: fc.oneof(fc.integer(), fc.constant(null), fc.double()), metadata: fc.constant({}), recurring: fc.record({ interval: fc.constantFrom('day', 'week', 'month', 'year', 'decade'), interval_count: fc.integer({ min: -1, max: 40 }) }) });
  const object = fc.record({
    id: fc.string(), customer: fc.string(), status: fc.constantFrom('active', 'trialing', 'canceled', 'unpaid', 'weird'), metadata: fc.constant({}),
    items: fc.record({ data: fc.array(fc.record({ quantity: fc.oneof(fc.integer(), fc.double()), price }), { maxLength: 3 }) }),
    amount_paid: fc.oneof(fc.integer(), fc.double()), amount_due: fc.integer(),
  }, { requiredKeys: [] });
  it('never throws on a verified event of any shape', () => {
    fc.assert(fc.property(fc.constantFrom('customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted', 'invoice.paid', 'invoice.payment_failed', 'charge.refunded'), fc.oneof(object, json), fc.integer({ min: 0, max: 4_102_444_800 }), (type, obj, created) => {
      const parsed = stripeEventSchema.safeParse({ id: 'evt_1', type, created, data: { object: obj } });
      if (!parsed.success) return;
      const r = mapStripeEvent(parsed.data, 'acme', DEFAULT_STRIPE_CONFIG);
      if (r.kind === 'invalid') expect(r.detail.length).toBeGreaterThan(0);
    }), opts);
  });
});
