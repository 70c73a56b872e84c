// RFC 9457 problem details. Every error the server returns is application/problem+json with a
// stable `code`; this file's table is the one place that maps codes to HTTP statuses.
import type { Context } from 'hono';
import { AppError } from '../app/errors.ts';

export const STATUS_BY_CODE = {
  invalid_json: 400,
  invalid_request: 400,
  batch_too_large: 400, // Segment answers 400 past its 500 KB batch limit; clients expect that
  event_too_large: 400, // and past 32 KB per event
  signature_invalid: 400, // Stripe's own advice for a webhook whose signature fails
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  key_not_found: 404,
  stripe_not_configured: 404,
  crm_not_configured: 404,
  method_not_allowed: 405,
  key_revoked: 409,
  conflict: 409,
  link_expired: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_events: 422,
  rate_limited: 429,
  internal: 500,
  engine_disabled: 501,
  overloaded: 503,
} as const satisfies Record<string, number>;

export type ProblemCode = keyof typeof STATUS_BY_CODE;

const TITLES: Record<ProblemCode, string> = {
  invalid_json: 'Body is not valid JSON',
  invalid_request: 'Invalid request',
  batch_too_large: 'Batch too large',
  event_too_large: 'Event too large',
  signature_invalid: 'Invalid webhook signature',
  unauthorized: 'Authentication required',
  forbidden: 'Not allowed for this key',
  not_found: 'Not found',
  key_not_found: 'No such API key',
  stripe_not_configured: 'Stripe webhooks are not configured',
  crm_not_configured: 'This CRM is not configured',
  method_not_allowed: 'Method not allowed',
  key_revoked: 'API key already revoked',
  conflict: 'Conflicts with the current state',
  link_expired: 'This link has expired',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  invalid_events: 'No valid event in the request',
  rate_limited: 'Too many requests',
  internal: 'Internal error',
  engine_disabled: 'The engine does not run in this server',
  overloaded: 'Server busy',
};

export class HttpProblem extends Error {
  constructor(readonly code: ProblemCode, readonly detail: string, readonly extra: Record<string, unknown> = {}, readonly headers: Record<string, string> = {}) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  instance?: string;
  [extra: string]: unknown;
}

export function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  if (err instanceof AppError) {
    return new HttpProblem(err.code, err.message, {}, err.code === 'overloaded' ? { 'Retry-After': '1' } : {});
  }
  // The store is locked by another writer (an import beside the server): a retry will get through,
  // and the SDK and the Segment clients retry a 503 with Retry-After.
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) {
    return new HttpProblem('overloaded', 'the store is busy with another writer; retry shortly', {}, { 'Retry-After': '1' });
  }
  return new HttpProblem('internal', 'internal error; see the server log');
}

export function problemResponse(c: Context, err: unknown): Response {
  const p = toProblem(err);
  const status = STATUS_BY_CODE[p.code];
  const body: ProblemBody = {
    type: `urn:tierwise:problem:${p.code}`,
    title: TITLES[p.code],
    status,
    code: p.code,
    detail: p.detail,
    instance: c.req.path,
    ...p.extra,
  };
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json', ...p.headers } });
}
