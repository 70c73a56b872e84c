import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tierwise } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tierwise demo (npm start)', () => {
  const db = join(dir, 'tierwise.db');

  it('checks the catalog, simulates a year of history, imports it, plays the last weeks, ranks the ready accounts and tells the revenue story', () => {
    const r = tierwise(['demo', '--db', db, '--accounts', '600', '--days', '60', '--play-weeks', '6']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1\. Catalog .*Basic -> Pro -> Enterprise; 0 error/);
    expect(r.stdout).toMatch(/2\. Simulated 600 accounts over 60 days from \d{4}-\d\d-\d\d, subscription history from \d{4}-\d\d-\d\d \(and \d+ former customers\)/);
    expect(r.stdout).toMatch(/3\. Imported [\d,]+ events .* 0 rejected, 0 warnings/);
    const plays = /Playbooks over the last 6 weeks \(7 weekly runs.*\): (\d+) opportunities opened, (\d+) offers reached the customer, (\d+) accepted/.exec(r.stdout);
    expect(plays, r.stdout).not.toBeNull();
    expect(Number(plays?.[2])).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/\d+ email\(s\) to the accounts' contacts wait in the outbox: no SMTP server is configured/);
    expect(r.stdout).toMatch(/4\. Scored [\d,]+ accounts .* \d+ ready for an upsell/);
    // the ranked accounts
    expect(r.stdout).toMatch(/#\s+account\s+name\s+plan\s+segment\s+score\s+offer\s+top reason\n\s*1\s+acc-\d{6}\s+\S.*\s(Basic|Pro|Enterprise)\s/);
    // the revenue block: 12 whole months with NRR and GRR as numbers, expansion, plays vs organic
    expect(r.stdout).toMatch(/Revenue, \d{4}-\d\d\.\.\d{4}-\d\d \(12 whole months; \d{4}-\d\d, \d+ days? so far is left out\)/);
    expect(r.stdout).toMatch(/NRR \d+\.\d%\s+GRR \d+\.\d%/);
    expect(r.stdout).toMatch(/expansion \$[\d,.]+/);
    const won = /from plays \(opportunities won after an offer\): (\d+) of (\d+) offers/.exec(r.stdout);
    expect(Number(won?.[1])).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/organic \(no offer before them\): \d+/);
    expect(r.stdout).toMatch(/conversion by signal source: .*\(\d+\/\d+\)/);
    expect(existsSync(join(dir, 'demo', 'events.ndjson'))).toBe(true);
  });

  it('leaves the email steps in the outbox, pending, because no SMTP server is configured', () => {
    const r = tierwise(['outbox', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { counts: { pending: number; dead: number } };
    expect(out.counts.pending).toBeGreaterThan(0);
    expect(out.counts.dead).toBe(0);
    const text = tierwise(['outbox', '--db', db]).stdout;
    expect(text).toMatch(/\d+ pending email message\(s\) wait: no SMTP server is configured \(channels\.email/);
    expect(text).toMatch(/email\s+acc-\d{6}\s+pending/);
  });

  it('gives report attribution numbers from the plays', () => {
    const r = tierwise(['report', 'attribution', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { attribution: { bySignal: { offers: number; upsells: number }[] } };
    expect(out.attribution.bySignal.reduce((a, c) => a + c.upsells, 0)).toBeGreaterThan(0);
  });

  it('reuses the store on the next start instead of importing again', () => {
    const r = tierwise(['demo', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/already holds [\d,]+ events/);
    expect(r.stdout).toMatch(/4\. Scored [\d,]+ accounts/);
    expect(r.stdout).toMatch(/Revenue, /);
  });

  it('stops at a catalog with errors', () => {
    const r = tierwise(['demo', '--db', join(dir, 'other.db'), '--config', 'test/fixtures/catalog/price-jump-5x.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Fix the catalog first/);
    expect(existsSync(join(dir, 'other.db'))).toBe(false);
  });
});
