// The shape limits every incoming event is held to before anything else looks at it (docs/events.md,
// "Limits"). They are checked by an explicit stack, never by recursion, so that a value nested
// 100,000 deep is a reject with its pointer, not a stack overflow in the validator or the store.
import { escapePointer, type ItemIssue } from './pointer.ts';

export interface EventLimits {
  /** objects/arrays inside the event (the event itself is depth 0) */
  maxDepth: number;
  /** characters of any string value or field name */
  maxStringChars: number;
  /** fields of one object, elements of one array */
  maxFields: number;
  /** values in the whole event (every field, element and nested value counts one) */
  maxValues: number;
}

export const EVENT_LIMITS: EventLimits = { maxDepth: 16, maxStringChars: 8_192, maxFields: 256, maxValues: 4_096 };

/** The largest `quantity`, `mrr`, `amount` or `seats` accepted: sums of a year of them stay exact-ish and finite. */
export const MAX_QUANTITY = 1e12;

// Field names that JavaScript objects treat specially: `__proto__` would silently vanish (or change a
// prototype) when copied, so it is refused by name rather than dropped.
const FORBIDDEN_KEYS = new Set(['__proto__']);

/** Most events are one flat object of short values: checked without allocating anything. */
function flatAndSmall(o: unknown, limits: EventLimits): boolean {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;
  let n = 0;
  for (const k in o) {
    if (++n > limits.maxFields || k.length > limits.maxStringChars || FORBIDDEN_KEYS.has(k)) return false;
    const v = (o as Record<string, unknown>)[k];
    if (typeof v === 'string') {
      if (v.length > limits.maxStringChars) return false;
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
    } else if (typeof v === 'object' && v !== null) return false;
  }
  return true;
}

/** The first place where `input` breaks a limit, else undefined. */
export function limitIssue(input: unknown, limits: EventLimits = EVENT_LIMITS): ItemIssue | undefined {
  if (flatAndSmall(input, limits)) return undefined;
  let values = 0;
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: input, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop() as { v: unknown; path: string; depth: number };
    if (++values > limits.maxValues) return { pointer: path, detail: `more than ${limits.maxValues} values in one event` };
    if (typeof v === 'string') {
      if (v.length > limits.maxStringChars) return { pointer: path, detail: `string longer than ${limits.maxStringChars} characters` };
    } else if (typeof v === 'number') {
      // JSON.parse turns 1e309 into Infinity; saying "got null" later would hide why.
      if (!Number.isFinite(v)) return { pointer: path, detail: 'number out of range (beyond ±1.8e308)' };
    } else if (typeof v === 'object' && v !== null) {
      if (depth >= limits.maxDepth && path !== '') return { pointer: path, detail: `nested deeper than ${limits.maxDepth} levels` };
      if (Array.isArray(v)) {
        if (v.length > limits.maxFields) return { pointer: path, detail: `array of more than ${limits.maxFields} elements` };
        for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}/${i}`, depth: depth + 1 });
      } else {
        const keys = Object.keys(v);
        if (keys.length > limits.maxFields) return { pointer: path, detail: `object of more than ${limits.maxFields} fields` };
        for (let i = keys.length - 1; i >= 0; i--) {
          const k = keys[i] as string;
          const p = `${path}/${escapePointer(k)}`;
          if (FORBIDDEN_KEYS.has(k)) return { pointer: p, detail: `field name "${k}" is not allowed` };
          if (k.length > limits.maxStringChars) return { pointer: path, detail: `field name longer than ${limits.maxStringChars} characters` };
          stack.push({ v: (v as Record<string, unknown>)[k], path: p, depth: depth + 1 });
        }
      }
    }
  }
  return undefined;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why an id is not acceptable, or undefined: control characters (NUL above all) would merge or hide ids. */
export function idProblem(s: string): string | undefined {
  const m = CONTROL.exec(s);
  return m ? `contains a control character (U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}) at index ${m.index}` : undefined;
}
