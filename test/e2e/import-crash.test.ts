// DESIGN.md section 6: a finished import survives kill -9, and re-running an interrupted one
// ends with exactly the distinct valid events, aggregates included (no double counting).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { eventLine, writeEventFile } from '../helpers/event-lines.ts';
import { tierwise, tierwiseAsync } from './cli.ts';

const N = 2_000_000;
const dir = mkdtempSync(join(tmpdir(), 'tierwise-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function countEvents(db: string): number {
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (d.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    } finally {
      d.close();
    }
  } catch {
    return 0;
  }
}

describe('an import killed with SIGKILL and re-run', () => {
  it(`ends with exactly the distinct valid events of a ${N.toLocaleString('en-US')}-line file`, async () => {
    const file = join(dir, 'big.ndjson');
    const db = join(dir, 'crash.db');
    // Line k is 1-based; eventLine(i) is line i+1. Repeats of earlier lines are redeliveries.
    const bad: Record<number, string> = { 10: '{oops', 1_500_000: '{"id":"z","type":"usage"}' };
    for (const k of [1_000, 700_000, 1_999_999]) bad[k] = eventLine(k - 5);
    await writeEventFile(file, N, bad);
    const expected = N - Object.keys(bad).length;
    let expectedApiCalls = 0;
    for (let i = 0; i < N; i++) {
      if (bad[i + 1] === undefined && i % 5 === 0) expectedApiCalls += (i * 7) % 300;
    }

    const child = tierwiseAsync(['import', file, '--db', db, '--no-progress']);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let seen = 0;
    for (let t = 0; t < 600 && seen < 300_000; t++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = countEvents(db);
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const afterKill = countEvents(db);
    expect(afterKill).toBeGreaterThan(0);
    expect(afterKill).toBeLessThan(expected);

    const r = tierwise(['import', file, '--db', db, '--json', '--no-progress']);
    const out = JSON.parse(r.stdout);
    expect(out.total.rejected).toBe(2);
    expect(out.total.accepted + out.total.duplicates).toBe(N - 2);
    expect(out.total.accepted).toBe(expected - afterKill);
    expect(countEvents(db)).toBe(expected);

    const d = new Database(db, { readonly: true });
    const apiCalls = (d.prepare("SELECT sum(sum) AS s FROM usage_daily WHERE meter = 'api_calls'").get() as { s: number }).s;
    const distinct = (d.prepare('SELECT count(*) AS n FROM (SELECT DISTINCT ts, id FROM events)').get() as { n: number }).n;
    d.close();
    expect(apiCalls).toBe(expectedApiCalls);
    expect(distinct).toBe(expected);
  });
});
