// Strict UTF-8: bytes that are not UTF-8 are refused with their offset, never replaced with U+FFFD.
// BOMs are kept by the decoders (ignoreBOM) so that one in the middle of a stream is not eaten;
// callers drop a leading one themselves.
export const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** The offset of the first byte that breaks UTF-8 in `b`: each character's bytes are tried alone. */
function firstBadByte(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i] as number;
    const len = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > b.length) return i;
    try {
      strict.decode(b.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len;
  }
  return b.length;
}

/** The text, or a lossy rendering of it with the offset of the first invalid byte. */
export function decodeUtf8(b: Uint8Array): { text: string; error?: number } {
  try {
    return { text: strict.decode(b) };
  } catch {
    return { text: lossy.decode(b), error: firstBadByte(b) };
  }
}

/** Drops a leading byte order mark (EF BB BF). */
export function stripBom(b: Buffer): Buffer {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
}
