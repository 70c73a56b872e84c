// The dbt-labs mrr-playbook sample (shared/data/reference/subscription_periods.csv) as subscription
// events: every month reconciles to the cent, and hand-checked customers and months match what the
// playbook's rules give. How each figure was checked: test/fixtures/metrics/dbt-reference.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import expected from '../../../test/fixtures/metrics/dbt-reference.json' with { type: 'json' };
import { expectMatch, expectReconciled } from '../../../test/helpers/metrics-match.ts';
import { SubscriptionLedger } from './ledger.ts';
import { formatMonth } from './months.ts';
import { computeRevenue } from './revenue.ts';
import { periodsToEvents } from '../../../test/helpers/reference-periods.ts';

// dbt Labs' sample (MIT), copied from shared/data/reference with its notice beside it.
const CSV = new URL('../../../test/fixtures/metrics/subscription_periods.csv', import.meta.url);

describe('reference data: dbt mrr-playbook subscription_periods.csv', () => {
  const events = periodsToEvents(readFileSync(CSV, 'utf8'));
  const ledger = new SubscriptionLedger();
  for (const e of events) ledger.add(e);
  const rows = new Map<string, [string, number]>();
  const report = computeRevenue(ledger, { onAccountMonth: (a, m, mrr, mv) => void rows.set(`${a}|${formatMonth(m)}`, [mv, mrr]) });

  it('reads 121 periods of 55 customers, with no problem', () => {
    expect(events).toHaveLength(242);
    expect(report.accounts).toBe(55);
    expect(report.problems).toEqual([]);
    expect([report.from, report.to]).toEqual(['2017-09', '2020-02']);
  });

  it('reconciles every month to the cent, quarters too', () => {
    expect(report.periods).toHaveLength(30);
    expectReconciled(report);
    expectReconciled(computeRevenue(ledger, { by: 'quarter' }));
  });

  for (const [customer, c] of Object.entries(expected.customers)) {
    it(`customer ${customer} month by month (${c.rows.length} periods)`, () => {
      for (const [m, want] of Object.entries(c.months)) expect(rows.get(`${customer}|${m}`) ?? null, `${customer} ${m}`).toEqual(want);
    });
  }

  for (const [m, c] of Object.entries(expected.months)) {
    it(`month ${m}: ${c.why}`, () => expectMatch(report.periods.find((p) => p.period === m), c.expect, m));
  }

  it('the whole history: everyone churned by 2020-02', () => expectMatch(report.total, expected.total, 'total'));
});
