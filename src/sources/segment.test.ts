import { describe, expect, it } from 'vitest';
import { segmentConfigSchema } from '../config/http-schema.ts';
import { mapSegmentMessage, type SegmentResult } from './segment.ts';

const cfg = segmentConfigSchema.parse({
  track: {
    'API Call': { type: 'usage', meter: 'api_calls', quantity: { property: 'count', default: 1 } },
    'Upgrade Modal Viewed': { type: 'gate', feature: { property: 'feature' } },
    'Report Exported': { type: 'feature', feature: 'advanced_reporting' },
  },
});
const NOW = Date.parse('2026-03-02T00:00:00Z');
const known: Record<string, string> = { u9: 'globex' };
const map = (m: unknown): SegmentResult => mapSegmentMessage(m, { cfg, now: NOW, accountOfUser: (u) => known[u] });
const TS = '2026-03-01T10:00:00.000Z';
const T = Date.parse(TS);

// Behaviour table: Segment message -> what Tierwise makes of it.
const cases: { name: string; msg: Record<string, unknown>; want: Partial<SegmentResult> & Record<string, unknown> }[] = [
  {
    name: 'track API Call -> usage, quantity from the property, account from context.groupId',
    msg: { type: 'track', messageId: 'm1', timestamp: TS, userId: 'u1', event: 'API Call', properties: { count: 250 }, context: { groupId: 'acme' } },
    want: { kind: 'event', event: { id: 'm1', ts: T, account: 'acme', user: 'u1', type: 'usage', meter: 'api_calls', quantity: 250, extra: { segment_event: 'API Call' } } },
  },
  {
    name: 'track API Call without the property -> the default quantity; account from properties.account_id',
    msg: { type: 'track', messageId: 'm2', timestamp: TS, userId: 'u1', event: 'API Call', properties: { account_id: 'acme' } },
    want: { kind: 'event', event: { id: 'm2', ts: T, account: 'acme', user: 'u1', type: 'usage', meter: 'api_calls', quantity: 1, extra: { segment_event: 'API Call' } } },
  },
  {
    name: 'track Upgrade Modal Viewed -> gate, account learned from an earlier group call',
    msg: { type: 'track', messageId: 'm3', timestamp: TS, userId: 'u9', event: 'Upgrade Modal Viewed', properties: { feature: 'sso' } },
    want: { kind: 'event', event: { id: 'm3', ts: T, account: 'globex', user: 'u9', type: 'gate', feature: 'sso', extra: { segment_event: 'Upgrade Modal Viewed' } } },
  },
  {
    name: 'track with a constant feature',
    msg: { type: 'track', messageId: 'm4', timestamp: TS, anonymousId: 'anon', event: 'Report Exported', context: { groupId: 'acme' } },
    want: { kind: 'event', event: { id: 'm4', ts: T, account: 'acme', user: 'anon', type: 'feature', feature: 'advanced_reporting', extra: { segment_event: 'Report Exported' } } },
  },
  {
    name: 'group -> account traits; numeric employee strings become numbers; the user is learned',
    msg: { type: 'group', messageId: 'g1', timestamp: TS, userId: 'u1', groupId: 'acme', traits: { name: 'Acme', employees: '120', plan: 'pro' } },
    want: { kind: 'event', event: { id: 'g1', ts: T, account: 'acme', user: 'u1', type: 'account', traits: { name: 'Acme', employees: 120, plan: 'pro' } }, learn: { user: 'u1', account: 'acme' } },
  },
  {
    name: 'page -> session',
    msg: { type: 'page', messageId: 'p1', timestamp: TS, userId: 'u9', name: 'Billing' },
    want: { kind: 'event', event: { id: 'p1', ts: T, account: 'globex', user: 'u9', type: 'session', extra: { page: 'Billing' } } },
  },
  { name: 'identify is ignored', msg: { type: 'identify', messageId: 'i1', userId: 'u1', traits: { email: 'a@b.c' } }, want: { kind: 'ignored' } },
  { name: 'an unmapped track event is ignored', msg: { type: 'track', messageId: 't9', userId: 'u1', event: 'Logged In', context: { groupId: 'a' } }, want: { kind: 'ignored' } },
  {
    name: 'a bad property value is reported at the property',
    msg: { type: 'track', messageId: 'm5', timestamp: TS, userId: 'u1', event: 'API Call', properties: { count: 'lots' }, context: { groupId: 'acme' } },
    want: { kind: 'invalid', issues: [{ pointer: '/properties/count', detail: 'expected number, got "lots"' }] },
  },
  {
    name: 'a track call with no way to find the account is invalid',
    msg: { type: 'track', messageId: 'm6', userId: 'stranger', event: 'API Call' },
    want: { kind: 'invalid' },
  },
  { name: 'a group call needs a groupId', msg: { type: 'group', messageId: 'g2', userId: 'u1' }, want: { kind: 'invalid', issues: [{ pointer: '/groupId', detail: 'a group call needs a groupId (the account id)' }] } },
  { name: 'a bad timestamp is invalid', msg: { type: 'track', messageId: 'm7', timestamp: 'yesterday', event: 'API Call', context: { groupId: 'a' } }, want: { kind: 'invalid', issues: [{ pointer: '/timestamp', detail: 'not an ISO-8601 date and time (e.g. 2026-01-16T09:30:00Z), got "yesterday"' }] } },
  {
    name: 'a zone-less timestamp is UTC',
    msg: { type: 'track', messageId: 'm8', timestamp: '2026-03-01T10:00:00', userId: 'u1', event: 'API Call', context: { groupId: 'acme' } },
    want: { kind: 'event', event: { id: 'm8', ts: T, account: 'acme', user: 'u1', type: 'usage', meter: 'api_calls', quantity: 1 } },
  },
  {
    name: 'no timestamp: receivedAt - (sentAt - originalTimestamp)',
    msg: { type: 'track', messageId: 'm9', originalTimestamp: '2026-03-02T00:10:00Z', sentAt: '2026-03-02T00:10:05Z', userId: 'u1', event: 'API Call', context: { groupId: 'acme' } },
    want: { kind: 'event', event: { id: 'm9', ts: NOW - 5_000, account: 'acme', user: 'u1', type: 'usage', meter: 'api_calls', quantity: 1 } },
  },
  {
    name: 'identify with traits.company -> account traits and the user learned',
    msg: { type: 'identify', messageId: 'i2', timestamp: TS, userId: 'u3', traits: { company: { id: 'initech', name: 'Initech', employee_count: 80, industry: 'software' } } },
    want: { kind: 'event', event: { id: 'i2', ts: T, account: 'initech', user: 'u3', type: 'account', traits: { name: 'Initech', employees: 80, industry: 'software' } }, learn: { user: 'u3', account: 'initech' } },
  },
];

describe('Segment -> canonical', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(map(c.msg)).toMatchObject(c.want);
    });
  }

  it('uses the receive time without a timestamp and a content hash without a messageId, so a resend dedupes', () => {
    const m = { type: 'track', userId: 'u1', event: 'API Call', context: { groupId: 'acme' } };
    const a = map(m);
    const b = map({ ...m });
    expect(a.kind === 'event' && b.kind === 'event' && a.event.id === b.event.id && a.event.ts === NOW).toBe(true);
  });
});
