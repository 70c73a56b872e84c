// Reading request bodies with limits: the raw bytes are capped before they are buffered, and a
// gzip/deflate body is inflated with a cap on its output (no zip bomb gets past the limit).
import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import { gunzip, inflate } from 'node:zlib';
import { promisify } from 'node:util';
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

export function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new HttpProblem('invalid_json', `body is not valid JSON: ${(err as Error).message}`);
  }
}
