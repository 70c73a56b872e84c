// The dashboard's routes: login/logout, the pages, the row refresh, the actions, and the assets.
import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { authenticateKey } from '../app/keys.ts';
import { readAsset } from './assets.ts';
import type { DashboardDeps } from './deps.ts';
import { authed, secure, type GuardDeps } from './guard.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { loginBody } from './pages/login.ts';
import { registerActions } from './routes-actions.ts';
import { registerPages } from './routes-pages.ts';
import { SESSION_COOKIE, SessionStore } from './session.ts';

const HOUR_MS = 3_600_000;

export function createDashboard(deps: DashboardDeps): Hono {
  const app = new Hono();
  const sessions = new SessionStore(deps.sessionIdleMs ?? 12 * HOUR_MS);
  const guard: GuardDeps = { sessions, keys: deps.store, now: deps.now };
  const isSecure = (c: Context): boolean => deps.secureCookies === true || new URL(c.req.url).protocol === 'https:';

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
    return c.html(page({ title: 'Log in', active: 'login', body: loginBody(undefined) }));
  });

  app.post('/login', async (c) => {
    secure(c);
    const body = await c.req.parseBody();
    const presented = typeof body['key'] === 'string' ? body['key'].trim() : '';
    const key = presented ? await authenticateKey(deps.store, presented) : undefined;
    const error = !key ? 'That key is unknown or revoked.' : key.scope !== 'admin' ? `That is an ${key.scope} key; the dashboard needs an admin key.` : undefined;
    if (!key || error) return c.html(page({ title: 'Log in', active: 'login', body: loginBody(error) }), 401);
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
