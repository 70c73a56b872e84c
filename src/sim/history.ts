// Subscription history before the telemetry window: when each account signed up and how its plan
// got to the one it holds on day 0 (organic upgrades, downgrades, churn and a comeback), plus the
// accounts that left for good before the start. Revenue metrics need a year of this to have an NRR.
// Each account draws from its own stream, separate from the one that drives its days, so turning
// history on changes no event of the window except the sign-up dates and the contact trait.
import type { SimAccount } from './account.ts';
import { companyName, mailDomain, userEmail } from './account.ts';
import { DAY_MS, isoInstant } from './calendar.ts';
import type { WorldContext } from './context.ts';
import { SEGMENTS } from './params.ts';
import { Rng, mixSeed } from './rng.ts';

/** Shares of the accounts whose history is more than one plan (assumed; docs/simulator.md). */
export const HISTORY_PATHS = { upgrade: 0.4, downgrade: 0.06, comeback: 0.05 };
/** accounts that churned for good before the start, per account alive at the start and year of history */
export const FORMER_PER_YEAR = 0.08;

interface Line { ms: number; text: string }

const pad6 = (n: number): string => String(n).padStart(6, '0');

/** A second inside working hours, as an offset from the day's midnight. */
const workMs = (rng: Rng): number => (9 * 3600 + rng.int(8 * 3600)) * 1000;

class Writer {
  readonly lines: Line[] = [];
  private seq = 0;
  constructor(private readonly idHead: string, private readonly account: string) {}

  add(ms: number, body: string): void {
    this.lines.push({ ms, text: `{"id":"${this.idHead}-${this.seq++}","ts":"${isoInstant(ms)}","account":"${this.account}"${body}}\n` });
  }
}

function subscriptionBody(ctx: WorldContext, plan: number, interval: 'month' | 'year', status: 'active' | 'canceled'): string {
  const annual = ctx.mrrAnnual[plan];
  const yearly = interval === 'year' && annual !== null && annual !== undefined;
  const mrr = status === 'canceled' ? 0 : yearly ? annual : (ctx.mrrMonthly[plan] ?? 0);
  return `,"type":"subscription","plan":${JSON.stringify(ctx.ladder[plan] ?? '')},"interval":"${yearly ? 'year' : 'month'}","mrr":${mrr},"status":"${status}"${yearly ? ',"term_months":12' : ''}`;
}

/** A day strictly between `a` and `b` (epoch ms), at least `gap` days from each, or null. */
function dayBetween(rng: Rng, a: number, b: number, gap: number): number | null {
  const from = Math.ceil(a / DAY_MS) + gap;
  const to = Math.floor(b / DAY_MS) - gap;
  return to < from ? null : (from + rng.int(to - from + 1)) * DAY_MS;
}

function accountHistory(acct: SimAccount, ctx: WorldContext, out: Line[]): void {
  const rng = new Rng(mixSeed(ctx.seed, acct.index, 0x415));
  const w = new Writer(`h${ctx.seed}-${acct.index + 1}`, acct.id);
  const top = ctx.plans.length - 1;
  const signup = acct.sinceMs + workMs(rng);
  const end = ctx.startMs - DAY_MS;
  const traits = {
    name: acct.name, employees: acct.employees, industry: acct.industry, segment: acct.segment,
    ...(acct.csm ? { csm: acct.csm } : {}), ...(acct.ae ? { ae: acct.ae } : {}),
    created_at: isoInstant(acct.sinceMs), email: userEmail(acct, 0),
  };
  w.add(signup, `,"type":"account","traits":${JSON.stringify(traits)}`);
  const plan = acct.plan;
  const r = rng.float();
  const { upgrade, downgrade, comeback } = HISTORY_PATHS;
  const change = dayBetween(rng, signup, end, 14);
  if (change !== null && plan > 0 && r < upgrade) {
    w.add(signup, subscriptionBody(ctx, plan - 1, acct.interval, 'active'));
    w.add(change + workMs(rng), subscriptionBody(ctx, plan, acct.interval, 'active'));
  } else if (change !== null && plan < top && r >= upgrade && r < upgrade + downgrade) {
    w.add(signup, subscriptionBody(ctx, plan + 1, acct.interval, 'active'));
    w.add(change + workMs(rng), subscriptionBody(ctx, plan, acct.interval, 'active'));
  } else if (change !== null && r >= upgrade + downgrade && r < upgrade + downgrade + comeback) {
    const back = dayBetween(rng, change, end, 10);
    w.add(signup, subscriptionBody(ctx, plan, acct.interval, 'active'));
    if (back !== null) {
      w.add(change + workMs(rng), subscriptionBody(ctx, plan, acct.interval, 'canceled'));
      w.add(back + workMs(rng), subscriptionBody(ctx, plan, acct.interval, 'active'));
    }
  } else {
    w.add(signup, subscriptionBody(ctx, plan, acct.interval, 'active'));
  }
  for (const l of w.lines) out.push(l);
}

/** Former customers: signed up inside the history and gone before the start. */
function formerHistory(j: number, ctx: WorldContext, out: Line[]): void {
  const rng = new Rng(mixSeed(ctx.seed, j, 0xf04));
  const p = ctx.params;
  const top = ctx.plans.length - 1;
  const id = `former-${pad6(j + 1)}`;
  const w = new Writer(`h${ctx.seed}-f${j + 1}`, id);
  const segment = SEGMENTS[rng.weighted(SEGMENTS.map((s) => p.segmentMix[s]))] ?? 'self_serve';
  const name = companyName(rng);
  const plan = Math.min(top, rng.weighted([0.65, 0.3, 0.05]));
  const interval = rng.chance(p.annualShare[segment] / 2) ? 'year' : 'month';
  const first = ctx.startMs - ctx.historyDays * DAY_MS;
  const signup = first + rng.int(Math.max(1, ctx.historyDays - 45)) * DAY_MS + workMs(rng);
  const gone = dayBetween(rng, signup, ctx.startMs - DAY_MS, 14) ?? ctx.startMs - 2 * DAY_MS;
  const [eLo, eHi] = p.employees[segment];
  const traits = { name, employees: Math.round(rng.logUniform(eLo, eHi)), segment, created_at: isoInstant(signup), email: `user0@${mailDomain(name, j + 1)}` };
  w.add(signup, `,"type":"account","traits":${JSON.stringify(traits)}`);
  w.add(signup, subscriptionBody(ctx, plan, interval, 'active'));
  w.add(gone + workMs(rng), subscriptionBody(ctx, plan, interval, 'canceled'));
  for (const l of w.lines) out.push(l);
}

/** How many former customers a world of `accounts` with `historyDays` of history has. */
export const formerCount = (accounts: number, historyDays: number): number => Math.round(accounts * FORMER_PER_YEAR * (historyDays / 365));

/**
 * The history of `accounts` (created, not yet stepped) and of the former customers, as NDJSON in
 * time order (ties: accounts in order, formers after). Empty without historyDays.
 */
export function worldHistory(accounts: readonly SimAccount[], ctx: WorldContext, totalAccounts: number): { data: Buffer; events: number } {
  if (ctx.historyDays <= 0) return { data: Buffer.alloc(0), events: 0 };
  const lines: Line[] = [];
  for (const a of accounts) accountHistory(a, ctx, lines);
  const formers = formerCount(totalAccounts, ctx.historyDays);
  for (let j = 0; j < formers; j++) formerHistory(j, ctx, lines);
  // Array#sort is stable: equal instants keep the order above.
  lines.sort((a, b) => a.ms - b.ms);
  return { data: Buffer.from(lines.map((l) => l.text).join('')), events: lines.length };
}
