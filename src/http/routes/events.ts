// POST /v1/events: canonical events as a JSON array (or one object) or NDJSON. Valid items are
// stored, each invalid one is reported with a JSON pointer into the body; the 200 is sent only
// after the valid ones are committed.
import type { Hono } from 'hono';
import type { TierwiseEvent } from '../../core/events/types.ts';
import { checkCanonical, warningPointer } from '../../sources/canonical-issues.ts';
import { requireKey } from '../auth.ts';
import { bodyFormat, bodyText, MAX_BODY_DEPTH, parseJson, readBody, scanJson } from '../body.ts';
import type { ServerContext } from '../context.ts';
import { HttpProblem } from '../problem.ts';
import type { ItemError, ItemWarning } from '../schemas.ts';

export const MAX_REPORTED_ERRORS = 100;

/** Items validated between two turns of the event loop: /healthz and other requests answer in between. */
const SLICE = 1_000;

export function ingestReply(accepted: number, errors: ItemError[], rejected: number, warnings: ItemWarning[] = [], warned = warnings.length): {
  accepted: number; rejected: number; errors: ItemError[]; errors_truncated?: true; warnings: ItemWarning[]; warnings_truncated?: true;
} {
  return {
    accepted, rejected, errors: errors.slice(0, MAX_REPORTED_ERRORS), ...(errors.length < rejected || errors.length > MAX_REPORTED_ERRORS ? { errors_truncated: true as const } : {}),
    warnings: warnings.slice(0, MAX_REPORTED_ERRORS), ...(warned > MAX_REPORTED_ERRORS ? { warnings_truncated: true as const } : {}),
  };
}

/** Errors are kept up to the reported number only: a body of a million bad items builds a hundred. */
export function report(errors: ItemError[], e: ItemError): void {
  if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
}

export function tooMany(n: number, max: number): HttpProblem {
  return new HttpProblem('payload_too_large', `${n} items in one request; at most ${max} (http.max_events_per_request)`, { limit: max });
}

function splitNdjson(text: string, max: number): { items: unknown[]; lines: number[]; errors: ItemError[]; bad: number } {
  const items: unknown[] = [];
  const lines: number[] = [];
  const errors: ItemError[] = [];
  let bad = 0;
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    const s = raw.trim();
    if (s === '') continue;
    if (items.length >= max) throw tooMany(items.length + 1, max);
    try {
      items.push(JSON.parse(s));
      lines.push(line);
    } catch (err) {
      // Keep the index aligned with the line's item so pointers stay meaningful.
      bad++;
      report(errors, { pointer: `/${items.length}`, line, detail: `not valid JSON: ${(err as Error).message}` });
      items.push(undefined);
      lines.push(line);
    }
  }
  return { items, lines, errors, bad };
}

export function registerEventRoutes(app: Hono, ctx: ServerContext): void {
  app.post('/v1/events', async (c) => {
    await requireKey(c, { keys: ctx.store, limiter: ctx.limiter }, 'ingest');
    const format = bodyFormat(c, true);
    const body = await readBody(c, { maxBytes: ctx.http.max_body_bytes, tooLarge: 'payload_too_large' });
    const max = ctx.http.max_events_per_request;
    let items: unknown[];
    let lines: number[] | undefined;
    let errors: ItemError[] = [];
    const warnings: ItemWarning[] = [];
    let warned = 0;
    let rejected = 0;
    if (format === 'ndjson') {
      ({ items, lines, errors, bad: rejected } = splitNdjson(bodyText(body), max));
    } else {
      const scan = scanJson(body);
      if (scan.items > max) throw tooMany(scan.items, max);
      if (scan.tooDeep) {
        const at = scan.tooDeep;
        throw new HttpProblem('invalid_request', `item /${at.item} is nested deeper than ${MAX_BODY_DEPTH} levels (byte ${at.byte}); an event may nest 16`, { errors: [{ pointer: `/${at.item}`, detail: `nested deeper than ${MAX_BODY_DEPTH} levels` }] });
      }
      const parsed = parseJson(body);
      items = Array.isArray(parsed) ? parsed : [parsed];
    }
    const events: TierwiseEvent[] = [];
    for (let i = 0; i < items.length; i++) {
      if (i > 0 && i % SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const item = items[i];
      if (item === undefined) continue;
      const r = checkCanonical(item);
      if (r.ok) {
        events.push(r.event);
        const line = lines?.[i];
        for (const w of r.warnings ?? []) {
          warned++;
          if (warnings.length < MAX_REPORTED_ERRORS) warnings.push({ pointer: `/${i}${warningPointer(w)}`, ...(line !== undefined ? { line } : {}), value: w.value, detail: w.why });
        }
      } else {
        rejected++;
        for (const issue of r.issues) report(errors, { pointer: `/${i}${issue.pointer}`, detail: issue.detail });
      }
    }
    if (events.length === 0 && rejected > 0) {
      ctx.metrics.ingestEvents.inc({ source: 'events', outcome: 'rejected' }, rejected);
      throw new HttpProblem('invalid_events', `none of the ${rejected} item(s) is a valid canonical event`, ingestReply(0, errors, rejected, warnings, warned));
    }
    await ctx.queue.submit(events);
    ctx.metrics.ingestEvents.inc({ source: 'events', outcome: 'accepted' }, events.length);
    if (rejected > 0) ctx.metrics.ingestEvents.inc({ source: 'events', outcome: 'rejected' }, rejected);
    return c.json(ingestReply(events.length, errors, rejected, warnings, warned));
  });
}
