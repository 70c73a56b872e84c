// Engine figures on a simulated world: events folded per second, bytes per account, and the time
// to rescore 100K (and, with --million, 1M) accounts made by cloning the world's states.
//   node bin/tierwise.mjs simulate --accounts 2000 --days 90 --seed 7 --out /tmp/tw-world
//   node bin/run-ts.mjs bench/engine-quick.ts /tmp/tw-world [--million]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_CONFIG, loadConfig } from '../src/config/load.ts';
import { toCatalog } from '../src/config/catalog-from-config.ts';
import { toEngineSettings } from '../src/config/engine-schema.ts';
import { parseCanonical } from '../src/sources/canonical.ts';
import type { TierwiseEvent } from '../src/core/events/types.ts';
import { emptyState } from '../src/core/state/create.ts';
import { fold } from '../src/core/state/fold.ts';
import { deserializeState, serializeState } from '../src/core/state/serialize.ts';
import type { AccountState } from '../src/core/state/types.ts';
import { evaluate } from '../src/core/scoring/evaluate.ts';
import { ProfileBuilder } from '../src/core/scoring/profile.ts';
import { dayOf } from '../src/core/state/time.ts';

const dir = process.argv[2] ?? '/tmp/tw-world';
const million = process.argv.includes('--million');
const cfg = loadConfig(EXAMPLE_CONFIG);
const catalog = toCatalog(cfg);
const settings = toEngineSettings(cfg);

const events: TierwiseEvent[] = [];
for (const line of readFileSync(join(dir, 'events.ndjson'), 'utf8').split('\n')) {
  if (!line) continue;
  const r = parseCanonical(JSON.parse(line));
  if (r.ok) events.push(r.event);
}
const out = (k: string, v: string) => process.stdout.write(`${k.padEnd(34)} ${v}\n`);

// fold: best of 3 runs over the whole world
let best = Infinity;
let states = new Map<string, AccountState>();
for (let run = 0; run < 3; run++) {
  const m = new Map<string, AccountState>();
  const t = performance.now();
  for (const e of events) {
    let s = m.get(e.account);
    if (!s) m.set(e.account, (s = emptyState(e.account)));
    fold(s, e, catalog);
  }
  best = Math.min(best, performance.now() - t);
  states = m;
}
out('events folded', `${events.length.toLocaleString()} in ${best.toFixed(0)} ms = ${Math.round(events.length / (best / 1000)).toLocaleString()} events/s`);
const texts = [...states.values()].map(serializeState);
const sizes = texts.map((t) => t.length).sort((a, b) => a - b);
out('state bytes per account', `mean ${Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length)}, p50 ${sizes[sizes.length >> 1]}, p90 ${sizes[Math.floor(sizes.length * 0.9)]}, max ${sizes[sizes.length - 1]}`);
for (const x of texts) deserializeState(x); // warm up
let t = performance.now();
for (const x of texts) deserializeState(x);
out('deserialize', `${((performance.now() - t) / texts.length * 1000).toFixed(1)} us/account`);

let now = 0;
for (const e of events) if (e.ts > now) now = e.ts;
function rescore(n: number): void {
  const pool: AccountState[] = [];
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  for (let i = 0; pool.length < n; i++) pool.push(deserializeState(texts[i % texts.length]!));
  globalThis.gc?.();
  out(`heap per account (${n.toLocaleString()} live)`, `${Math.round((process.memoryUsage().heapUsed - heap0) / n).toLocaleString()} bytes${globalThis.gc ? '' : ' (run node --expose-gc for an exact figure)'}`);
  const env = { catalog, settings, profiles: undefined as ReturnType<ProfileBuilder['build']> | undefined };
  t = performance.now();
  const pb = new ProfileBuilder();
  for (const s of pool) pb.add(s, dayOf(now));
  env.profiles = pb.build();
  const tp = performance.now() - t;
  t = performance.now();
  let ready = 0;
  for (const s of pool) if (evaluate(s, env, now, { offer: false }).qualification.ready) ready++;
  const ms = performance.now() - t;
  out(`rescore ${n.toLocaleString()} accounts`, `${ms.toFixed(0)} ms (+ ${tp.toFixed(0)} ms plan profiles) = ${(ms / n * 1000).toFixed(2)} us/account, ${ready.toLocaleString()} ready`);
}
rescore(100_000);
if (million) rescore(1_000_000);
