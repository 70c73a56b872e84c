// Imports one NDJSON file into a fresh SQLite store the way `npm run bench` does, for profiling:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bin/run-ts.mjs bench/import-profile.ts FILE [--per-batch]
// --per-batch: the path before docs/adr/0013-import-speed.md (5,000 a transaction, live checkpoints).
// Prints wall and CPU-time rates: on a shared machine the second is the steadier one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { importItems } from '../src/app/import-events.ts';
import { readNdjson } from '../src/sources/ndjson.ts';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: bin/run-ts.mjs bench/import-profile.ts FILE [--per-batch]\n');
  process.exit(2);
}
const perBatch = process.argv.includes('--per-batch');
const dir = mkdtempSync(join(tmpdir(), 'tierwise-import-profile-'));
try {
  const store = openSqliteStore(join(dir, 'import.db'));
  if (perBatch) delete (store as { beginBulkLoad?: unknown }).beginBulkLoad;
  const cpu = process.cpuUsage();
  const stats = await importItems(store, readNdjson(file), perBatch ? { batchSize: 5_000 } : {});
  const used = process.cpuUsage(cpu);
  await store.close();
  process.stdout.write(`${JSON.stringify({
    path: perBatch ? 'per-batch' : 'bulk', read: stats.read, accepted: stats.accepted, seconds: Number(stats.seconds.toFixed(2)),
    wallEventsPerSecond: Math.round(stats.read / stats.seconds), cpuEventsPerSecond: Math.round(stats.read / ((used.user + used.system) / 1e6)),
  })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
