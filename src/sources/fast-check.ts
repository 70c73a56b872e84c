// The happy path of canonical validation, hand-written for import speed. It only ever says "valid"
// for objects the zod schema also accepts (canonical.test.ts checks both agree); anything it is unsure
// about goes to zod, which also writes the error message.
import type { TierwiseEvent } from '../core/events/types.ts';
import { parseIsoTime } from './iso-time.ts';
import { MAX_QUANTITY } from './limits.ts';

const CONTROL = /[\u0000-\u001f\u007f]/;
const BASE = new Set(['id', 'ts', 'account', 'user', 'type']);
const FIELDS: Record<string, Record<string, (v: unknown) => boolean>> = {
  usage: { meter: isId, quantity: (v) => typeof v === 'number' && v >= 0 && v <= MAX_QUANTITY },
  gate: { feature: isId },
  feature: { feature: isId },
  session: {},
  member: { action: (v) => v === 'added' || v === 'removed' },
  nps: { score: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10 },
};

const oneOf = (...values: string[]) => (v: unknown) => values.includes(v as string);
const isCents = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_QUANTITY;

/**
 * Types that went to zod before this table existed: their events keep zod's key order (id, ts, account,
 * user, type, the schema's fields in its order, then extras), so that a stored body is byte for byte the
 * one an earlier import wrote. Optional fields absent from the input stay absent, as with zod; an
 * optional field present with any value not certainly valid, or addons/units, goes to zod (which may
 * set it aside with a warning).
 */
const ZOD_ORDER: Record<string, Record<string, { check: (v: unknown) => boolean; optional?: true }>> = {
  subscription: {
    plan: { check: isId },
    interval: { check: oneOf('month', 'year') },
    mrr: { check: isCents },
    seats: { check: (v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_QUANTITY, optional: true },
    status: { check: oneOf('trialing', 'active', 'past_due', 'canceled') },
    discount_pct: { check: (v) => typeof v === 'number' && v >= 0 && v <= 100, optional: true },
    term_months: { check: (v) => Number.isSafeInteger(v) && (v as number) > 0, optional: true },
  },
  integration: { name: { check: isId }, action: { check: oneOf('connected', 'disconnected') } },
  ticket: {
    ticket: { check: isId },
    status: { check: oneOf('opened', 'closed') },
    severity: { check: oneOf('low', 'normal', 'high', 'critical') },
    topic: { check: (v) => typeof v === 'string' },
  },
  invoice: { invoice: { check: isId }, status: { check: oneOf('paid', 'past_due', 'void') }, amount: { check: isCents } },
};
/** Fields of these types that only zod reads (arrays and records). */
const ZOD_ONLY = new Set(['addons', 'units']);

function isId(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0 && v.length <= 256 && !CONTROL.test(v);
}

/** The core event when the object is certainly valid, else undefined (ask zod). */
export function fastCanonical(o: Record<string, unknown>): TierwiseEvent | undefined {
  const type = o['type'];
  if (typeof type !== 'string') return undefined;
  // own keys only: `type: "constructor"` must not find Object's constructor on the prototype
  if (Object.hasOwn(ZOD_ORDER, type)) return inZodOrder(o, type, ZOD_ORDER[type] as (typeof ZOD_ORDER)[string]);
  const fields = Object.hasOwn(FIELDS, type) ? FIELDS[type] : undefined;
  if (!fields) return undefined;
  const ts = o['ts'];
  if (!isId(o['id']) || !isId(o['account']) || typeof ts !== 'string') return undefined;
  if (o['user'] !== undefined && !isId(o['user'])) return undefined;
  const ms = parseIsoTime(ts);
  if (Number.isNaN(ms)) return undefined;
  const out: Record<string, unknown> = { id: o['id'], ts: ms, account: o['account'], type };
  if (o['user'] !== undefined) out['user'] = o['user'];
  let extra: Record<string, unknown> | undefined;
  for (const k in fields) {
    if (!(fields[k] as (v: unknown) => boolean)(o[k])) return undefined;
    out[k] = o[k];
  }
  for (const k in o) {
    if (!BASE.has(k) && !Object.hasOwn(fields, k)) (extra ??= {})[k] = o[k];
  }
  if (extra) out['extra'] = extra;
  return out as unknown as TierwiseEvent;
}

function inZodOrder(o: Record<string, unknown>, type: string, fields: (typeof ZOD_ORDER)[string]): TierwiseEvent | undefined {
  const ts = o['ts'];
  if (!isId(o['id']) || !isId(o['account']) || typeof ts !== 'string') return undefined;
  if (o['user'] !== undefined && !isId(o['user'])) return undefined;
  const ms = parseIsoTime(ts);
  if (Number.isNaN(ms)) return undefined;
  const out: Record<string, unknown> = { id: o['id'], ts: ms, account: o['account'] };
  if (o['user'] !== undefined) out['user'] = o['user'];
  out['type'] = type;
  for (const k in fields) {
    const f = fields[k] as { check: (v: unknown) => boolean; optional?: true };
    if (!Object.hasOwn(o, k)) {
      if (f.optional) continue;
      return undefined;
    }
    if (!f.check(o[k])) return undefined;
    out[k] = o[k];
  }
  let extra: Record<string, unknown> | undefined;
  for (const k in o) {
    if (ZOD_ONLY.has(k)) return undefined;
    if (!BASE.has(k) && !Object.hasOwn(fields, k)) (extra ??= {})[k] = o[k];
  }
  if (extra) out['extra'] = extra;
  return out as unknown as TierwiseEvent;
}
