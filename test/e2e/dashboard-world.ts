// A small simulated world behind a real `tierwise serve` for the dashboard's browser tests:
// simulate -> import -> run playbooks (opens opportunities) -> admin key -> serve on a free port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { exited, listening, tierwise, tierwiseAsync } from './cli.ts';

export interface World { url: string; key: string; dir: string; child: ChildProcess; stop(): Promise<void> }

function must(args: string[]): string {
  const r = tierwise(args);
  if (r.code !== 0) throw new Error(`tierwise ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

export async function startWorld(accounts = 300, days = 60): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'tierwise-dash-'));
  const db = join(dir, 'tierwise.db');
  // The world ends today, so the server's clock sees current signals.
  const start = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
  must(['simulate', '--accounts', String(accounts), '--days', String(days), '--seed', '11', '--start', start, '--out', join(dir, 'world')]);
  must(['import', join(dir, 'world', 'events.ndjson'), '--db', db]);
  must(['run', '--db', db, '--no-deliver']);
  const key = /tw_[0-9a-f]{12}_[A-Za-z0-9_-]{32}/.exec(must(['keys', 'create', '--scope', 'admin', '--name', 'csm-test', '--db', db]))?.[0];
  if (!key) throw new Error('no admin key printed');
  const child = tierwiseAsync(['serve', '--db', db, '--port', '0']);
  const { url } = await listening(child);
  return {
    url, key, dir, child,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited(child);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
