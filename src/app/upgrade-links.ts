// Signed, expiring upgrade links: the product or an email carries one to the customer, who sees the
// prorated amount (recomputed when the link is opened) before confirming. The token is
// base64url(JSON payload) "." base64url(HMAC-SHA256 of it); the secret is made once and kept in the
// store's meta values, so every node of a shared store checks the same signatures and a restart
// keeps the links valid. Compared in constant time, as API keys are (keys.ts).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StateStore } from './ports.ts';

const SECRET_KEY = 'checkout.link_secret';

export interface LinkPayload {
  account: string;
  /** the offer's key (plan:pro, units:seats:8, ...) */
  offer: string;
  /** epoch ms */
  expiresAt: number;
}

export type LinkCheck = { ok: true; payload: LinkPayload } | { ok: false; reason: 'malformed' | 'signature' | 'expired'; payload?: LinkPayload };

type Meta = Pick<StateStore, 'getMeta' | 'setMeta'>;

export async function linkSecret(store: Meta): Promise<Buffer> {
  const have = await store.getMeta(SECRET_KEY);
  if (have !== undefined) return Buffer.from(have, 'base64url');
  const made = randomBytes(32);
  await store.setMeta(SECRET_KEY, made.toString('base64url'));
  // another node may have written its own at the same moment: the stored one wins for everybody
  return Buffer.from((await store.getMeta(SECRET_KEY)) ?? made.toString('base64url'), 'base64url');
}

const mac = (secret: Buffer, body: string): Buffer => createHmac('sha256', secret).update(body).digest();

export function signLink(secret: Buffer, p: LinkPayload): string {
  const body = Buffer.from(JSON.stringify({ a: p.account, o: p.offer, e: p.expiresAt })).toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

export function checkLink(secret: Buffer, token: string, now: number): LinkCheck {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return { ok: false, reason: 'malformed' };
  const want = mac(secret, body);
  const got = Buffer.from(sig, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false, reason: 'signature' };
  let raw: { a?: unknown; o?: unknown; e?: unknown };
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof raw;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof raw.a !== 'string' || typeof raw.o !== 'string' || typeof raw.e !== 'number') return { ok: false, reason: 'malformed' };
  const payload: LinkPayload = { account: raw.a, offer: raw.o, expiresAt: raw.e };
  return now < payload.expiresAt ? { ok: true, payload } : { ok: false, reason: 'expired', payload };
}
