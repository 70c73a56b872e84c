// Segment HTTP Tracking API compatibility: /v1/batch, /v1/track, /v1/identify, /v1/group,
// /v1/page, /v1/screen, /v1/alias. A write key by Basic auth or `writeKey` in the body; gzip
// bodies; 500 KB per batch and 32 KB per message (400 beyond, as Segment answers).
import type { Context, Hono } from 'hono';
import type { TierwiseEvent } from '../../core/events/types.ts';
import { mapSegmentMessage } from '../../sources/segment.ts';
import { presentedKey, requireKey } from '../auth.ts';
import { MAX_BODY_DEPTH, parseJson, readBody, scanJson } from '../body.ts';
import type { ServerContext } from '../context.ts';
import { HttpProblem } from '../problem.ts';
import type { ItemError, ItemWarning } from '../schemas.ts';
import { limitIssue } from '../../sources/limits.ts';
import { ingestReply, MAX_REPORTED_ERRORS, report, tooMany } from './events.ts';

export const SEGMENT_MAX_BATCH_BYTES = 500 * 1024;
export const SEGMENT_MAX_MESSAGE_BYTES = 32 * 1024;
const SINGLE_TYPES = ['track', 'identify', 'group', 'page', 'screen', 'alias'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

async function readSegment(c: Context, ctx: ServerContext, max: number): Promise<Record<string, unknown>> {
  // No Content-Type check here: RudderStack's Node client posts gzipped JSON as
  // application/x-www-form-urlencoded, and Segment-compatible clients vary; the body must be JSON.
  // A key in the header is checked before the body is read; a body writeKey only after.
  const fromHeader = presentedKey(c) !== undefined;
  if (fromHeader) await requireKey(c, { keys: ctx.store, limiter: ctx.limiter }, 'ingest');
  const body = await readBody(c, { maxBytes: max, tooLarge: max === SEGMENT_MAX_BATCH_BYTES ? 'batch_too_large' : 'payload_too_large' })
    .catch((err: unknown) => {
      // A single call past 32 KB is `event_too_large` (400), as Segment answers it.
      if (err instanceof HttpProblem && err.code === 'payload_too_large') throw new HttpProblem('event_too_large', `a message is limited to ${SEGMENT_MAX_MESSAGE_BYTES} bytes`, { limit: SEGMENT_MAX_MESSAGE_BYTES });
      throw err;
    });
  const deep = scanJson(body).tooDeep;
  if (deep) throw new HttpProblem('invalid_request', `body nested deeper than ${MAX_BODY_DEPTH} levels (byte ${deep.byte})`);
  const parsed = parseJson(body);
  if (!isObject(parsed)) throw new HttpProblem('invalid_request', 'expected a JSON object');
  if (!fromHeader) await requireKey(c, { keys: ctx.store, limiter: ctx.limiter }, 'ingest', typeof parsed['writeKey'] === 'string' ? parsed['writeKey'] : undefined);
  return parsed;
}

export interface IgnoredMessage {
  pointer: string;
  reason: string;
}

interface BatchFields {
  context?: Record<string, unknown> | undefined;
  sentAt?: string | undefined;
}

async function ingestMessages(c: Context, ctx: ServerContext, messages: unknown[], prefix: (i: number) => string, batch: BatchFields = {}) {
  // Users without an account on the message are looked up once per request (group calls teach them).
  const users = new Map<string, string | undefined>();
  for (const m of messages) {
    if (!isObject(m)) continue;
    const u = m['userId'] ?? m['anonymousId'];
    if ((typeof u === 'string' || typeof u === 'number') && !users.has(String(u))) users.set(String(u), await ctx.identities.lookup('segment.user', String(u)));
  }
  const events: TierwiseEvent[] = [];
  const learned: { user: string; account: string }[] = [];
  const errors: ItemError[] = [];
  const warnings: ItemWarning[] = [];
  // Counted in full, listed up to the reported number (as errors are).
  const ignored: IgnoredMessage[] = [];
  let ignoredCount = 0;
  let rejected = 0;
  const now = ctx.now();
  messages.forEach((raw, i) => {
    // Shape limits first: a message nested thousands deep must not reach JSON.stringify below.
    const limit = isObject(raw) ? limitIssue(raw) : undefined;
    if (limit) {
      rejected++;
      report(errors, { pointer: `${prefix(i)}${limit.pointer}`, detail: limit.detail });
      return;
    }
    if (isObject(raw) && Buffer.byteLength(JSON.stringify(raw)) > SEGMENT_MAX_MESSAGE_BYTES) {
      rejected++;
      report(errors, { pointer: prefix(i), detail: `message larger than ${SEGMENT_MAX_MESSAGE_BYTES} bytes` });
      return;
    }
    // Batch-level context (Segment allows it) applies to each message that has none.
    const msg = isObject(raw) && batch.context && raw['context'] === undefined ? { ...raw, context: batch.context } : raw;
    const r = mapSegmentMessage(msg, { cfg: ctx.segment, now, sentAt: batch.sentAt, accountOfUser: (u) => users.get(u) });
    if (r.kind === 'event') {
      events.push(r.event);
      for (const w of r.warnings ?? []) if (warnings.length < MAX_REPORTED_ERRORS) warnings.push({ ...w, pointer: `${prefix(i)}${w.pointer}` });
      if (r.learn) {
        learned.push(r.learn);
        users.set(r.learn.user, r.learn.account);
      }
    } else if (r.kind === 'ignored') {
      if (ignoredCount++ < MAX_REPORTED_ERRORS) ignored.push({ pointer: prefix(i), reason: r.reason });
    }
    else {
      rejected++;
      for (const issue of r.issues) report(errors, { pointer: `${prefix(i)}${issue.pointer}`, detail: issue.detail });
    }
  });
  if (events.length === 0 && ignoredCount === 0 && rejected > 0) {
    ctx.metrics.ingestEvents.inc({ source: 'segment', outcome: 'rejected' }, rejected);
    throw new HttpProblem('invalid_events', `none of the ${rejected} message(s) could be used`, ingestReply(0, errors, rejected));
  }
  // A redelivery is the same message whatever its times say: the first delivery's ts is pinned
  // by messageId (ADR 0002), so the store's (ts, id) key drops every later copy.
  const pinned: TierwiseEvent[] = [];
  for (const e of events) {
    const ts = await ctx.segmentSeen.pin(e.id, e.ts);
    pinned.push(ts === e.ts ? e : { ...e, ts });
  }
  await ctx.queue.submit(pinned);
  // Only after the commit: a link is never learned from events that were not stored.
  for (const l of learned) await ctx.identities.learn('segment.user', l.user, l.account);
  ctx.metrics.ingestEvents.inc({ source: 'segment', outcome: 'accepted' }, events.length);
  if (ignoredCount) ctx.metrics.ingestEvents.inc({ source: 'segment', outcome: 'ignored' }, ignoredCount);
  if (rejected) ctx.metrics.ingestEvents.inc({ source: 'segment', outcome: 'rejected' }, rejected);
  return c.json({
    success: true as const, ...ingestReply(events.length, errors, rejected, warnings),
    ignored: ignoredCount, ignored_reasons: ignored,
  });
}

export function registerSegmentRoutes(app: Hono, ctx: ServerContext): void {
  app.post('/v1/batch', async (c) => {
    const body = await readSegment(c, ctx, SEGMENT_MAX_BATCH_BYTES);
    const batch = body['batch'];
    if (!Array.isArray(batch)) throw new HttpProblem('invalid_request', 'expected {"batch": [...messages]}', { errors: [{ pointer: '/batch', detail: 'expected an array' }] });
    if (batch.length > ctx.http.max_events_per_request) throw tooMany(batch.length, ctx.http.max_events_per_request);
    const context = isObject(body['context']) ? body['context'] : undefined;
    const sentAt = body['sentAt'];
    if (sentAt !== undefined && typeof sentAt !== 'string') throw new HttpProblem('invalid_request', 'sentAt must be an ISO-8601 string', { errors: [{ pointer: '/sentAt', detail: 'expected an ISO-8601 string' }] });
    return ingestMessages(c, ctx, batch, (i) => `/batch/${i}`, { context, sentAt });
  });
  for (const type of SINGLE_TYPES) {
    app.post(`/v1/${type}`, async (c) => {
      const body = await readSegment(c, ctx, SEGMENT_MAX_MESSAGE_BYTES);
      return ingestMessages(c, ctx, [{ ...body, type }], () => '');
    });
  }
}
