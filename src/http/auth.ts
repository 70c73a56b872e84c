// API keys on requests: `Authorization: Bearer <key>`, or HTTP Basic with the key as the user and
// an empty password (Segment's write key convention). Scopes: ingest (write-only) and admin.
import type { Context } from 'hono';
import { authenticateKey, scopeAllows } from '../app/keys.ts';
import type { ApiKeyRecord, ApiKeyScope, KeyStore } from '../app/ports.ts';
import { HttpProblem } from './problem.ts';
import type { RateLimiter } from './rate-limit.ts';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="tierwise", Basic realm="tierwise"' };

/** The key a request presents in its Authorization header, if any. */
export function presentedKey(c: Context): string | undefined {
  const h = c.req.header('authorization');
  if (!h) return undefined;
  const sp = h.indexOf(' ');
  const scheme = h.slice(0, sp).toLowerCase();
  const value = h.slice(sp + 1).trim();
  if (scheme === 'bearer') return value;
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? decoded : decoded.slice(0, colon);
  }
  return undefined;
}

export interface AuthDeps {
  keys: KeyStore;
  limiter: RateLimiter;
}

/** Checks the key (from the header, else `fallback` such as Segment's body writeKey), its scope and its rate. */
export async function requireKey(c: Context, deps: AuthDeps, need: ApiKeyScope, fallback?: string): Promise<ApiKeyRecord> {
  const presented = presentedKey(c) ?? fallback;
  if (!presented) throw new HttpProblem('unauthorized', 'send an API key: Authorization: Bearer <key> (or Basic with the key as user)', {}, CHALLENGE);
  const key = await authenticateKey(deps.keys, presented);
  if (!key) throw new HttpProblem('unauthorized', 'the API key is unknown or revoked', {}, CHALLENGE);
  if (!scopeAllows(key.scope, need)) throw new HttpProblem('forbidden', `this ${key.scope} key may not do this; it needs the ${need} scope`);
  const wait = deps.limiter.take(key.id);
  if (wait > 0) throw new HttpProblem('rate_limited', `rate limit for key ${key.id} reached; retry in ${wait.toFixed(2)} s`, {}, { 'Retry-After': String(Math.max(1, Math.ceil(wait))) });
  return key;
}
