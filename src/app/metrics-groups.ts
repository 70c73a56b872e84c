// `tierwise metrics --by segment|plan|cohort`: the revenue figures per group (core/metrics/groups.ts)
// with the seeds' benchmark bands beside them. Segment comes from the account's traits (its segment,
// else its size, as routing does); plan is the plan an account is on last; cohort its first paid month.
import type { SubscriptionEvent } from '../core/events/types.ts';
import { planNameOf } from '../core/format.ts';
import { bandsFor, ownGroup, revenueByGroup, SEED_BANDS, type BenchmarkBand, type GroupBy } from '../core/metrics/groups.ts';
import type { LedgerProblem } from '../core/metrics/ledger.ts';
import type { PeriodMetrics } from '../core/metrics/types.ts';
import { segmentOf } from '../core/offers/routing.ts';
import type { OfferSettings } from '../core/scoring/settings.ts';
import { revenueOptions, type RevenueMetricsQuery } from './metrics.ts';
import type { AccountStore, EventStore } from './ports.ts';

export interface GroupRow {
  group: string;
  /** what a person reads: the plan's name, "Mid-market", the month */
  name: string;
  accounts: number;
  startMrr: number;
  endMrr: number;
  expansionMrr: number;
  nrr: number | null;
  grr: number | null;
  /** cents per paying account at the end */
  arpa: number | null;
  arpaGrowth: number | null;
  /** the cohort paying at the start: NRR/GRR over fewer than 10 accounts say little */
  cohortAccounts: number;
  nrrBands: string[];
}

export interface GroupedRevenue {
  by: GroupBy;
  from: string;
  to: string;
  total: GroupRow;
  groups: GroupRow[];
  bands: readonly BenchmarkBand[];
  /** the events the ledger reported (unknown plans, other currencies), as the ungrouped report lists them */
  problems: LedgerProblem[];
}

const SEGMENT_NAMES: Record<string, string> = { enterprise: 'Enterprise', mid_market: 'Mid-market', smb: 'SMB', self_serve: 'Self-serve' };

function row(group: string, name: string, accounts: number, t: PeriodMetrics): GroupRow {
  const arpa = t.customers.end > 0 ? Math.round(t.endMrr / t.customers.end) : null;
  const arpaStart = t.customers.start > 0 ? t.startMrr / t.customers.start : null;
  return {
    group, name, accounts, startMrr: t.startMrr, endMrr: t.endMrr, expansionMrr: t.expansion, nrr: t.nrr, grr: t.grr,
    arpa, arpaGrowth: arpa !== null && arpaStart ? arpa / arpaStart - 1 : null, cohortAccounts: t.cohort.accounts, nrrBands: bandsFor('nrr', t.nrr),
  };
}

export async function revenueByGroupMetrics(store: EventStore & Pick<AccountStore, 'listAccounts'>, by: GroupBy, offers: OfferSettings, q: RevenueMetricsQuery = {}): Promise<GroupedRevenue> {
  const options = revenueOptions({ ...q, by: 'month' });
  const events: SubscriptionEvent[] = [];
  for await (const { event } of store.readEvents({ types: ['subscription'] })) if (event.type === 'subscription') events.push(event);
  let groupOf: (account: string, evs: readonly SubscriptionEvent[]) => string;
  if (by === 'segment') {
    const traits = new Map((await store.listAccounts()).map((a) => [a.id, a.traits]));
    groupOf = (account) => {
      const t = traits.get(account) ?? {};
      return segmentOf(typeof t.segment === 'string' ? t.segment : '', typeof t.employees === 'number' ? t.employees : 0, offers);
    };
  } else groupOf = (_account, evs) => ownGroup(by, evs);
  const nameOf = (key: string): string => (by === 'plan' ? planNameOf(q.catalog?.plans ?? [], key, key) : by === 'segment' ? SEGMENT_NAMES[key] ?? key : key);
  const r = revenueByGroup(events, groupOf, options, {
    ...(q.knownPlans ? { knownPlans: q.knownPlans } : {}), ...(q.currency ? { currency: q.currency } : {}),
  });
  return {
    by, from: r.total.from, to: r.total.to, total: row('all', 'All accounts', r.total.accounts, r.total.total),
    groups: r.groups.map((g) => row(g.key, nameOf(g.key), g.accounts, g.total)), bands: SEED_BANDS, problems: r.total.problems,
  };
}
