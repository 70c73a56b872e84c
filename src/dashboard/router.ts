// The dashboard's routes: login/logout, the pages, the row refresh, the actions, and the assets.
import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { authenticateKey } from '../app/keys.ts';
import { RateLimiter } from '../app/token-bucket.ts';
import { readAsset } from './assets.ts';
import type { DashboardDeps } from './deps.ts';
import { authed, FOREIGN_FORM, requestScheme, sameOrigin, secure, type GuardDeps } from './guard.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { loginBody } from './pages/login.ts';
import { registerActions } from './routes-actions.ts';
import { registerPages } from './routes-pages.ts';
import { SESSION_COOKIE, SessionStore } from './session.ts';

const HOUR_MS = 3_600_000;
/** the login form's CSRF token (double submit: this cookie and the form's hidden field must match) */
const LOGIN_COOKIE = 'tw_login';

function tokensMatch(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a.length === 0) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The client's address: the first X-Forwarded-For hop when the proxy is trusted, else the socket's. */
function clientAddress(c: Context, trustProxy: boolean | undefined): string {
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  return forwarded || ((c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ?? 'local');
}

export function createDashboard(deps: DashboardDeps): Hono {
  const app = new Hono();
  const sessions = new SessionStore(deps.sessionIdleMs ?? 12 * HOUR_MS);
  const guard: GuardDeps = { sessions, keys: deps.store, now: deps.now, ...(deps.trustProxy ? { trustProxy: true } : {}) };
  const isSecure = (c: Context): boolean => deps.secureCookies === true || requestScheme(c, deps.trustProxy) === 'https';
  const rate = deps.loginRate ?? { perMinute: 10, burst: 10 };
  const logins = new RateLimiter(rate.perMinute / 60, rate.burst);
  /** A fresh login form with its CSRF token (set as a cookie scoped to /login). */
  const loginPage = (c: Context, error: string | undefined, status: 200 | 401 | 403 | 429) => {
    const token = randomBytes(18).toString('base64url');
    setCookie(c, LOGIN_COOKIE, token, { path: '/login', httpOnly: true, sameSite: 'Strict', secure: isSecure(c) });
    return c.html(page({ title: 'Log in', active: 'login', body: loginBody(error, token) }), status);
  };

  app.get('/assets/:file', async (c) => {
    const a = await readAsset(c.req.param('file'));
    if (!a) return c.text('not found', 404);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(new Uint8Array(a.body), 200, { 'Content-Type': a.type });
  });

  app.get('/login', (c) => {
    secure(c);
    if (sessions.get(getCookie(c, SESSION_COOKIE), deps.now())) return c.redirect('/', 303);
    return loginPage(c, undefined, 200);
  });

  app.post('/login', async (c) => {
    secure(c);
    const wait = logins.take(clientAddress(c, deps.trustProxy));
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait)));
      return loginPage(c, `Too many login attempts from your address; wait ${Math.ceil(wait)} s and try again.`, 429);
    }
    if (!sameOrigin(c, deps.trustProxy)) return c.text(FOREIGN_FORM, 403);
    const body = await c.req.parseBody();
    if (!tokensMatch(getCookie(c, LOGIN_COOKIE), body['csrf'])) return loginPage(c, 'The login form was stale; please try again.', 403);
    const presented = typeof body['key'] === 'string' ? body['key'].trim() : '';
    const key = presented ? await authenticateKey(deps.store, presented) : undefined;
    const error = !key ? 'That key is unknown or revoked.' : key.scope !== 'admin' ? `That is an ${key.scope} key; the dashboard needs an admin key.` : undefined;
    if (!key || error) return loginPage(c, error, 401);
    deleteCookie(c, LOGIN_COOKIE, { path: '/login', secure: isSecure(c) });
    // A fresh id at every login: a session id planted before login is never promoted.
    sessions.delete(getCookie(c, SESSION_COOKIE));
    const s = sessions.create(key.id, key.name || `key ${key.id}`, deps.now());
    setCookie(c, SESSION_COOKIE, s.id, { path: '/', httpOnly: true, sameSite: 'Lax', secure: isSecure(c) });
    return c.redirect('/', 303);
  });

  app.post('/logout', authed(guard, (c, s) => {
    sessions.delete(s.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isSecure(c) });
    return c.html(page({ title: 'Logged out', active: 'login', body: html`<p>You are logged out. <a href="/login">Log in again</a>.</p>` }));
  }, { form: true }));

  registerPages(app, deps, guard);
  registerActions(app, deps, guard);
  return app;
}
