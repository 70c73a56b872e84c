// What the routes share: the store, the config sections they need, the ingest queue, metrics.
import type { Hono } from 'hono';
import type { EngineRunner } from '../app/engine-runner.ts';
import type { FirstSeen } from '../app/first-seen.ts';
import type { IdentityMap } from '../app/identity-map.ts';
import type { StripeObjects } from '../app/stripe-objects.ts';
import type { IngestQueue } from '../app/ingest.ts';
import type { Moments } from '../app/moments.ts';
import type { PlaybookDeps } from '../app/playbook-deps.ts';
import type { PlaybookRunner } from '../app/playbook-runner.ts';
import type { Store } from '../app/ports.ts';
import type { CrmSettings } from '../config/crm-schema.ts';
import type { HttpConfig, SegmentConfig, StripeConfig } from '../config/http-schema.ts';
import type { TierwiseConfig } from '../config/schema.ts';
import type { ServerMetrics } from './metrics.ts';
import type { RateLimiter } from './rate-limit.ts';

export interface HttpDeps {
  store: Store;
  config: TierwiseConfig;
  /** the Stripe endpoint secret; without it /webhooks/stripe answers 404 */
  stripeSecret?: string | undefined;
  /** epoch ms; an argument so tests can move time */
  now?: () => number;
  version?: string;
  /** the signal engine, when the server runs it (ranked accounts and explain need it) */
  engine?: EngineRunner | undefined;
  /** the playbook scheduler, when the server runs it (it runs with the engine) */
  playbooks?: PlaybookRunner | undefined;
  /** HubSpot / Salesforce settings (default: from config.crm and the environment) */
  crm?: CrmSettings | undefined;
  /** routes merged at `/` after the API's (the dashboard): compose.ts wires them, http never imports them */
  extraRoutes?: ((ctx: ServerContext) => Hono) | undefined;
}

export interface ServerContext {
  store: Store;
  config: TierwiseConfig;
  http: HttpConfig;
  segment: SegmentConfig;
  stripe: StripeConfig;
  stripeSecret: string | undefined;
  crm: CrmSettings;
  now: () => number;
  version: string;
  queue: IngestQueue;
  identities: IdentityMap;
  /** Segment / RudderStack messageId -> the ts of its first delivery (dedupe by messageId) */
  segmentSeen: FirstSeen;
  /** Stripe discount and coupon objects seen in events, to resolve ids */
  stripeObjects: StripeObjects;
  metrics: ServerMetrics;
  limiter: RateLimiter;
  engine: EngineRunner | undefined;
  /** the playbook scheduler, if it runs here: playbook writes go through its `exclusive` */
  playbooks: PlaybookRunner | undefined;
  /** store, catalog, settings and playbooks for decide, trials and opportunity actions */
  playbookDeps: PlaybookDeps;
  /** engines at a requested moment (`?as_of=`), shared with the dashboard */
  moments: Moments;
  /** false once shutdown began: /readyz answers 503 so a balancer stops sending */
  ready: boolean;
}
