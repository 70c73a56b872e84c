// Per-route guards. The dashboard is merged into the API's Hono app at `/`, so it never uses a
// wildcard middleware (that would also wrap /v1/*): each handler is wrapped here instead.
import type { Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { KeyStore } from '../app/ports.ts';
import { csrfMatches, SESSION_COOKIE, type Session, type SessionStore } from './session.ts';

// No inline script or style anywhere, so the policy can forbid both: a missed escape still runs nothing.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

export function secure(c: Context): void {
  c.header('Content-Security-Policy', CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'same-origin');
  c.header('Cache-Control', 'no-store');
}

export interface GuardDeps { sessions: SessionStore; keys: KeyStore; now: () => number; trustProxy?: boolean }

/** The scheme the browser used: https behind a TLS proxy when X-Forwarded-Proto is trusted. */
export function requestScheme(c: Context, trustProxy: boolean | undefined): string {
  const forwarded = trustProxy ? c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() : undefined;
  return forwarded === 'https' || forwarded === 'http' ? forwarded : new URL(c.req.url).protocol.replace(/:$/, '');
}

/**
 * A form post must come from our own pages: a present Origin must be ours (a token lifted from a page
 * does not help another site), and without one, Sec-Fetch-Site must not say cross-site.
 */
export function sameOrigin(c: Context, trustProxy: boolean | undefined): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined || origin === '') return c.req.header('sec-fetch-site') !== 'cross-site';
  const host = (trustProxy ? c.req.header('x-forwarded-host') : undefined) ?? c.req.header('host') ?? new URL(c.req.url).host;
  return origin.toLowerCase() === `${requestScheme(c, trustProxy)}://${host}`.toLowerCase();
}

export const FOREIGN_FORM = 'The form came from another site; open the dashboard and try again.';

type Handler = (c: Context, s: Session) => Response | Promise<Response>;

/** A page or action behind the login: a live session whose admin key is still valid. */
export function authed(d: GuardDeps, handler: Handler, opts: { form?: boolean } = {}): (c: Context) => Promise<Response> {
  return async (c) => {
    secure(c);
    const id = getCookie(c, SESSION_COOKIE);
    const s = d.sessions.get(id, d.now());
    const key = s ? await d.keys.getKey(s.keyId) : undefined;
    if (!s || !key || key.revokedAt !== undefined || key.scope !== 'admin') {
      d.sessions.delete(id);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      if (c.req.method !== 'GET') return c.text('Your session ended; log in again.', 401);
      // The refresh endpoint answers 401 so the page script can say so instead of swapping in a login page.
      return c.req.path === '/opportunities/rows' ? c.text('session ended', 401) : c.redirect('/login', 303);
    }
    if (opts.form) {
      if (!sameOrigin(c, d.trustProxy)) return c.text(FOREIGN_FORM, 403);
      const body = await c.req.parseBody();
      if (!csrfMatches(s, body['csrf'])) return c.text('The form was stale or came from another site; reload the page and try again.', 403);
    }
    return handler(c, s);
  };
}
