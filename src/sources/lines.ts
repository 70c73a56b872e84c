// Streams a file as lines with their numbers, in constant memory, faster than node:readline.
// Bytes are decoded strictly: a line that is not valid UTF-8 comes back with an `error` naming the
// byte, instead of being stored with U+FFFD in place of what was sent. A leading BOM is dropped.
import { createReadStream } from 'node:fs';
import { decodeUtf8, strict } from './utf8.ts';

export interface Line {
  n: number;
  text: string;
  /** why the line could not be decoded (then `text` is a lossy rendering, for the rejects file) */
  error?: string;
}

function decodeLines(buf: Buffer, first: number, out: Line[]): void {
  let n = first;
  let start = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, start)) {
    out.push(decodeLine(++n, buf.subarray(start, i > start && buf[i - 1] === 13 ? i - 1 : i)));
    start = i + 1;
  }
  // the last line, even when empty: every line keeps its number
  out.push(decodeLine(++n, buf.subarray(start, buf.length > start && buf[buf.length - 1] === 13 ? buf.length - 1 : buf.length)));
}

function decodeLine(n: number, b: Uint8Array): Line {
  const d = decodeUtf8(b);
  return d.error === undefined ? { n, text: d.text } : { n, text: d.text, error: `not valid UTF-8 (byte ${d.error + 1} of the line)` };
}

export async function* readLines(file: string, onBytes?: (bytes: number) => void): AsyncGenerator<Line[]> {
  let rest: Buffer = Buffer.alloc(0);
  let n = 0;
  let first = true;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    onBytes?.(chunk.length);
    let buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    if (first && buf.length >= 3) {
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    const end = buf.lastIndexOf(10);
    if (end === -1) {
      rest = buf;
      continue;
    }
    rest = Buffer.from(buf.subarray(end + 1));
    const whole = buf.subarray(0, end + 1);
    const out: Line[] = [];
    // The whole chunk at once when it is valid (the common case: one decode call per MiB).
    let text: string | undefined;
    try {
      text = strict.decode(whole);
    } catch {
      decodeLines(whole.subarray(0, end), n, out);
    }
    if (text !== undefined) {
      let start = 0;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
        out.push({ n: n + out.length + 1, text: text.charCodeAt(i - 1) === 13 ? text.slice(start, i - 1) : text.slice(start, i) });
        start = i + 1;
      }
    }
    n += out.length;
    if (out.length) yield out;
  }
  if (first && rest.length >= 3 && rest[0] === 0xef && rest[1] === 0xbb && rest[2] === 0xbf) rest = rest.subarray(3);
  if (rest.length > 0) {
    const out: Line[] = [];
    decodeLines(rest, n, out);
    yield out;
  }
}
