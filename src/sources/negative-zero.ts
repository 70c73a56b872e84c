// JSON text may say -0 (JSON.parse keeps it) but the store's encoding writes 0: an accepted event
// must read back exactly as it was accepted, so -0 becomes 0 at the door.

function hasNegativeZero(v: unknown): boolean {
  if (typeof v === 'number') return Object.is(v, -0);
  if (typeof v !== 'object' || v === null) return false;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (hasNegativeZero(x)) return true;
  return false;
}

function withoutNegativeZero(v: unknown): unknown {
  if (typeof v === 'number') return Object.is(v, -0) ? 0 : v;
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(withoutNegativeZero);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutNegativeZero(x)]));
}

/** The value itself when it holds no -0 (the common case costs one walk, no copy), else a copy with 0. */
export function noNegativeZero<T>(v: T): T {
  return hasNegativeZero(v) ? (withoutNegativeZero(v) as T) : v;
}
