#!/usr/bin/env node
// Entitlement checks over HTTP: a real `tierwise serve` child on 127.0.0.1 with N accounts on Pro
// (every tenth trying the analytics module), then autocannon in this process asking
// GET /v1/entitlements/{account} across them, as a product would on every page view. The reference
// is GET /healthz on the same server with the same load generator: the HTTP floor.
//   node bench/http-entitlements.mjs [--accounts 1000] [--connections 8] [--seconds 10]
import autocannon from 'autocannon';
import { arg, startServe } from './http-server.mjs';

const ACCOUNTS = arg('accounts', 1000);
const CONNECTIONS = arg('connections', 8);
const SECONDS = arg('seconds', 10);
const DAY = 86_400_000;

const serve = await startServe({ engine: true, scopes: ['ingest', 'admin'] });
const post = async (path, key, body) => {
  const res = await fetch(`${serve.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
};
let checks, floor, trials = 0;
try {
  const now = Date.now();
  const events = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const account = `acct${i}`;
    events.push({ id: `s${i}`, ts: new Date(now - 40 * DAY).toISOString(), account, type: 'subscription', plan: 'pro', interval: 'month', mrr: 89900, status: 'active' });
    events.push({ id: `u${i}`, ts: new Date(now - 3_600_000).toISOString(), account, type: 'usage', meter: 'seats', quantity: 5 + (i % 20) });
    events.push({ id: `a${i}`, ts: new Date(now - 3_600_000).toISOString(), account, type: 'usage', meter: 'api_calls', quantity: 1000 + i });
  }
  for (let i = 0; i < events.length; i += 1000) await post('/v1/events', serve.keys.ingest, events.slice(i, i + 1000));
  // the engine folds on its own cycle: wait until it knows the last account
  const last = `${serve.url}/v1/entitlements/acct${ACCOUNTS - 1}`;
  for (let i = 0; ; i++) {
    const r = await fetch(last, { headers: { authorization: `Bearer ${serve.keys.ingest}` } });
    await r.arrayBuffer();
    if (r.ok) break;
    if (i > 600) throw new Error(`the engine never saw acct${ACCOUNTS - 1}: ${r.status}`);
    await new Promise((res) => setTimeout(res, 100));
  }
  for (let i = 0; i < ACCOUNTS; i += 10, trials++) await post('/v1/trials', serve.keys.admin, { account: `acct${i}`, addon: 'analytics_module', days: 14 });
  let n = 0;
  const common = { connections: CONNECTIONS, duration: SECONDS, headers: { authorization: `Bearer ${serve.keys.ingest}` } };
  // one second of warm-up (JIT, prepared statements) before the measured run
  await autocannon({ ...common, duration: 1, url: serve.url, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/entitlements/acct${n++ % ACCOUNTS}` }) }] });
  checks = await autocannon({ ...common, url: serve.url, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/entitlements/acct${n++ % ACCOUNTS}` }) }] });
  floor = await autocannon({ ...common, url: `${serve.url}/healthz` });
} finally {
  await serve.stop();
}
const summary = (r) => ({
  requests: r.requests.total, ok2xx: r['2xx'], non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
  perSecond: Math.round(r['2xx'] / r.duration), latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
});
console.log(JSON.stringify({ accounts: ACCOUNTS, trials, connections: CONNECTIONS, seconds: SECONDS, checks: summary(checks), healthz: summary(floor) }, null, 2));
