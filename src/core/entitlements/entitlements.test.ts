// Behaviour table (test/fixtures/entitlements/cases.json): what the plan, add-ons, extra units and
// trials grant on the example catalog, and a trial's edge: not a millisecond past its end.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleCatalog } from '../../../test/support/fixture-world.ts';
import { entitlementChanges, entitlements, type TrialGrant } from './entitlements.ts';

interface Case {
  name: string; plan: string; holdings: { addons: string[]; units: Record<string, number> }; trials: TrialGrant[]; usage: Record<string, number>;
  expect: { features?: Record<string, object>; meters?: Record<string, object>; trials?: number; changesAt?: number | null };
}
const table = JSON.parse(readFileSync(new URL('../../../test/fixtures/entitlements/cases.json', import.meta.url), 'utf8')) as { now: number; cases: Case[] };
const catalog = exampleCatalog();

const run = (c: Case, now = table.now) => entitlements(catalog, { account: 'a', plan: c.plan, holdings: { ...c.holdings, termMonths: 0 }, trials: c.trials, usage: c.usage, now });

describe('entitlements', () => {
  for (const c of table.cases) {
    it(c.name, () => {
      const e = run(c);
      for (const [id, want] of Object.entries(c.expect.features ?? {})) expect(e.features.find((f) => f.id === id), id).toMatchObject(want);
      for (const [id, want] of Object.entries(c.expect.meters ?? {})) expect(e.meters.find((m) => m.id === id), id).toMatchObject(want);
      if (c.expect.trials !== undefined) expect(e.trials).toHaveLength(c.expect.trials);
      if (c.expect.changesAt !== undefined) expect(e.changesAt).toBe(c.expect.changesAt);
      expect(e.features.map((f) => f.id)).toEqual(catalog.features.map((f) => f.id));
    });
  }

  it('says which features lock when a trial ends', () => {
    const c = table.cases.find((x) => x.name.startsWith('a running module trial'))!;
    const end = c.trials[0]!.endsAt;
    expect(entitlementChanges(run(c, end - 1), run(c, end))).toEqual({ locked: ['advanced_analytics'], unlocked: [] });
  });

  it('names the plan that is not in the catalog', () => {
    expect(() => entitlements(catalog, { account: 'acme', plan: 'gold', holdings: { addons: [], units: {}, termMonths: 0 }, trials: [], usage: {}, now: 0 }))
      .toThrow(/acme.*"gold"/);
  });
});
