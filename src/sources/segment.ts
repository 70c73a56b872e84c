// Segment HTTP Tracking API messages -> canonical events (docs/http-api.md, "Segment mapping").
// track -> the event type the `segment.track` mapping names; group -> account traits;
// page/screen -> session; identify -> account traits when it carries the reserved `company` trait
// (else ignored: v1 has no user entity); alias -> ignored. The messageId is the event id; its ts
// follows Segment's timestamp rules (segment-time.ts).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { TierwiseEvent } from '../core/events/types.ts';
import type { SegmentConfig, SegmentTrackMapping } from '../config/http-schema.ts';
import { checkCanonical, escapePointer, warningPointer, type ItemIssue } from './canonical-issues.ts';
import { segmentEventTime } from './segment-time.ts';

const jsonObject = z.record(z.string(), z.unknown());
const id = z.union([z.string(), z.number()]).transform(String);

export const segmentMessageSchema = z.looseObject({
  type: z.enum(['track', 'identify', 'group', 'page', 'screen', 'alias']),
  messageId: z.string().min(1).max(256).optional().describe('the dedupe key; without it a hash of the message is used'),
  timestamp: z.string().optional().describe('ISO-8601 (zone-less = UTC); the event time. Absent: receivedAt - (sentAt - originalTimestamp), else originalTimestamp, else the receive time'),
  originalTimestamp: z.string().optional(),
  sentAt: z.string().optional(),
  userId: id.optional(),
  anonymousId: id.optional(),
  groupId: id.optional(),
  event: z.string().optional(),
  name: z.string().optional(),
  properties: jsonObject.optional(),
  traits: jsonObject.optional(),
  context: z.looseObject({ groupId: id.optional() }).optional(),
  writeKey: z.string().optional(),
});
export type SegmentMessage = z.output<typeof segmentMessageSchema>;

export const segmentBatchSchema = z.looseObject({
  batch: z.array(z.unknown()).describe('Segment messages; each also valid alone at /v1/track, /v1/group...'),
  writeKey: z.string().optional(),
  sentAt: z.string().optional(),
  context: jsonObject.optional(),
});

/** An optional field set aside (e.g. a group trait renewal_at that is not a date), relative to the message. */
export interface ItemWarningOut { pointer: string; value: unknown; detail: string }

