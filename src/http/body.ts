// Reading request bodies with limits: the raw bytes are capped before they are buffered, and a
// gzip/deflate body is inflated with a cap on its output (no zip bomb gets past the limit).
import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import { gunzip, inflate } from 'node:zlib';
import { promisify } from 'node:util';
import { decodeUtf8, stripBom } from '../sources/utf8.ts';
import { HttpProblem } from './problem.ts';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

export interface BodyLimits {
  /** bytes after decompression */
  maxBytes: number;
  /** the problem code when the limit is passed (Segment routes answer 400 batch_too_large) */
  tooLarge: 'payload_too_large' | 'batch_too_large';
}

function tooLarge(limits: BodyLimits): HttpProblem {
  return new HttpProblem(limits.tooLarge, `request body larger than ${limits.maxBytes} bytes`, { limit: limits.maxBytes }, { Connection: 'close' });
}

async function readStream(c: Context, max: number, limits: BodyLimits): Promise<Buffer> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const chunks: Buffer[] = [];
  let size = 0;
  if (incoming && !incoming.readableEnded) {
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) throw tooLarge(limits);
      chunks.push(chunk);
    }
  } else if (c.req.raw.body) {
    const reader = c.req.raw.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > max) {
        await reader.cancel();
        throw tooLarge(limits);
      }
      chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    }
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}

/** The request body, inflated, within the limit; 413/400 beyond it, 415 for an unknown encoding. */
export async function readBody(c: Context, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  const encoding = (c.req.header('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'deflate') {
    throw new HttpProblem('unsupported_media_type', `Content-Encoding "${encoding}" is not supported; use gzip, deflate or none`);
  }
  if (encoding === 'identity' && declared > limits.maxBytes) throw tooLarge(limits);
  const raw = await readStream(c, limits.maxBytes, limits);
  if (encoding === 'identity') return raw;
  try {
    return encoding === 'gzip' ? await gunzipAsync(raw, { maxOutputLength: limits.maxBytes }) : await inflateAsync(raw, { maxOutputLength: limits.maxBytes });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limits);
    throw new HttpProblem('invalid_request', `body is not valid ${encoding} data`);
  }
}

export type BodyFormat = 'json' | 'ndjson';

/** The body format told by Content-Type; 415 for anything else. */
export function bodyFormat(c: Context, allowNdjson: boolean): BodyFormat {
  const ct = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (ct === 'application/json' || ct.endsWith('+json')) return 'json';
  if (allowNdjson && (ct === 'application/x-ndjson' || ct === 'application/ndjson' || ct === 'application/jsonl')) return 'ndjson';
  throw new HttpProblem('unsupported_media_type', `Content-Type "${ct || '(none)'}" is not accepted; send application/json${allowNdjson ? ' or application/x-ndjson' : ''}`);
}

/** The body as text: strict UTF-8 (400 naming the byte otherwise), a leading BOM dropped. */
export function bodyText(buf: Buffer): string {
  const d = decodeUtf8(stripBom(buf));
  if (d.error !== undefined) throw new HttpProblem('invalid_request', `body is not valid UTF-8 (byte ${d.error + 1})`, { byte: d.error + 1 });
  return d.text;
}

/** Nesting in a body past which it is refused before parsing (the event limit itself is 16 levels). */
export const MAX_BODY_DEPTH = 512;

/**
 * How many elements a JSON array body holds (1 for any other value), counted on the bytes before
 * anything is parsed, so a body of a million empty objects is refused without building them; and
 * where it first nests deeper than MAX_BODY_DEPTH (JSON.parse of 400,000 nested arrays takes seconds).
 */
export function scanJson(buf: Uint8Array): { items: number; tooDeep?: { byte: number; item: number } } {
  let i = 0;
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09 || buf[i] === 0xef || buf[i] === 0xbb || buf[i] === 0xbf)) i++;
  const array = buf[i] === 0x5b; // '['
  let depth = 0;
  let items = 0;
  let seen = false;
  let inString = false;
  for (; i < buf.length; i++) {
    const c = buf[i] as number;
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_BODY_DEPTH) return { items: array ? items + 1 : 1, tooDeep: { byte: i + 1, item: array ? items : 0 } };
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && depth === 1) items++;
    if (depth === 1 && c > 0x20 && c !== 0x5b && c !== 0x2c) seen = true;
    else if (depth > 1) seen = true;
  }
  if (!array) return { items: 1 };
  return { items: seen ? items + 1 : items };
}

export function parseJson(buf: Buffer): unknown {
  const text = bodyText(buf);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpProblem('invalid_json', `body is not valid JSON: ${(err as Error).message}`);
  }
}
