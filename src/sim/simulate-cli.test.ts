// The real command, spawned: same seed twice gives identical files; bad flags exit 2 and leave nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/tierwise.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tw-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'simulate', ...args], { encoding: 'utf8' });

describe('tierwise simulate', () => {
  it('writes identical files for the same seed (2000 accounts x 90 days, seed 7)', () => {
    const a = run('--accounts', '2000', '--days', '90', '--seed', '7', '--out', join(dir, 'w1'), '--json');
    const b = run('--accounts', '2000', '--days', '90', '--seed', '7', '--out', join(dir, 'w2'));
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const summary = JSON.parse(a.stdout) as { events: number; accounts: number };
    expect(summary.accounts).toBe(2000);
    expect(summary.events).toBeGreaterThan(100_000);
    for (const f of ['events.ndjson', 'truth.ndjson']) {
      expect(readFileSync(join(dir, 'w1', f)).equals(readFileSync(join(dir, 'w2', f)))).toBe(true);
    }
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('writes the same bytes with worker threads as in one thread (ties across the split keep account order)', () => {
    const base = ['--accounts', '301', '--days', '20', '--seed', '5'];
    const one = run(...base, '--threads', '1', '--out', join(dir, 't1'), '--json');
    const two = run(...base, '--threads', '2', '--out', join(dir, 't2'), '--json');
    const three = run(...base, '--threads', '3', '--out', join(dir, 't3'));
    for (const r of [one, two, three]) expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(two.stdout) as { threads: number }).threads).toBe(2);
    expect(JSON.parse(two.stdout)).toMatchObject({ events: (JSON.parse(one.stdout) as { events: number }).events, truthRecords: 301 });
    for (const f of ['events.ndjson', 'truth.ndjson']) {
      const a = readFileSync(join(dir, 't1', f));
      expect(readFileSync(join(dir, 't2', f)).equals(a)).toBe(true);
      expect(readFileSync(join(dir, 't3', f)).equals(a)).toBe(true);
    }
    expect(readdirSync(join(dir, 't2')).sort()).toEqual(['events.ndjson', 'truth.ndjson']);
  }, 300_000);

  it.each([
    ['--accounts', '0'],
    ['--days', '-3'],
    ['--accounts', 'lots'],
    ['--start', '2026-02-30'],
    ['--start', 'yesterday'],
    ['--seed', '1.5'],
    ['--config', '/nonexistent/tierwise.yaml'],
    ['--threads', '0'],
  ])('rejects %s %s with exit 2 and no output directory', (flag, value) => {
    const out = join(dir, `bad-${flag.slice(2)}-${value.replace(/\W/g, '')}`);
    const r = run('--accounts', '10', '--days', '2', flag, value, '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/tierwise: /);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
