// The durability harness, small: one kill -9 of `tierwise serve` during HTTP ingest (the engine folds
// in it) and one of `tierwise import`, each compared with a clean run. The long run is
// `npm run bench -- --only chaos` (test/support/chaos.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runChaos } from '../support/chaos.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-chaos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('durability under kill -9', () => {
  it('loses nothing acknowledged, stores nothing twice, and ends in the clean run\'s state', async () => {
    const r = await runChaos({ dir, trials: 1, batches: 16, batchSize: 250, importLines: 20_000 });
    expect(r.kills).toBe(2);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(r.differences).toEqual([]);
  }, 300_000);
});
