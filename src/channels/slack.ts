// Slack incoming webhooks: a JSON { text } POST. The text was escaped for mrkdwn when rendered
// (&, <, > only), so a customer's name can never become a link or a mention.
import { DeliveryError, type Transport } from '../app/delivery.ts';

export function slackTransport(o: { url: string; timeoutMs?: number }): Transport {
  return {
    async send(_m, payload, abort) {
      const p = payload as { text?: unknown };
      let res: Response;
      try {
        res = await fetch(o.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: String(p.text ?? '') }), signal: abort ? AbortSignal.any([AbortSignal.timeout(o.timeoutMs ?? 10_000), abort]) : AbortSignal.timeout(o.timeoutMs ?? 10_000) });
      } catch (err) {
        throw new DeliveryError(`slack unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new DeliveryError(`slack answered ${res.status}`, res.status < 500 && res.status !== 429);
    },
  };
}
