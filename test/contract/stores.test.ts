import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/memory-store.ts';
import { openPostgresStore } from '../../src/adapters/postgres/postgres-store.ts';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { testDatabase, type TestDatabase } from '../support/postgres.ts';
import { storeContract, usage } from './store.contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-contract-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract('memory', async () => createMemoryStore());
storeContract('sqlite', async () => openSqliteStore(join(dir, `store-${++n}.db`)));
// the server's store: appendEvents on a worker thread with its own connection (append-thread.ts)
storeContract('sqlite (append thread)', async () => openSqliteStore(join(dir, `store-${++n}.db`), { appendThread: true }));

// PostgreSQL: one database for this file, one schema per store opened, so every test starts empty.
let pg: TestDatabase | undefined;
beforeAll(async () => { pg = await testDatabase('contract'); });
afterAll(async () => { await pg?.drop(); });
storeContract('postgres', async () => openPostgresStore((pg as TestDatabase).url, { schema: `c${++n}`, max: 2 }));

describe('sqlite store specifics', () => {
  it('keeps everything across a close and reopen', async () => {
    const file = join(dir, 'reopen.db');
    const a = openSqliteStore(file);
    await a.appendEvents([usage('e1', 'a1', 'api_calls', 3, 1_000)]);
    await a.saveStates([{ account: 'a1', state: 'x', seq: 1 }]);
    await a.close();
    const b = openSqliteStore(file);
    expect(await b.countEvents()).toBe(1);
    expect(await b.appendEvents([usage('e1', 'a1', 'api_calls', 3, 1_000)])).toEqual({ inserted: 0, duplicates: 1 });
    expect(await b.loadState('a1')).toEqual({ account: 'a1', state: 'x', seq: 1 });
    await b.close();
  });
});
