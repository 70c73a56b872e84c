// Secrets the server needs from the environment. config/ is the only code that reads process.env.
import type { TierwiseConfig } from './schema.ts';

/** The Stripe endpoint signing secret: TIERWISE_STRIPE_WEBHOOK_SECRET, else stripe.webhook_secret. */
export function stripeWebhookSecret(cfg: TierwiseConfig): string | undefined {
  const env = process.env['TIERWISE_STRIPE_WEBHOOK_SECRET'];
  return env && env.length > 0 ? env : cfg.stripe?.webhook_secret;
}
