// Upgrade links: a signature over the payload, an expiry to the millisecond, one secret per store.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../adapters/memory/memory-store.ts';
import { checkLink, linkSecret, signLink } from './upgrade-links.ts';

const T = Date.parse('2026-06-15T09:00:00Z');

describe('upgrade links', () => {
  it('opens until it expires, then says expired', async () => {
    const secret = await linkSecret(createMemoryStore());
    const token = signLink(secret, { account: 'acme', offer: 'units:seats:8', expiresAt: T + 1000 });
    expect(checkLink(secret, token, T + 999)).toEqual({ ok: true, payload: { account: 'acme', offer: 'units:seats:8', expiresAt: T + 1000 } });
    expect(checkLink(secret, token, T + 1000)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses a changed payload, another store\'s secret and garbage', async () => {
    const store = createMemoryStore();
    const secret = await linkSecret(store);
    expect((await linkSecret(store)).equals(secret)).toBe(true);
    const token = signLink(secret, { account: 'acme', offer: 'units:seats:8', expiresAt: T + 1000 });
    const [, sig] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ a: 'acme', o: 'plan:enterprise', e: T + 1000 })).toString('base64url')}.${sig}`;
    expect(checkLink(secret, forged, T)).toEqual({ ok: false, reason: 'signature' });
    expect(checkLink(await linkSecret(createMemoryStore()), token, T)).toEqual({ ok: false, reason: 'signature' });
    expect(checkLink(secret, 'nonsense', T)).toEqual({ ok: false, reason: 'malformed' });
  });
});
