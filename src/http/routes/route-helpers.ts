// What the playbook routes share: validated JSON bodies and queries, the engine, the write lock,
// and times as ISO-8601 on the wire (the store keeps epoch ms).
import type { Context } from 'hono';
import type { z } from 'zod';
import type { Engine } from '../../app/engine.ts';
import { bodyFormat, parseJson, readBody } from '../body.ts';
import type { ServerContext } from '../context.ts';
import { HttpProblem } from '../problem.ts';

const MAX_JSON_BODY = 64 * 1024;

function check<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const errors = r.error.issues.map((i) => ({ pointer: i.path.length ? `/${i.path.map(String).join('/')}` : '', detail: i.message }));
  throw new HttpProblem('invalid_request', `invalid ${where}: ${errors.map((e) => `${e.pointer || '(root)'} ${e.detail}`).join('; ')}`, { errors });
}

export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  bodyFormat(c, false);
  return check(schema, parseJson(await readBody(c, { maxBytes: MAX_JSON_BODY, tooLarge: 'payload_too_large' })), 'body');
}

export function queryOf<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return check(schema, c.req.query(), 'query');
}

export function engineOf(ctx: ServerContext): Engine {
  if (!ctx.engine) throw new HttpProblem('engine_disabled', 'this server was started without the engine (serve --no-engine)');
  return ctx.engine.engine;
}

/** Playbook writes queue behind the scheduler's pass (one writer), when the scheduler runs here. */
export function exclusive<T>(ctx: ServerContext, fn: () => Promise<T>): Promise<T> {
  return ctx.playbooks ? ctx.playbooks.exclusive(fn) : fn();
}

const TIME_KEYS = new Set(['at', 'openedAt', 'updatedAt', 'closedAt', 'startedAt', 'endsAt', 'endedAt', 'dueAt', 'notBefore', 'createdAt', 'outcomeAt', 'deliveredAt', 'nextAt']);

/** A copy with the epoch-ms time fields as ISO-8601 strings, at any depth. */
export function withIsoTimes<T>(value: T): unknown {
  if (Array.isArray(value)) return value.map(withIsoTimes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, TIME_KEYS.has(k) && typeof v === 'number' ? new Date(v).toISOString() : withIsoTimes(v)]));
}
