// A 32-bit FNV-1a hash: user ids are kept as small numbers so per-account user sets stay bounded in bytes.
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
