// The HTTP application: routes, error mapping and request metrics, without a listening socket
// (tests call app.request() in-process; server.ts binds it to a port).
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { FirstSeen } from '../app/first-seen.ts';
import { toCrmSettings } from '../config/crm-schema.ts';
import { Moments } from '../app/moments.ts';
import { IdentityMap } from '../app/identity-map.ts';
import { StripeObjects } from '../app/stripe-objects.ts';
import { IngestQueue } from '../app/ingest.ts';
import { DEFAULT_HTTP_CONFIG, DEFAULT_SEGMENT_CONFIG, DEFAULT_STRIPE_CONFIG } from '../config/http-schema.ts';
import type { HttpDeps, ServerContext } from './context.ts';
import { createMetrics } from './metrics.ts';
import { playbookDepsFor } from './playbook-context.ts';
import { readBody } from './body.ts';
import { HttpProblem, problemResponse, toProblem } from './problem.ts';
import { RateLimiter } from './rate-limit.ts';
import { registerDecideRoutes } from './routes/decide.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerOpportunityRoutes } from './routes/opportunities.ts';
import { registerOpsRoutes } from './routes/ops.ts';
import { registerReadRoutes } from './routes/read.ts';
import { registerRevenueRoutes } from './routes/revenue.ts';
import { registerScoreRoutes } from './routes/scores.ts';
import { registerSegmentRoutes } from './routes/segment.ts';
import { registerStripeRoutes } from './routes/stripe.ts';
import { registerCrmRoutes } from './routes/crm.ts';
import { registerTrialRoutes } from './routes/trials.ts';
import { registerExperimentRoutes } from './routes/experiments.ts';
import { registerEntitlementRoutes } from './routes/entitlements.ts';
import { registerCheckoutRoutes } from './routes/checkout.ts';

export interface TierwiseApp {
  app: Hono;
  ctx: ServerContext;
}

// JSON and problem answers have no business in a frame or sniffed as HTML; pages set stricter ones.
const SECURITY_HEADERS: [string, string][] = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'DENY'],
];

const ownsBody = (path: string): boolean => path.startsWith('/v1/') || path.startsWith('/webhooks/');

/** The body was inflated when read: the rebuilt request must not claim it is still gzip. */
function withoutEncoding(h: Headers): Headers {
  const out = new Headers(h);
  out.delete('content-encoding');
  out.delete('content-length');
  return out;
}

export function createApp(deps: HttpDeps): TierwiseApp {
  const http = deps.config.http ?? DEFAULT_HTTP_CONFIG;
  let queueDepth = () => 0;
  const engine = deps.engine;
  const playbooks = deps.playbooks;
  const metrics = createMetrics({
    queueDepth: () => queueDepth(),
    ...(engine ? { engineLag: () => engine.lateSeconds, engineSeq: () => engine.engine.seq } : {}),
    ...(playbooks ? { schedulerLag: () => playbooks.lagSeconds() } : {}),
  });
  const queue = new IngestQueue(deps.store, {
    maxQueueEvents: http.max_queue_events,
    // the engine folds what was stored from memory, without reading the log back (its runner says if it can)
    keep: engine?.takesStored === true,
    onCommit: (events, seconds, _requests, stored) => {
      metrics.commitSeconds.observe(seconds);
      metrics.commitEvents.observe(events);
      // the engine folds them in its next cycle, which starts now rather than at its timer
      engine?.notify(stored);
    },
  });
  queueDepth = () => queue.depth();
  const playbookDeps = playbooks?.deps ?? playbookDepsFor(deps.store, deps.config);
  const now = deps.now ?? Date.now;
  const ctx: ServerContext = {
    store: deps.store,
    config: deps.config,
    http,
    segment: deps.config.segment ?? DEFAULT_SEGMENT_CONFIG,
    stripe: deps.config.stripe ?? DEFAULT_STRIPE_CONFIG,
    stripeSecret: deps.stripeSecret,
    crm: deps.crm ?? toCrmSettings(deps.config.crm),
    now,
    version: deps.version ?? '0.1.0',
    queue,
    identities: new IdentityMap(deps.store),
    segmentSeen: new FirstSeen(deps.store, 'seen.segment'),
    stripeObjects: new StripeObjects(deps.store),
    metrics,
    limiter: new RateLimiter(http.rate_limit.per_second, http.rate_limit.burst),
    engine,
    playbooks,
    playbookDeps,
    moments: new Moments({ store: deps.store, catalog: playbookDeps.catalog, settings: playbookDeps.settings, live: () => engine?.engine, clock: now }),
    ready: true,
  };

  const app = new Hono();
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath === '/*' ? 'unmatched' : c.req.routePath;
    metrics.requestSeconds.observe({ method: c.req.method, route, status: String(c.res.status) }, (performance.now() - started) / 1000);
  });
  app.use(async (c, next) => {
    await next();
    // Every response, API and dashboard alike; a page that set its own policy keeps it.
    const h = c.res.headers;
    for (const [name, value] of SECURITY_HEADERS) if (!h.has(name)) h.set(name, value);
  });
  app.use(async (c, next) => {
    // The API's own routes read their bodies through readBody with their own limits; every other
    // route (the dashboard's forms, /login) gets its body read here, capped while it streams in.
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS' || ownsBody(c.req.path)) return next();
    const body = await readBody(c, { maxBytes: http.max_form_bytes, tooLarge: 'payload_too_large' });
    c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers: withoutEncoding(c.req.raw.headers), body: new Uint8Array(body) });
    return next();
  });
  if (http.cors_origins.length > 0) {
    // Browsers send a preflight for the Authorization header; only the listed origins pass it.
    const origins = http.cors_origins;
    app.use('/v1/*', cors({
      origin: origins.includes('*') ? '*' : origins,
      allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type', 'Content-Encoding'],
      maxAge: 600,
    }));
  }
  app.onError((err, c) => {
    const p = toProblem(err);
    if (p.code === 'internal') console.error(`tierwise serve: ${c.req.method} ${c.req.path}:`, err);
    return problemResponse(c, p);
  });
  app.notFound((c) => problemResponse(c, new HttpProblem('not_found', `no route for ${c.req.method} ${c.req.path}`)));

  registerOpsRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerSegmentRoutes(app, ctx);
  registerStripeRoutes(app, ctx);
  registerCrmRoutes(app, ctx);
  registerScoreRoutes(app, ctx);
  registerReadRoutes(app, ctx);
  registerDecideRoutes(app, ctx);
  registerOpportunityRoutes(app, ctx);
  registerTrialRoutes(app, ctx);
  registerEntitlementRoutes(app, ctx);
  registerCheckoutRoutes(app, ctx);
  registerRevenueRoutes(app, ctx);
  registerExperimentRoutes(app, ctx);
  if (deps.extraRoutes) app.route('/', deps.extraRoutes(ctx));
  return { app, ctx };
}
