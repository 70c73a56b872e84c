// Webhook delivery: JSON POST signed with HMAC-SHA256 over "timestamp.body" (Stripe's scheme), so a
// receiver can reject forged and replayed calls; the idempotency key lets it drop redeliveries.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DeliveryError, type Transport } from '../app/delivery.ts';

export const SIGNATURE_HEADER = 'tierwise-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export function sign(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers (and tests): checks the signature and that the timestamp is within `toleranceS`. */
export function verify(secret: string, header: string, body: string, nowS: number, toleranceS = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts['t']);
  const v1 = parts['v1'];
  if (!Number.isFinite(t) || !v1 || Math.abs(nowS - t) > toleranceS) return false;
  const want = Buffer.from(sign(secret, t, body).split('v1=')[1] ?? '', 'hex');
  const got = Buffer.from(v1, 'hex');
  return want.length === got.length && timingSafeEqual(want, got);
}

export interface WebhookOptions { url: string; secret: string; timeoutMs: number; clock?: () => number }

export async function postSigned(o: WebhookOptions, key: string, body: string, abort?: AbortSignal): Promise<void> {
  const ts = Math.floor((o.clock ?? Date.now)() / 1000);
  let res: Response;
  try {
    res = await fetch(o.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(o.secret, ts, body), [IDEMPOTENCY_HEADER]: key, 'user-agent': 'tierwise' },
      body,
      signal: abort ? AbortSignal.any([AbortSignal.timeout(o.timeoutMs), abort]) : AbortSignal.timeout(o.timeoutMs),
    });
  } catch (err) {
    throw new DeliveryError(`webhook unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  await res.arrayBuffer().catch(() => undefined);
  // 408 / 429 / 5xx are worth retrying; any other 4xx will not get better
  if (!res.ok) throw new DeliveryError(`webhook answered ${res.status}`, res.status < 500 && res.status !== 408 && res.status !== 429);
}

export function webhookTransport(o: WebhookOptions): Transport {
  return { send: (m, payload, signal) => postSigned(o, m.key, JSON.stringify(payload), signal) };
}
