// API keys: `tw_<id>_<secret>`. The id is public (it names the key in lists and logs); only the
// sha256 of the secret is stored, and a presented secret is compared with it in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from './errors.ts';
import type { ApiKeyRecord, ApiKeyScope, KeyStore } from './ports.ts';

export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['ingest', 'admin'];
const KEY_RE = /^tw_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/;

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

export interface CreatedKey {
  record: ApiKeyRecord;
  /** the whole key; shown once, never stored */
  key: string;
}

export async function createApiKey(store: KeyStore, scope: ApiKeyScope, name: string, now: number): Promise<CreatedKey> {
  const id = randomBytes(6).toString('hex');
  // 24 random bytes = 192 bits: a plain sha256 is enough, no slow KDF needed for such a secret.
  const secret = randomBytes(24).toString('base64url');
  const record: ApiKeyRecord = { id, name, scope, hash: sha256(secret).toString('hex'), createdAt: now };
  await store.insertKey(record);
  return { record, key: `tw_${id}_${secret}` };
}

/** The key's record when the presented key is valid and not revoked; undefined otherwise. */
export async function authenticateKey(store: KeyStore, presented: string): Promise<ApiKeyRecord | undefined> {
  const m = KEY_RE.exec(presented);
  if (!m) return undefined;
  const record = await store.getKey(m[1] as string);
  const actual = sha256(m[2] as string);
  // Compare even when the id is unknown, so timing says nothing about which ids exist.
  const expected = record ? Buffer.from(record.hash, 'hex') : Buffer.alloc(32);
  const same = expected.length === actual.length && timingSafeEqual(expected, actual);
  return record && same && record.revokedAt === undefined ? record : undefined;
}

/** admin may do everything an ingest key may. */
export function scopeAllows(have: ApiKeyScope, need: ApiKeyScope): boolean {
  return have === 'admin' || have === need;
}

export async function revokeApiKey(store: KeyStore, id: string, now: number): Promise<ApiKeyRecord> {
  const record = await store.getKey(id);
  if (!record) throw new AppError('key_not_found', `no API key with id "${id}"`);
  if (record.revokedAt !== undefined) throw new AppError('key_revoked', `API key ${id} was already revoked on ${new Date(record.revokedAt).toISOString()}`);
  await store.revokeKey(id, now);
  return { ...record, revokedAt: now };
}
