// The upsell reports use case: gathers opportunities, their contacts, the subscription outcomes and
// feature use from the store, and lets the core measure (src/core/metrics/upsell.ts).
import { forecastAccuracy, type ForecastCheck } from '../core/metrics/forecast.ts';
import { computeUpsell, type UpsellReport } from '../core/metrics/upsell.ts';
import type { Contact, FeatureUse, SubscriptionChange, UpsellSettings } from '../core/metrics/upsell-types.ts';
import { CUSTOMER_CHANNELS } from '../core/playbooks/touches.ts';
import type { PlaybookSettings } from '../core/playbooks/types.ts';
import type { EventStore, PlaybookStore } from './ports.ts';

const DAY = 86_400_000;

export interface UpsellQuery {
  playbooks: PlaybookSettings;
  settings: UpsellSettings;
  /** measure as of this time; default: the latest time in the data (so a replayed world reads the same) */
  now?: number;
}

export interface UpsellReportWithChecks extends UpsellReport {
  /** past forecasts, one per period since the first opportunity, against what was won */
  forecastChecks: { checks: ForecastCheck[]; meanAbsError: number | null; bias: number | null };
}

/**
 * Contacts that reached the customer: the touches tied to an opportunity (an email sent, a task
 * raised, a prompt shown). Not the steps: a done in-app step only arms a prompt, which counts once
 * `decide` shows it.
 */
async function contactsOf(store: PlaybookStore, accounts: readonly string[]): Promise<Contact[]> {
  const out: Contact[] = [];
  for (const a of accounts) {
    for (const t of await store.listTouches(a, 0)) {
      if (t.opportunity !== undefined && CUSTOMER_CHANNELS.has(t.channel)) out.push({ opportunity: t.opportunity, channel: t.channel, at: t.at });
    }
  }
  return out;
}

export async function upsellReport(store: EventStore & PlaybookStore, q: UpsellQuery): Promise<UpsellReportWithChecks> {
  const opportunities = await store.listOpportunities();
  const accounts = new Set(opportunities.map((o) => o.account));
  const subscriptions: SubscriptionChange[] = [];
  const features: FeatureUse[] = [];
  let latest = opportunities.reduce((a, o) => Math.max(a, o.updatedAt), 0);
  for await (const { event: e } of store.readEvents({ types: ['subscription', 'feature'] })) {
    latest = Math.max(latest, e.ts);
    // only the accounts with opportunities matter: outcomes and activation are read per opportunity
    if (!accounts.has(e.account)) continue;
    if (e.type === 'subscription') {
      subscriptions.push({
        id: e.id, account: e.account, at: e.ts, plan: e.plan, mrr: e.mrr,
        ...(e.discount_pct !== undefined ? { discountPct: e.discount_pct } : {}), ...(e.term_months !== undefined ? { termMonths: e.term_months } : {}),
      });
    } else if (e.type === 'feature') {
      features.push({ account: e.account, feature: e.feature, at: e.ts });
    }
  }
  const now = q.now ?? latest;
  const playbookSignals = Object.fromEntries(q.playbooks.playbooks.map((p) => [p.id, p.trigger.signals]));
  const report = computeUpsell({ opportunities, contacts: await contactsOf(store, [...accounts]), subscriptions, features, playbookSignals, now }, q.settings);
  const period = q.settings.forecast.periodDays * DAY;
  const first = opportunities.reduce((a, o) => Math.min(a, o.openedAt), Number.POSITIVE_INFINITY);
  const asOfs: number[] = [];
  // only periods that have fully passed can be checked
  for (let t = first + period; Number.isFinite(t) && t + period <= now; t += period) asOfs.push(t);
  return { ...report, forecastChecks: forecastAccuracy(opportunities, asOfs, q.settings.forecast) };
}
