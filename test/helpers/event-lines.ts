// Deterministic canonical event lines for import tests and benchmarks (not a world: see src/sim).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const T0 = Date.parse('2026-01-01T00:00:00Z');

export function eventLine(i: number, accounts = 1_000): string {
  const account = `acc-${String(i % accounts).padStart(6, '0')}`;
  const ts = new Date(T0 + i * 1_000).toISOString();
  const user = `u-${i % 17}`;
  switch (i % 5) {
    case 0: return JSON.stringify({ id: `ev-${i}`, ts, account, user, type: 'usage', meter: 'api_calls', quantity: (i * 7) % 300 });
    case 1: return JSON.stringify({ id: `ev-${i}`, ts, account, user, type: 'session' });
    case 2: return JSON.stringify({ id: `ev-${i}`, ts, account, user, type: 'gate', feature: 'sso' });
    case 3: return JSON.stringify({ id: `ev-${i}`, ts, account, type: 'usage', meter: 'storage_gb', quantity: (i % 97) / 3 });
    default: return JSON.stringify({ id: `ev-${i}`, ts, account, user, type: 'feature', feature: 'dashboards', plan_hint: 'basic' });
  }
}

/** Writes n lines to a file, replacing the lines at the given 1-based numbers with bad ones. */
export async function writeEventFile(file: string, n: number, bad: Record<number, string> = {}): Promise<void> {
  const out = createWriteStream(file);
  let chunk = '';
  for (let i = 0; i < n; i++) {
    chunk += `${bad[i + 1] ?? eventLine(i)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
