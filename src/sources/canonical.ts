// Turns one wire object into a core event, or says exactly why it cannot.
import type { z } from 'zod';
import { EVENT_TYPES, type TierwiseEvent } from '../core/events/types.ts';
import { canonicalEventSchema } from './canonical-schema.ts';
import { fastCanonical } from './fast-check.ts';
import { parseIsoTime } from './iso-time.ts';
import { limitIssue } from './limits.ts';

export type ParseResult = { ok: true; event: TierwiseEvent } | { ok: false; error: string };

const KNOWN_FIELDS: Record<string, readonly string[]> = {
  account: ['traits'],
  subscription: ['plan', 'interval', 'mrr', 'seats', 'status', 'discount_pct', 'term_months'],
  usage: ['meter', 'quantity'],
  gate: ['feature'],
  feature: ['feature'],
  member: ['action'],
  integration: ['name', 'action'],
  ticket: ['ticket', 'status', 'severity', 'topic'],
  invoice: ['invoice', 'status', 'amount'],
  nps: ['score'],
  session: [],
  prompt: ['prompt', 'action'],
};
const BASE_FIELDS = ['id', 'ts', 'account', 'user', 'type'];

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  if (issue.code === 'invalid_type') {
    const input = (issue as { input?: unknown }).input;
    return `${path || 'event'}: expected ${issue.expected}${input === undefined ? ', missing' : `, got ${JSON.stringify(input)}`}`;
  }
  if (issue.code === 'invalid_union' && path === 'type') return 'type: missing';
  return `${path || 'event'}: ${issue.message}`;
}

export function parseCanonical(input: unknown): ParseResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, error: 'event: expected a JSON object' };
  const limit = limitIssue(input);
  if (limit) return { ok: false, error: `${limit.pointer.slice(1).replace(/\//g, '.') || 'event'}: ${limit.detail}` };
  const fast = fastCanonical(input as Record<string, unknown>);
  if (fast) return { ok: true, event: fast };
  return parseWithSchema(input);
}

/** The schema's verdict alone (the reference the fast path must agree with). */
export function parseWithSchema(input: object): ParseResult {
  const type = (input as { type?: unknown }).type;
  if (typeof type !== 'string') return { ok: false, error: `type: expected one of ${EVENT_TYPES.join(', ')}, ${type === undefined ? 'missing' : `got ${JSON.stringify(type)}`}` };
  if (!(EVENT_TYPES as readonly string[]).includes(type)) return { ok: false, error: `type: unknown type "${type}" (expected one of ${EVENT_TYPES.join(', ')})` };
  const r = canonicalEventSchema.safeParse(input, { reportInput: true });
  if (!r.success) return { ok: false, error: r.error.issues.map(formatIssue).join('; ') };
  const data = r.data as Record<string, unknown>;
  const known = KNOWN_FIELDS[type] ?? [];
  let extra: Record<string, unknown> | undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (k === 'ts') out['ts'] = parseIsoTime(v as string);
    else if (BASE_FIELDS.includes(k) || known.includes(k)) out[k] = v;
    else (extra ??= {})[k] = v;
  }
  if (extra) out['extra'] = extra;
  return { ok: true, event: out as unknown as TierwiseEvent };
}

/** The wire form of a core event: ISO timestamp, extra fields flattened back. */
export function toWire(event: TierwiseEvent): Record<string, unknown> {
  const { extra, ts, ...rest } = event;
  return { ...rest, ts: new Date(ts).toISOString(), ...extra };
}
