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

function isId(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0 && v.length <= 256 && !CONTROL.test(v);
}

/** The core event when the object is certainly valid, else undefined (ask zod). */
export function fastCanonical(o: Record<string, unknown>): TierwiseEvent | undefined {
  const type = o['type'];
  if (typeof type !== 'string') return undefined;
  // own keys only: `type: "constructor"` must not find Object's constructor on the prototype
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
