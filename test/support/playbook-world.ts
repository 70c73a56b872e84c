// A small hand-made world for playbook tests: one account climbing to its API-call limit on Basic,
// one past-due account, the example config's playbooks, a real store and engine.
import type { Engine } from '../../src/app/engine.ts';
import { openEngine } from '../../src/app/engine.ts';
import type { PlaybookDeps } from '../../src/app/playbook-deps.ts';
import type { Store } from '../../src/app/ports.ts';
import { toCatalog } from '../../src/config/catalog-from-config.ts';
import { toEngineSettings } from '../../src/config/engine-schema.ts';
import { EXAMPLE_CONFIG, loadConfig } from '../../src/config/load.ts';
import { toPlaybookSettings } from '../../src/config/playbooks-schema.ts';
import type { TierwiseEvent } from '../../src/core/events/types.ts';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 2, 1, 8);
/** the morning the usage-limit play starts */
export const START = T0 + 20 * DAY;

export function worldEvents(): TierwiseEvent[] {
  const ev: TierwiseEvent[] = [];
  const acct = (id: string, name: string, extra: Record<string, unknown>): void => {
    ev.push({ id: `${id}-acct`, ts: T0, account: id, type: 'account', traits: { name, employees: 40, segment: 'mid_market', ...extra } });
    ev.push({ id: `${id}-sub`, ts: T0, account: id, type: 'subscription', plan: 'basic', interval: 'month', mrr: 29900, status: 'active' });
  };
  acct('acme', 'Acme <Rockets> & Co', { email: 'ops@acme.test' });
  acct('late', 'Late Payers Ltd', { email: 'ap@late.test' });
  ev.push({ id: 'late-inv', ts: T0 + 2 * DAY, account: 'late', type: 'invoice', invoice: 'in1', status: 'past_due', amount: 29900 });
  for (let d = 0; d <= 20; d++) {
    for (const id of ['acme', 'late']) {
      // a steady climb: ~9,000 of the 10,000 monthly calls by day 20, every day a little more
      ev.push({ id: `${id}-u${d}`, ts: T0 + d * DAY + 3_600_000, account: id, user: 'u1', type: 'usage', meter: 'api_calls', quantity: 300 + d * 15 });
      ev.push({ id: `${id}-s${d}`, ts: T0 + d * DAY + 3_600_000, account: id, user: 'u1', type: 'session' });
      ev.push({ id: `${id}-p${d}`, ts: T0 + d * DAY + 3_600_000, account: id, type: 'usage', meter: 'projects', quantity: 9 });
    }
  }
  return ev;
}

export async function playbookWorld(store: Store): Promise<{ deps: PlaybookDeps; engine: Engine }> {
  const cfg = loadConfig(EXAMPLE_CONFIG);
  const catalog = toCatalog(cfg);
  const settings = toEngineSettings(cfg);
  await store.appendEvents(worldEvents());
  const engine = await openEngine({ store, catalog, settings });
  engine.tick(START);
  const deps: PlaybookDeps = { store, catalog, settings, playbooks: toPlaybookSettings(cfg), webhook: { inApp: false, tasks: true } };
  return { deps, engine };
}
