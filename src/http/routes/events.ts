// POST /v1/events: canonical events as a JSON array (or one object) or NDJSON. Valid items are
// stored, each invalid one is reported with a JSON pointer into the body; the 200 is sent only
// after the valid ones are committed.
import type { Hono } from 'hono';
import type { TierwiseEvent } from '../../core/events/types.ts';
import { checkCanonical, warningPointer } from '../../sources/canonical-issues.ts';
import { requireKey } from '../auth.ts';
import { bodyFormat, parseJson, readBody } from '../body.ts';
import type { ServerContext } from '../context.ts';
import { HttpProblem } from '../problem.ts';
import type { ItemError, ItemWarning } from '../schemas.ts';

export const MAX_REPORTED_ERRORS = 100;

export function ingestReply(accepted: number, errors: ItemError[], rejected: number, warnings: ItemWarning[] = []): {
  accepted: number; rejected: number; errors: ItemError[]; errors_truncated?: true; warnings: ItemWarning[]; warnings_truncated?: true;
} {
  return {
    accepted, rejected, errors: errors.slice(0, MAX_REPORTED_ERRORS), ...(errors.length > MAX_REPORTED_ERRORS ? { errors_truncated: true as const } : {}),
    warnings: warnings.slice(0, MAX_REPORTED_ERRORS), ...(warnings.length > MAX_REPORTED_ERRORS ? { warnings_truncated: true as const } : {}),
  };
}

function splitNdjson(text: string): { items: unknown[]; lines: number[]; errors: ItemError[] } {
  const items: unknown[] = [];
  const lines: number[] = [];
  const errors: ItemError[] = [];
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    const s = raw.trim();
    if (s === '') continue;
    try {
      items.push(JSON.parse(s));
      lines.push(line);
    } catch (err) {
      // Keep the index aligned with the line's item so pointers stay meaningful.
      errors.push({ pointer: `/${items.length}`, line, detail: `not valid JSON: ${(err as Error).message}` });
      items.push(undefined);
      lines.push(line);
    }
  }
  return { items, lines, errors };
}

export function registerEventRoutes(app: Hono, ctx: ServerContext): void {
  app.post('/v1/events', async (c) => {
    await requireKey(c, { keys: ctx.store, limiter: ctx.limiter }, 'ingest');
    const format = bodyFormat(c, true);
    const body = await readBody(c, { maxBytes: ctx.http.max_body_bytes, tooLarge: 'payload_too_large' });
    let items: unknown[];
    let lines: number[] | undefined;
    let errors: ItemError[] = [];
    const warnings: ItemWarning[] = [];
    if (format === 'ndjson') {
      ({ items, lines, errors } = splitNdjson(body.toString('utf8')));
    } else {
      const parsed = parseJson(body);
      items = Array.isArray(parsed) ? parsed : [parsed];
    }
    const events: TierwiseEvent[] = [];
    let rejected = errors.length;
    items.forEach((item, i) => {
      if (item === undefined) return;
      const r = checkCanonical(item);
      if (r.ok) {
        events.push(r.event);
        const line = lines?.[i];
        for (const w of r.warnings ?? []) warnings.push({ pointer: `/${i}${warningPointer(w)}`, ...(line !== undefined ? { line } : {}), value: w.value, detail: w.why });
      } else {
        rejected++;
        for (const issue of r.issues) errors.push({ pointer: `/${i}${issue.pointer}`, detail: issue.detail });
      }
    });
    if (events.length === 0 && rejected > 0) {
      ctx.metrics.ingestEvents.inc({ source: 'events', outcome: 'rejected' }, rejected);
      throw new HttpProblem('invalid_events', `none of the ${rejected} item(s) is a valid canonical event`, ingestReply(0, errors, rejected, warnings));
    }
    await ctx.queue.submit(events);
    ctx.metrics.ingestEvents.inc({ source: 'events', outcome: 'accepted' }, events.length);
    if (rejected > 0) ctx.metrics.ingestEvents.inc({ source: 'events', outcome: 'rejected' }, rejected);
    return c.json(ingestReply(events.length, errors, rejected, warnings));
  });
}
