// Shared by the HTTP benches (http-ingest.mjs, http-latency.mjs): a real `tierwise serve` child
// process on 127.0.0.1 over a fresh store, API keys for it, the synthetic ingest batches and the
// server's /metrics read back. The child is killed and its store removed when this process exits,
// however it exits (normally, on an error, on SIGINT or SIGTERM).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/tierwise.mjs');

/** `--name value` from the command line as a number, or the default. */
export const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

// Installed on import, before any child or directory exists: a signal that arrives during a
// spawnSync is handled once it returns, and still finds the handler.
const children = new Set();
const dirs = new Set();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
// 'exit' runs on normal ends and on uncaught errors; these signals would skip it without a handler.
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));

/**
 * Starts `tierwise serve --port 0` on a fresh store with the example catalog (per-key rate limit off:
 * the benches measure the server, not the limiter) and one key per scope asked for.
 * Returns { url, db, keys: { [scope]: key }, pid, metrics(), stop() }; stop() is SIGTERM (graceful:
 * commits the queue, runs a last engine cycle) and then removes the store unless keepStore.
 */
export async function startServe({ engine = true, scopes = ['ingest'] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tierwise-http-bench-'));
  dirs.add(dir);
  const db = join(dir, 'bench.db');
  const cfg = join(dir, 'tierwise.yaml');
  writeFileSync(cfg, `${readFileSync(join(root, 'examples/tierwise.yaml'), 'utf8')}\nhttp:\n  rate_limit: { per_second: 0, burst: 1 }\n  max_queue_events: 1000000\n`);
  const keys = {};
  for (const scope of scopes) {
    keys[scope] = spawnSync(process.execPath, [bin, 'keys', 'create', '--scope', scope, '--db', db, '--config', cfg], { encoding: 'utf8' }).stdout.trim();
  }
  // TIERWISE_SERVE_NODE_ARGS: node flags for the server only (`--cpu-prof --cpu-prof-dir=DIR` profiles it under the load)
  const nodeArgs = (process.env.TIERWISE_SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = await spawnListening([...nodeArgs, bin, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', db, '--config', cfg, ...(engine ? [] : ['--no-engine'])], dir);
  return {
    url: server.url, db, keys, pid: server.pid, stop: server.stop,
    metrics: async () => (await fetch(`${server.url}/metrics`)).text(),
  };
}

/**
 * Starts bench/http-reference-server.mjs (the least server that keeps the ingest contract) on a
 * fresh file; same shape as startServe's result where the ingest benches read it.
 */
export async function startReference({ parse = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tierwise-http-reference-'));
  dirs.add(dir);
  const file = join(dir, 'events.ndjson');
  const server = await spawnListening([join(root, 'bench/http-reference-server.mjs'), file, '--parse', parse ? '1' : '0'], dir);
  return {
    url: server.url, file, keys: { ingest: 'reference' }, pid: server.pid, stop: server.stop,
    /** the batches on file (one line each), read after stop */
    storedBatches: () => {
      const fd = openSync(file, 'r');
      const buf = Buffer.alloc(1 << 20);
      let lines = 0;
      for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) for (let i = 0; i < n; i++) if (buf[i] === 10) lines++;
      closeSync(fd);
      return lines;
    },
  };
}

/**
 * A node child with `args` that prints "listening on URL" when ready: { url, pid, stop() }. stop() is
 * SIGTERM (graceful; SIGKILL after 20 s), then removes `dir` unless keepStore.
 */
async function spawnListening(args, dir) {
  const server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(server);
  server.once('exit', () => children.delete(server));
  const exited = new Promise((resolve) => server.once('exit', resolve));
  let url;
  try {
    url = await new Promise((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d) => {
        out += d;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      server.once('exit', (code) => reject(new Error(`${args.find((x) => x.endsWith('.mjs'))} exited ${code}`)));
    });
  } catch (err) {
    server.kill('SIGKILL');
    throw err; // the exit handler removes the directory
  }
  let stopping;
  return {
    url, pid: server.pid,
    async stop({ keepStore = false } = {}) {
      stopping ??= (async () => {
        if (server.exitCode === null && server.signalCode === null) {
          server.kill('SIGTERM');
          const timer = setTimeout(() => server.kill('SIGKILL'), 20_000);
          await exited;
          clearTimeout(timer);
        }
      })();
      await stopping;
      if (!keepStore) {
        rmSync(dir, { recursive: true, force: true });
        dirs.delete(dir);
      }
    },
  };
}

/**
 * CPU seconds a process has used (user + system, Linux /proc; null elsewhere): on a shared machine
 * events per server CPU-second compare runs that wall-clock rates cannot.
 */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

/** The events in the store (read after the server stopped). */
export function storedEvents(db) {
  const r = spawnSync(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(db)},{readonly:true});console.log(d.prepare('select count(*) n from events').get().n)`], { cwd: root, encoding: 'utf8' });
  return Number(r.stdout.trim());
}

/**
 * Request bodies of `batch` distinct usage events (new ids, so every one is a real insert) over
 * 10,000 accounts, `spread` distinct accounts per batch.
 */
export function batchBodies(batch, spread = batch) {
  const run = Math.max(1, Math.floor(batch / spread));
  const t0 = Date.parse('2026-03-01T00:00:00Z');
  let n = 0;
  return () => {
    const parts = new Array(batch);
    for (let i = 0; i < batch; i++, n++) {
      parts[i] = `{"id":"b${n}","ts":"${new Date(t0 + n).toISOString()}","account":"acct${Math.floor(n / run) % 10000}","user":"u${n % 50000}","type":"usage","meter":"api_calls","quantity":${1 + (n % 9)}}`;
    }
    return `[${parts.join(',')}]`;
  };
}

/** A Prometheus sample without labels. */
export const metric = (text, name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

/** A histogram's p99, as the upper bound of the bucket holding it (null when empty). */
export function histogramP99(text, name) {
  const buckets = [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))].map((m) => [Number(m[1]), Number(m[2])]);
  const total = buckets.at(-1)?.[1] ?? 0;
  return total === 0 ? null : buckets.find(([, n]) => n >= total * 0.99)?.[0] ?? null;
}

/** The engine cycles so far: count, mean and p99 (bucket bound) in seconds. */
export function engineCycles(text) {
  const cycles = metric(text, 'tierwise_engine_cycle_seconds_count');
  return { cycles, meanSeconds: Number((metric(text, 'tierwise_engine_cycle_seconds_sum') / cycles).toFixed(3)), p99AtMostSeconds: histogramP99(text, 'tierwise_engine_cycle_seconds') };
}
