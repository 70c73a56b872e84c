// Revenue by group on the reference history (the dbt mrr-playbook sample used by reference-csv.test.ts):
// the groups' movements, cohort MRR and accounts add up to the unsegmented totals, month by month.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { periodsToEvents } from '../../../test/helpers/reference-periods.ts';
import { bandsFor, ownGroup, revenueByGroup } from './groups.ts';
import type { PeriodMetrics } from './types.ts';

const CSV = new URL('../../../test/fixtures/metrics/subscription_periods.csv', import.meta.url);
const events = periodsToEvents(readFileSync(CSV, 'utf8'));
const ADDITIVE = ['startMrr', 'new', 'expansion', 'reactivation', 'contraction', 'churn', 'endMrr', 'netNewMrr', 'arr', 'pastDueMrr'] as const;
const sums = (ps: PeriodMetrics[]) => ({
  ...Object.fromEntries(ADDITIVE.map((k) => [k, ps.reduce((s, p) => s + p[k], 0)])),
  customers: Object.fromEntries((['start', 'end', 'new', 'reactivated', 'churned', 'expanded', 'contracted'] as const).map((k) => [k, ps.reduce((s, p) => s + p.customers[k], 0)])),
  cohort: Object.fromEntries((['accounts', 'startMrr', 'endMrr', 'retainedMrr'] as const).map((k) => [k, ps.reduce((s, p) => s + p.cohort[k], 0)])),
});
const pick = (p: PeriodMetrics) => ({
  ...Object.fromEntries(ADDITIVE.map((k) => [k, p[k]])),
  customers: { ...p.customers }, cohort: { ...p.cohort },
});

describe('revenue by group adds up to the whole (reference history)', () => {
  // the sample has one plan: a stand-in segment by customer id, and the real sign-up cohorts
  const groupings = {
    cohort: (_a: string, evs: readonly Parameters<typeof ownGroup>[1][number][]) => ownGroup('cohort', evs),
    segment: (a: string) => ['smb', 'mid_market', 'enterprise'][Number(a.replace(/\D/g, '') || 0) % 3]!,
    plan: (_a: string, evs: readonly Parameters<typeof ownGroup>[1][number][]) => ownGroup('plan', evs),
  };
  for (const [by, groupOf] of Object.entries(groupings)) {
    it(`by ${by}: every period and the whole range`, () => {
      const { total, groups } = revenueByGroup(events, groupOf, {});
      expect(groups.reduce((s, g) => s + g.accounts, 0)).toBe(total.accounts);
      expect(sums(groups.map((g) => g.total))).toEqual(pick(total.total));
      total.periods.forEach((p, i) => expect(sums(groups.map((g) => g.periods[i]!)), p.period).toEqual(pick(p)));
      if (by === 'cohort') expect(groups.length).toBeGreaterThan(10);
      for (const g of groups) if (g.total.customers.end > 0) expect(g.arpa).toBeCloseTo(g.total.endMrr / g.total.customers.end, 6);
    });
  }

  it('names where a ratio falls among the seeds\' bands', () => {
    expect(bandsFor('nrr', 1.25)).toEqual(['best in class']);
    expect(bandsFor('nrr', 1.1)).toEqual(['target']);
    expect(bandsFor('nrr', 0.9)).toEqual([]);
    expect(bandsFor('upsell_conversion', 0.12)).toEqual(['typical']);
  });
});