export type SegmentResult =
  | { kind: 'event'; event: TierwiseEvent; learn?: { user: string; account: string }; warnings?: ItemWarningOut[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; issues: ItemIssue[] };

export interface SegmentContext {
  cfg: SegmentConfig;
  /** the account a user was last grouped with (learned from group calls) */
  accountOfUser: (user: string) => string | undefined;
  /** the receive time (Segment's receivedAt), epoch ms */
  now: number;
  /** the batch's `sentAt`, for messages that carry none of their own */
  sentAt?: string | undefined;
}

/** Maps one message (already a parsed JSON value) to a canonical event, or says why not. */
export function mapSegmentMessage(input: unknown, ctx: SegmentContext): SegmentResult {
  const parsed = segmentMessageSchema.safeParse(input);
  if (!parsed.success) {
    return { kind: 'invalid', issues: parsed.error.issues.map((i) => ({ pointer: i.path.map((p) => `/${escapePointer(String(p))}`).join(''), detail: i.message })) };
  }
  const m = parsed.data;
  const time = segmentEventTime({ timestamp: m.timestamp, originalTimestamp: m.originalTimestamp, sentAt: m.sentAt ?? ctx.sentAt }, ctx.now);
  if (!time.ok) return { kind: 'invalid', issues: [{ pointer: time.field === 'sentAt' && m.sentAt === undefined ? '' : `/${time.field}`, detail: time.field === 'sentAt' && m.sentAt === undefined ? `the batch's sentAt is ${time.detail}` : time.detail }] };
  const base = {
    id: m.messageId ?? `seg-${createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 32)}`,
    ts: new Date(time.ts).toISOString(),
    ...(m.userId ?? m.anonymousId ? { user: m.userId ?? m.anonymousId } : {}),
  };

  switch (m.type) {
    case 'identify': {
      // Segment's reserved `company` trait ({id, name, industry, employee_count, plan}) is the
      // one identify trait Tierwise uses: it describes the account and links the user to it.
      const company = m.traits?.['company'];
      const companyId = typeof company === 'object' && company !== null ? (company as Record<string, unknown>)['id'] : undefined;
      if (typeof companyId !== 'string' && typeof companyId !== 'number') {
        return { kind: 'ignored', reason: 'identify: no trait Tierwise uses (users are known by the events they send; traits.company.id would link the user to an account)' };
      }
      const c = company as Record<string, unknown>;
      const traits = groupTraits({
        ...(c['name'] !== undefined ? { name: c['name'] } : {}),
        ...(c['industry'] !== undefined ? { industry: c['industry'] } : {}),
        ...(c['employee_count'] !== undefined ? { employees: c['employee_count'] } : {}),
      });
      const account = String(companyId);
      const r = checkCanonical({ ...base, type: 'account', account, traits });
      if (!r.ok) return { kind: 'invalid', issues: r.issues.map((i) => ({ pointer: i.pointer.replace(/^\/traits(\/employees)?/, (_all, emp?: string) => (emp ? '/traits/company/employee_count' : '/traits/company')), detail: i.detail })) };
      return m.userId !== undefined ? { kind: 'event', event: r.event, learn: { user: m.userId, account } } : { kind: 'event', event: r.event };
    }
    case 'alias':
      return { kind: 'ignored', reason: 'alias: Tierwise keeps no user identities to merge' };
    case 'group': {
      if (m.groupId === undefined) return { kind: 'invalid', issues: [{ pointer: '/groupId', detail: 'a group call needs a groupId (the account id)' }] };
      const traits = groupTraits(m.traits ?? {});
      const r = checkCanonical({ ...base, type: 'account', account: m.groupId, traits });
      if (!r.ok) return { kind: 'invalid', issues: r.issues };
      const warnings = r.warnings?.map((w) => ({ pointer: warningPointer(w), value: w.value, detail: w.why }));
      return { kind: 'event', event: r.event, ...(m.userId !== undefined ? { learn: { user: m.userId, account: m.groupId } } : {}), ...(warnings ? { warnings } : {}) };
    }
    case 'page':
    case 'screen': {
      if (!ctx.cfg.pages_as_sessions) return { kind: 'ignored', reason: `${m.type}: pages_as_sessions is off` };
      const account = accountOf(m, ctx);
      if (account === undefined) return { kind: 'ignored', reason: `${m.type}: no account (no context.groupId, properties.${ctx.cfg.account_property}, or earlier group call for the user)` };
      const r = checkCanonical({ ...base, type: 'session', account, ...(m.name !== undefined ? { page: m.name } : {}) });
      return r.ok ? { kind: 'event', event: r.event } : { kind: 'invalid', issues: r.issues };
    }
    case 'track': {
      if (m.event === undefined) return { kind: 'invalid', issues: [{ pointer: '/event', detail: 'a track call needs an event name' }] };
      const mapping = ctx.cfg.track[m.event];
      if (!mapping) return { kind: 'ignored', reason: `track "${m.event}": not mapped in segment.track (tierwise.yaml)` };
      const account = accountOf(m, ctx);
      if (account === undefined) {
        return { kind: 'invalid', issues: [{ pointer: '/context/groupId', detail: `no account: send context.groupId or properties.${ctx.cfg.account_property}, or a group call for this user first` }] };
      }
      return mapTrack(m, mapping, { ...base, account });
    }
  }
}

function accountOf(m: SegmentMessage, ctx: SegmentContext): string | undefined {
  const fromProps = m.properties?.[ctx.cfg.account_property];
  if (m.context?.groupId !== undefined) return m.context.groupId;
  if (m.groupId !== undefined) return m.groupId;
  if (typeof fromProps === 'string' || typeof fromProps === 'number') return String(fromProps);
  const user = m.userId ?? m.anonymousId;
  return user !== undefined ? ctx.accountOfUser(user) : undefined;
}

function mapTrack(m: SegmentMessage, mapping: SegmentTrackMapping, base: Record<string, unknown>): SegmentResult {
  const out: Record<string, unknown> = { ...base, type: mapping.type, segment_event: m.event };
  // Where each canonical field came from, so an invalid value is reported at the Segment property.
  const origin = new Map<string, string>();
  const props = m.properties ?? {};
  for (const [field, source] of Object.entries(mapping)) {
    if (field === 'type' || source === undefined) continue;
    if (typeof source === 'object') {
      const v = props[source.property] ?? source.default;
      if (v !== undefined) out[field] = v;
      origin.set(field, `/properties/${escapePointer(source.property)}`);
    } else {
      out[field] = source;
    }
  }
  const r = checkCanonical(out);
  if (r.ok) return { kind: 'event', event: r.event };
  return {
    kind: 'invalid',
    issues: r.issues.map((i) => {
      const field = i.pointer.split('/')[1] ?? '';
      const at = origin.get(field);
      return at ? { pointer: at, detail: i.detail } : { pointer: '', detail: `segment.track["${m.event}"] mapping gives ${i.pointer.slice(1) || 'the event'}: ${i.detail}` };
    }),
  };
}

const NUMERIC_TRAITS = ['employees'];

/** Segment group traits -> canonical account traits: numeric strings become numbers, the rest is kept. */
function groupTraits(traits: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...traits };
  for (const k of NUMERIC_TRAITS) {
    const v = out[k];
    if (typeof v === 'string' && /^\d+$/.test(v.trim())) out[k] = Number(v);
  }
  // Segment's reserved trait for the size of a company is `employees`; `createdAt` etc. are kept as extras.
  return out;
}
