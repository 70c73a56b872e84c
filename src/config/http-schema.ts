// The `http:`, `segment:` and `stripe:` sections of tierwise.yaml: the server's limits and how
// Segment track calls and Stripe objects become canonical events (docs/http-api.md).
import { z } from 'zod';

const positiveInt = z.number().int().positive();

export const httpConfigSchema = z.object({
  max_body_bytes: positiveInt.default(5_000_000).describe('largest request body (after gunzip) on /v1/events; beyond it 413'),
  rate_limit: z.object({
    per_second: z.number().nonnegative().default(500).describe('requests per second per API key (token bucket refill); 0 disables the limit'),
    burst: positiveInt.default(1_000).describe('bucket size: requests a key may send at once'),
  }).strict().default({ per_second: 500, burst: 1_000 }),
  cors_origins: z.array(z.string().min(1)).default([])
    .describe('browser origins allowed to call /v1/* (e.g. https://app.example.com) so the SDK works in a page; "*" allows any'),
  max_queue_events: positiveInt.default(200_000).describe('events waiting for a commit before ingest answers 503 with Retry-After'),
  max_events_per_request: positiveInt.default(10_000).describe('items in one /v1/events or Segment batch body; beyond it 413 before anything is parsed'),
  max_form_bytes: positiveInt.default(65_536).describe('largest body on any other route (dashboard forms, /login), enforced while reading; beyond it 413'),
  trust_proxy: z.boolean().default(false)
    .describe('behind a TLS-terminating proxy: honour X-Forwarded-Proto (Secure cookies) and X-Forwarded-For (login rate limit per address)'),
  login_rate_limit: z.object({
    per_minute: z.number().nonnegative().default(10).describe('login attempts per minute per client address (refill); 0 disables the limit'),
    burst: positiveInt.default(10).describe('attempts an address may make at once'),
  }).strict().default({ per_minute: 10, burst: 10 }),
}).strict();

/** A mapped field: a constant, or the value of a track property (with a default when it is absent). */
const fieldSource = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.object({ property: z.string().min(1), default: z.union([z.string(), z.number(), z.boolean()]).optional() }).strict(),
]);

export const segmentTrackMappingSchema = z.object({
  type: z.enum(['usage', 'gate', 'feature', 'member', 'integration', 'ticket', 'nps', 'session', 'prompt'])
    .describe('the canonical event type this track event becomes'),
}).catchall(fieldSource)
  .describe('canonical fields: a constant (meter: api_calls) or a property ({ property: count, default: 1 })');

export const segmentConfigSchema = z.object({
  account_property: z.string().min(1).default('account_id')
    .describe('the track/page property that names the account when context.groupId is absent'),
  track: z.record(z.string().min(1), segmentTrackMappingSchema).default({})
    .describe('Segment track event name -> canonical event; unmapped track events are ignored'),
  pages_as_sessions: z.boolean().default(true).describe('page and screen calls become session events'),
}).strict();

export const stripeConfigSchema = z.object({
  webhook_secret: z.string().min(1).optional()
    .describe('the endpoint signing secret (whsec_...); TIERWISE_STRIPE_WEBHOOK_SECRET overrides it'),
  tolerance_seconds: positiveInt.default(300).describe('how old a signed timestamp may be'),
  plans: z.record(z.string().min(1), z.string().min(1)).default({})
    .describe('Stripe price id or lookup_key -> Tierwise plan id (otherwise price.metadata.tierwise_plan, the lookup_key, then the price id)'),
}).strict();

export type HttpConfig = z.output<typeof httpConfigSchema>;
export type SegmentConfig = z.output<typeof segmentConfigSchema>;
export type SegmentTrackMapping = z.output<typeof segmentTrackMappingSchema>;
export type StripeConfig = z.output<typeof stripeConfigSchema>;

export const DEFAULT_HTTP_CONFIG: HttpConfig = httpConfigSchema.parse({});
export const DEFAULT_SEGMENT_CONFIG: SegmentConfig = segmentConfigSchema.parse({});
export const DEFAULT_STRIPE_CONFIG: StripeConfig = stripeConfigSchema.parse({});
