// Validates a canonical wire object and, when it is not valid, says where with JSON pointers
// (RFC 6901) relative to the object, so the HTTP layer can answer `/3/quantity: expected number`.
import { EVENT_TYPES } from '../core/events/types.ts';
import { canonicalEventSchema } from './canonical-schema.ts';
import { parseCanonical, type FieldWarning, type ParseResult } from './canonical.ts';
import type { TierwiseEvent } from '../core/events/types.ts';
import { limitIssue } from './limits.ts';
import { toPointer, type ItemIssue } from './pointer.ts';

export { escapePointer, toPointer, type ItemIssue } from './pointer.ts';

export type CheckedEvent = { ok: true; event: TierwiseEvent; warnings?: FieldWarning[] } | { ok: false; issues: ItemIssue[] };

/** A field warning as a JSON pointer relative to the item: traits.renewal_at -> /traits/renewal_at. */
export const warningPointer = (w: FieldWarning): string => toPointer(w.field.split('.'));


export function checkCanonical(input: unknown): CheckedEvent {
  const r: ParseResult = parseCanonical(input);
  if (r.ok) return r;
  // The slow path runs only for bad items: zod's issues carry the paths the fast path flattened.
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, issues: [{ pointer: '', detail: 'expected a JSON object' }] };
  const limit = limitIssue(input);
  if (limit) return { ok: false, issues: [limit] };
  const type = (input as { type?: unknown }).type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    return { ok: false, issues: [{ pointer: '/type', detail: r.error.replace(/^type: /, '') }] };
  }
  const z = canonicalEventSchema.safeParse(input, { reportInput: true });
  if (z.success) return { ok: false, issues: [{ pointer: '', detail: r.error }] };
  // One issue per place: a malformed timestamp fails both its pattern and its date check.
  const issues = new Map<string, string>();
  for (const issue of z.error.issues) {
    const pointer = toPointer(issue.path);
    if (issues.has(pointer)) continue;
    const got = (issue as { input?: unknown }).input;
    issues.set(pointer, issue.code === 'invalid_type'
      ? `expected ${issue.expected}${got === undefined ? ', but it is missing' : `, got ${JSON.stringify(got)}`}`
      : issue.message);
  }
  return { ok: false, issues: [...issues].map(([pointer, detail]) => ({ pointer, detail })) };
}
