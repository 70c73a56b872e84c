import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../adapters/memory/memory-store.ts';
import { authenticateKey, createApiKey, revokeApiKey, scopeAllows } from './keys.ts';

describe('API keys', () => {
  it('stores only a hash, accepts the key, refuses forged, malformed and revoked ones', async () => {
    const store = createMemoryStore();
    const { key, record } = await createApiKey(store, 'ingest', 'ci', 1_000);
    expect(key).toMatch(/^tw_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/);
    const stored = await store.getKey(record.id);
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(key.slice(16));
    expect(await authenticateKey(store, key)).toMatchObject({ id: record.id, scope: 'ingest' });
    expect(await authenticateKey(store, `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(await authenticateKey(store, 'tw_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
    expect(await authenticateKey(store, 'not-a-key')).toBeUndefined();
    await revokeApiKey(store, record.id, 2_000);
    expect(await authenticateKey(store, key)).toBeUndefined();
    await expect(revokeApiKey(store, record.id, 3_000)).rejects.toMatchObject({ code: 'key_revoked' });
    await expect(revokeApiKey(store, 'nope', 3_000)).rejects.toMatchObject({ code: 'key_not_found' });
  });

  it('admin may do what ingest may, not the other way round', () => {
    expect(scopeAllows('admin', 'ingest')).toBe(true);
    expect(scopeAllows('admin', 'admin')).toBe(true);
    expect(scopeAllows('ingest', 'ingest')).toBe(true);
    expect(scopeAllows('ingest', 'admin')).toBe(false);
  });
});
