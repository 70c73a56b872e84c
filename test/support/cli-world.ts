// A small store for CLI end-to-end tests: the playbook world's events (test/support/playbook-world.ts)
// plus any extra ones, written as NDJSON and imported through the real `tierwise import`.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TierwiseEvent } from '../../src/core/events/types.ts';
import { BIN, ROOT, tierwise, type CliResult } from '../e2e/cli.ts';
import { worldEvents } from './playbook-world.ts';

/** Canonical NDJSON: the same events with ISO timestamps. */
export function ndjson(events: readonly TierwiseEvent[]): string {
  return events.map((e) => JSON.stringify({ ...e, ts: new Date(e.ts).toISOString() })).join('\n') + '\n';
}

/** Writes the world (plus `extra`) to `dir`, imports it into `db` with the CLI, and checks that it all landed. */
export function importWorld(dir: string, db: string, extra: readonly TierwiseEvent[] = [], name = 'world'): number {
  const file = join(dir, `${name}.ndjson`);
  const events = [...worldEvents(), ...extra];
  writeFileSync(file, ndjson(events));
  const r = tierwise(['import', file, '--db', db, '--json']);
  if (r.code !== 0) throw new Error(`import failed (${r.code}): ${r.stderr}${r.stdout}`);
  const total = (JSON.parse(r.stdout) as { total: { accepted: number; duplicates: number } }).total;
  if (total.accepted + total.duplicates !== events.length) throw new Error(`imported ${total.accepted} of ${events.length}`);
  return events.length;
}

/**
 * The real CLI without blocking this process's event loop (spawnSync would), so a node:http
 * receiver in the test can answer the CLI's deliveries.
 */
export function tierwiseAsync(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
