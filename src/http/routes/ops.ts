// Operations: liveness, readiness, Prometheus metrics and the OpenAPI document.
import type { Hono } from 'hono';
import type { ServerContext } from '../context.ts';
import { buildOpenApi } from '../openapi.ts';

export function registerOpsRoutes(app: Hono, ctx: ServerContext): void {
  let openapi: string | undefined;
  app.get('/healthz', (c) => c.json({ status: 'ok' as const, version: ctx.version }));
  app.get('/readyz', async (c) => {
    let ok = ctx.ready;
    try {
      if (ok) await ctx.store.getMeta('readyz');
    } catch {
      ok = false;
    }
    return c.json({ status: ok ? ('ok' as const) : ('unavailable' as const), version: ctx.version }, ok ? 200 : 503);
  });
  app.get('/metrics', async (c) => c.body(await ctx.metrics.registry.metrics(), 200, { 'Content-Type': ctx.metrics.registry.contentType }));
  app.get('/openapi.json', (c) => {
    openapi ??= JSON.stringify(buildOpenApi(ctx.version));
    return c.body(openapi, 200, { 'Content-Type': 'application/json' });
  });
}
