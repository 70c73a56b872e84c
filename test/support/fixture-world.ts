// Builds event lists from the small DSL the behaviour tables use (test/fixtures/*/cases.json):
// plain events placed by `day` (relative to `now`'s day) or `ts`, plus `ramp` and `times` generators.
import { readFileSync } from 'node:fs';
import { loadConfig, EXAMPLE_CONFIG } from '../../src/config/load.ts';
import { toCatalog } from '../../src/config/catalog-from-config.ts';
import type { Catalog } from '../../src/core/catalog/types.ts';
import type { TierwiseEvent } from '../../src/core/events/types.ts';
import { emptyState } from '../../src/core/state/create.ts';
import { fold } from '../../src/core/state/fold.ts';
import type { AccountState } from '../../src/core/state/types.ts';

export const DAY = 86_400_000;
export const DEFAULT_NOW = '2026-03-15T12:00:00Z';

export function exampleCatalog(): Catalog {
  return toCatalog(loadConfig(EXAMPLE_CONFIG));
}

export function readCases<T>(path: string): T[] {
  const url = new URL(`../fixtures/${path}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: T[] }).cases;
}

type Spec = Record<string, unknown>;

/** Midday of `now`'s day plus `day` days, plus an optional hour offset so same-day events keep order. */
function tsOf(spec: Spec, now: number, k: number): number {
  if (typeof spec['ts'] === 'string') return Date.parse(spec['ts']);
  const day = typeof spec['day'] === 'number' ? spec['day'] : 0;
  const base = Math.floor(now / DAY) * DAY + 6 * 3_600_000;
  return base + day * DAY + k * 1000;
}

export function buildEvents(specs: readonly Spec[], nowIso: string = DEFAULT_NOW, account = 'acme'): TierwiseEvent[] {
  const now = Date.parse(nowIso);
  const out: TierwiseEvent[] = [];
  let n = 0;
  const push = (spec: Spec, ts: number): void => {
    const { day: _d, ts: _t, ...rest } = spec;
    out.push({ account, id: `e${++n}`, ...rest, ts } as unknown as TierwiseEvent);
  };
  for (const spec of specs) {
    if (spec['ramp']) {
      // one usage event a day, the quantity moving linearly from start to end
      const r = spec['ramp'] as { meter: string; fromDay: number; toDay: number; start: number; end: number; user?: string };
      const span = Math.max(1, r.toDay - r.fromDay);
      for (let d = r.fromDay; d <= r.toDay; d++) {
        const q = r.start + ((r.end - r.start) * (d - r.fromDay)) / span;
        push({ type: 'usage', meter: r.meter, quantity: Math.round(q * 100) / 100, ...(r.user ? { user: r.user } : {}) }, tsOf({ day: d }, now, 0));
      }
    } else if (spec['times']) {
      // the same event N times; users cycle through `users`; days cycle through `days` (or `day`)
      const t = spec as { times: number; event: Spec; users?: string[]; days?: number[]; day?: number };
      for (let i = 0; i < t.times; i++) {
        const user = t.users?.[i % t.users.length];
        const day = t.days ? t.days[i % t.days.length] : (t.day ?? 0);
        push({ ...t.event, ...(user ? { user } : {}) }, tsOf({ day }, now, i + 1));
      }
    } else push(spec, tsOf(spec, now, 0));
  }
  // stable: equal timestamps keep their written order
  return out.map((e, i) => [e, i] as const).sort((a, b) => a[0].ts - b[0].ts || a[1] - b[1]).map(([e]) => e);
}

export function stateFrom(events: readonly TierwiseEvent[], catalog: Catalog, account = 'acme'): AccountState {
  const s = emptyState(account);
  for (const e of events) fold(s, e, catalog);
  return s;
}

export const PRESETS = JSON.parse(readFileSync(new URL('../fixtures/presets.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>[]>;

export interface WorldCase {
  name: string;
  setup: string;
  now?: string;
  events: Record<string, unknown>[];
}

/** The case's events with its preset prepended, and its `now` in epoch ms. */
export function caseWorld(c: WorldCase): { events: TierwiseEvent[]; now: number } {
  const now = c.now ?? DEFAULT_NOW;
  return { events: buildEvents([...(PRESETS[c.setup] ?? []), ...c.events], now), now: Date.parse(now) };
}
