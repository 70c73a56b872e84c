import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tierwise } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tierwise demo (npm start)', () => {
  const db = join(dir, 'tierwise.db');

  it('checks the catalog, simulates a world, imports it and ranks the ready accounts', () => {
    const r = tierwise(['demo', '--db', db, '--accounts', '400', '--days', '60']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1\. Catalog .*Basic -> Pro -> Enterprise; 0 error/);
    expect(r.stdout).toMatch(/2\. Simulated 400 accounts over 60 days/);
    expect(r.stdout).toMatch(/3\. Imported [\d,]+ events .* 0 rejected/);
    expect(r.stdout).toMatch(/4\. Scored 400 accounts .* \d+ ready for an upsell/);
    expect(existsSync(join(dir, 'demo', 'events.ndjson'))).toBe(true);
  });

  it('reuses the store on the next start instead of importing again', () => {
    const r = tierwise(['demo', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/already holds [\d,]+ events/);
    expect(r.stdout).toMatch(/4\. Scored 400 accounts/);
  });

  it('stops at a catalog with errors', () => {
    const r = tierwise(['demo', '--db', join(dir, 'other.db'), '--config', 'test/fixtures/catalog/price-jump-5x.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Fix the catalog first/);
    expect(existsSync(join(dir, 'other.db'))).toBe(false);
  });
});
