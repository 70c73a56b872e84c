// Turns one wire object into a core event, or says exactly why it cannot.
import type { z } from 'zod';
import { EVENT_TYPES, type TierwiseEvent } from '../core/events/types.ts';
import { canonicalEventSchema, isLenientField } from './canonical-schema.ts';
import { fastCanonical } from './fast-check.ts';
import { parseIsoTime } from './iso-time.ts';
import { limitIssue } from './limits.ts';
import { noNegativeZero } from './negative-zero.ts';

/** An optional field the engine reads but could not parse: the event is stored without it. */
export interface FieldWarning {
  /** dotted path in the canonical event, e.g. traits.renewal_at */
  field: string;
  value: unknown;
  why: string;
}

export type ParseResult = { ok: true; event: TierwiseEvent; warnings?: FieldWarning[] } | { ok: false; error: string };

const KNOWN_FIELDS: Record<string, readonly string[]> = {
  account: ['traits'],
  subscription: ['plan', 'interval', 'mrr', 'seats', 'status', 'discount_pct', 'term_months', 'addons', 'units'],
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

const issuePath = (issue: z.core.$ZodIssue): string =>
  issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');

function issueWhy(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const input = (issue as { input?: unknown }).input;
    return `expected ${issue.expected}${input === undefined ? ', missing' : `, got ${JSON.stringify(input)}`}`;
  }
  return issue.message;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issuePath(issue);
  if (issue.code === 'invalid_union' && path === 'type') return 'type: missing';
  return `${path || 'event'}: ${issueWhy(issue)}`;
}

/**
 * When every problem is in an optional field the engine can do without, a copy of the input without
 * those fields, and one warning per field; else undefined (the line is rejected).
 */
function setAside(type: string, input: Record<string, unknown>, issues: readonly z.core.$ZodIssue[]): { input: Record<string, unknown>; warnings: FieldWarning[] } | undefined {
  const byField = new Map<string, z.core.$ZodIssue>();
  for (const issue of issues) {
    const field = issue.path.map(String).join('.');
    if (!isLenientField(type, field)) return undefined;
    if (!byField.has(field)) byField.set(field, issue);
  }
  const copy: Record<string, unknown> = { ...input };
  const warnings: FieldWarning[] = [];
  for (const [field, issue] of byField) {
    const [head, key] = field.split('.') as [string, string | undefined];
    let value: unknown;
    if (key === undefined) {
      value = copy[head];
      delete copy[head];
    } else {
      const inner: Record<string, unknown> = { ...(copy[head] as Record<string, unknown>) };
      value = inner[key];
      delete inner[key];
      copy[head] = inner;
    }
    warnings.push({ field, value, why: issueWhy(issue) });
  }
  return { input: copy, warnings };
}

export function parseCanonical(input: unknown): ParseResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, error: 'event: expected a JSON object' };
  const limit = limitIssue(input);
  if (limit) return { ok: false, error: `${limit.pointer.slice(1).replace(/\//g, '.') || 'event'}: ${limit.detail}` };
  const fast = fastCanonical(input as Record<string, unknown>);
  if (fast) return { ok: true, event: noNegativeZero(fast) };
  return parseWithSchema(input);
}

/** The schema's verdict alone (the reference the fast path must agree with). */
export function parseWithSchema(input: object): ParseResult {
  const type = (input as { type?: unknown }).type;
  if (typeof type !== 'string') return { ok: false, error: `type: expected one of ${EVENT_TYPES.join(', ')}, ${type === undefined ? 'missing' : `got ${JSON.stringify(type)}`}` };
  if (!(EVENT_TYPES as readonly string[]).includes(type)) return { ok: false, error: `type: unknown type "${type}" (expected one of ${EVENT_TYPES.join(', ')})` };
  let r = canonicalEventSchema.safeParse(input, { reportInput: true });
  let warnings: FieldWarning[] | undefined;
  if (!r.success) {
    const aside = setAside(type, input as Record<string, unknown>, r.error.issues);
    if (aside) {
      warnings = aside.warnings;
      r = canonicalEventSchema.safeParse(aside.input, { reportInput: true });
    }
  }
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
  if (warnings) {
    // Kept with the event, so the value is not lost and a later fix can read it again.
    const before = extra?.['unparsed'];
    const unparsed: Record<string, unknown> = typeof before === 'object' && before !== null && !Array.isArray(before) ? { ...before } : {};
    for (const w of warnings) unparsed[w.field] = w.value;
    (extra ??= {})['unparsed'] = unparsed;
  }
  if (extra) out['extra'] = extra;
  const event = noNegativeZero(out as unknown as TierwiseEvent);
  return warnings ? { ok: true, event, warnings } : { ok: true, event };
}

/** The wire form of a core event: ISO timestamp, extra fields flattened back. */
export function toWire(event: TierwiseEvent): Record<string, unknown> {
  const { extra, ts, ...rest } = event;
  return { ...rest, ts: new Date(ts).toISOString(), ...extra };
}
