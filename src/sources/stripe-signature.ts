// Stripe-Signature verification, as Stripe documents it: `t=<unix>,v1=<hex>[,v1=<hex>...]`, each v1
// an HMAC-SHA256 of `${t}.${raw body}` with the endpoint secret. Several v1 values appear while a
// secret is being rolled; any one matching is enough. Compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifyStripeSignature(payload: Buffer | string, header: string | undefined, secret: string, nowSeconds: number, toleranceSeconds = 300): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing Stripe-Signature header' };
  let t: number | undefined;
  const v1: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't' && /^\d+$/.test(v)) t = Number(v);
    else if (k === 'v1' && /^[0-9a-f]{64}$/i.test(v)) v1.push(Buffer.from(v, 'hex'));
  }
  if (t === undefined) return { ok: false, reason: 'Stripe-Signature has no timestamp (t=)' };
  if (v1.length === 0) return { ok: false, reason: 'Stripe-Signature has no v1 signature' };
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return { ok: false, reason: `timestamp outside the ${toleranceSeconds} s tolerance` };
  const expected = createHmac('sha256', secret).update(`${t}.`).update(payload).digest();
  // Check every value (no early exit) so the time taken does not depend on which one matched.
  let match = false;
  for (const sig of v1) match = timingSafeEqual(sig, expected) || match;
  return match ? { ok: true } : { ok: false, reason: 'no v1 signature matches the payload and secret' };
}
