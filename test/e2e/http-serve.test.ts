// `tierwise serve` as a child process: keys made by `tierwise keys`, events acknowledged with a 2xx
// survive kill -9, a revoked key stops working at once, SIGTERM stops it cleanly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { exited, listening, tierwise, tierwiseAsync } from './cli.ts';
import { usageWire } from './http-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-serve-'));
const db = join(dir, 'tw.db');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function serve(): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = tierwiseAsync(['serve', '--port', '0', '--host', '127.0.0.1', '--db', db]);
  children.push(child);
  return { child, ...(await listening(child)) };
}

const post = (url: string, key: string, body: unknown) =>
  fetch(`${url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('tierwise serve and tierwise keys', () => {
  it('creates, lists and revokes keys; acknowledged events survive kill -9; SIGTERM exits 0', async () => {
    const created = tierwise(['keys', 'create', '--scope', 'ingest', '--name', 'ci', '--db', db, '--json']);
    expect(created.code).toBe(0);
    const { id, key } = JSON.parse(created.stdout) as { id: string; key: string };
    expect(key).toMatch(/^tw_[0-9a-f]{12}_/);
    const listed = tierwise(['keys', 'list', '--db', db, '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id, name: 'ci', scope: 'ingest' })]);
    expect(listed.stdout).not.toContain(key.split('_').slice(2).join('_'));
    expect(tierwise(['keys', 'create', '--scope', 'root', '--db', db]).code).toBe(2);

    const first = await serve();
    const batch = Array.from({ length: 500 }, (_, i) => usageWire(i));
    expect((await post(first.url, key, batch)).status).toBe(200);
    first.child.kill('SIGKILL');
    await exited(first.child);
    const check = openSqliteStore(db);
    expect(await check.countEvents()).toBe(500);
    await check.close();

    const second = await serve();
    expect((await post(second.url, key, [usageWire(1_000)])).status).toBe(200);
    expect(tierwise(['keys', 'revoke', id, '--db', db]).code).toBe(0);
    expect((await post(second.url, key, [usageWire(1_001)])).status).toBe(401);
    expect(tierwise(['keys', 'revoke', id, '--db', db]).code).toBe(1);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toEqual({ code: 0, signal: null });
    expect(second.stderr()).toContain('SIGTERM, shutting down');
  });

  it('refuses a bad port', () => {
    expect(tierwise(['serve', '--port', 'x', '--db', db]).code).toBe(2);
  });
});
