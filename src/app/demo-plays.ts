// The demo's last weeks with the playbooks on: the real scheduler runs once a week as of that day
// (steps, emails to the outbox, tasks), the product asks `decide` for each open opportunity's owner
// (an in-app prompt shown is a contact), and each contacted account answers through the simulator's
// response model, as in the backtest (src/app/backtest.ts). An accepted offer becomes the upgrade
// it would be in the billing data: a subscription event a few days later, which the next run
// closes as won. So the funnel, attribution and conversion by signal source have cases to count.
import type { Interval, SubscriptionEvent } from '../core/events/types.ts';
import { CUSTOMER_CHANNELS } from '../core/playbooks/touches.ts';
import { respondToOffer } from '../sim/respond.ts';
import { hashString } from '../sim/rng.ts';
import type { AccountTruth } from '../sim/types.ts';
import { decideFor } from './decide.ts';
import type { Engine } from './engine.ts';
import type { PlaybookDeps } from './playbook-deps.ts';
import { runPlaybooks } from './scheduler.ts';

const DAY = 86_400_000;

export interface PlaySimOptions {
  deps: PlaybookDeps;
  truth: ReadonlyMap<string, AccountTruth>;
  /** day 0 of the world's telemetry (the response model counts days from it) */
  worldStartMs: number;
  /** the instants the scheduler runs at, in order; the last one only closes what was won */
  runs: readonly number[];
  seed: number;
  /** the engine as of an instant */
  engineAt: (t: number) => Promise<Engine>;
}

export interface PlaySimReport {
  runs: number;
  opened: number;
  won: number;
  lost: number;
  /** opportunities that reached the customer (email queued, task raised, prompt shown) and were answered */
  contacted: number;
  accepted: number;
  declined: number;
  /** prompts the product showed through decide */
  promptsShown: number;
}

function mrrOf(deps: PlaybookDeps, plan: string, interval: Interval): number {
  const p = deps.catalog.plans.find((x) => x.id === plan);
  if (!p) return 0;
  return interval === 'year' && p.price.annual !== undefined ? Math.round(p.price.annual / 12) : p.price.monthly;
}

export async function simulatePlays(o: PlaySimOptions): Promise<PlaySimReport> {
  const { deps, truth } = o;
  const report: PlaySimReport = { runs: 0, opened: 0, won: 0, lost: 0, contacted: 0, accepted: 0, declined: 0, promptsShown: 0 };
  const answered = new Set<string>();
  const accepted = new Set<string>();
  for (let i = 0; i < o.runs.length; i++) {
    const now = o.runs[i] as number;
    const engine = await o.engineAt(now);
    const r = await runPlaybooks(deps, engine, now);
    report.runs++;
    report.opened += r.opened;
    report.won += r.won;
    report.lost += r.lost;
    if (i === o.runs.length - 1) break;
    const open = await deps.store.listOpportunities({ status: 'open' });
    const upgrades: SubscriptionEvent[] = [];
    for (const opp of open) {
      // the product asks at the owner's next session, an hour later
      const d = await decideFor(deps, engine, { account: opp.account, user: `${opp.account}-u0` }, now + 3_600_000);
      if (d.show) report.promptsShown++;
      const touch = (await deps.store.listTouches(opp.account, now))
        .find((t) => t.opportunity === opp.id && CUSTOMER_CHANNELS.has(t.channel) && !answered.has(t.id));
      const t = truth.get(opp.account);
      if (!touch || !t || accepted.has(opp.id)) continue;
      answered.add(touch.id);
      report.contacted++;
      const dayOffset = Math.floor((now - o.worldStartMs) / DAY);
      const res = respondToOffer(t, { targetPlan: opp.target, channel: touch.channel === 'task' ? 'csm' : touch.channel, dayOffset }, o.seed);
      if (res.response === 'decline') report.declined++;
      if (res.response !== 'accept') continue;
      report.accepted++;
      accepted.add(opp.id);
      const interval: Interval = engine.states.get(opp.account)?.interval === 'year' ? 'year' : 'month';
      const at = now + (1 + (hashString(opp.id) % 4)) * DAY + 5 * 3_600_000;
      upgrades.push({ id: `demo-upgrade-${opp.id}`, ts: at, account: opp.account, type: 'subscription', plan: opp.target, interval, mrr: mrrOf(deps, opp.target, interval), status: 'active' });
    }
    if (upgrades.length > 0) await deps.store.appendEvents(upgrades);
  }
  return report;
}
