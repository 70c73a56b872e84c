// The runner is the one writer of playbook state: changes queue behind each other and behind a
// pass, a failed change does not block the queue, and stop() waits for what is under way.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMemoryStore } from '../adapters/memory/memory-store.ts';
import { toCatalog } from '../config/catalog-from-config.ts';
import { toEngineSettings } from '../config/engine-schema.ts';
import { EXAMPLE_CONFIG } from '../config/load.ts';
import { toPlaybookSettings } from '../config/playbooks-schema.ts';
import { configSchema } from '../config/schema.ts';
import { openEngine } from './engine.ts';
import { PlaybookRunner } from './playbook-runner.ts';

async function runner() {
  const cfg = configSchema.parse(parse(readFileSync(EXAMPLE_CONFIG, 'utf8')));
  const store = createMemoryStore();
  const catalog = toCatalog(cfg);
  const settings = toEngineSettings(cfg);
  const engine = await openEngine({ store, catalog, settings });
  return new PlaybookRunner({ store, catalog, settings, playbooks: toPlaybookSettings(cfg) }, engine, { now: () => Date.UTC(2026, 2, 1), retry: { baseMs: 1, maxMs: 1, maxAttempts: 1 } });
}

describe('PlaybookRunner', () => {
  it('serializes changes and passes; a failure does not block the queue; stop waits', async () => {
    const r = await runner();
    const order: string[] = [];
    const slow = r.exclusive(async () => { await new Promise((res) => setTimeout(res, 30)); order.push('slow'); });
    const failing = r.exclusive(async () => { order.push('failing'); throw new Error('nope'); });
    const pass = r.pass().then((p) => { order.push('pass'); return p; });
    const after = r.exclusive(async () => { order.push('after'); return 42; });
    await expect(failing).rejects.toThrow('nope');
    expect(await after).toBe(42);
    await slow;
    expect((await pass).run).toMatchObject({ accounts: 0, opened: 0 });
    expect((await pass).delivery).toBeUndefined(); // no transports: the outbox waits
    // The pass's scheduler part queued between `failing` and `after`; it resolves after its delivery
    // step, which runs outside the lock.
    expect(order).toEqual(['slow', 'failing', 'after', 'pass']);
    let done = false;
    void r.exclusive(async () => { await new Promise((res) => setTimeout(res, 20)); done = true; });
    await r.stop();
    expect(done).toBe(true);
  });
});
