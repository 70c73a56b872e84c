// A compact, exact text form of AccountState for the StateStore. Rings keep only their live days;
// counters write zero days as empty cells and gauges write unchanged days as empty cells.
import { emptyState } from './create.ts';
import { RING_DAYS, type AccountState, type MeterState } from './types.ts';
import type { WeekCounter } from './week-counter.ts';

const VERSION = 1;

function encodeRing(m: MeterState): [number, string] {
  const from = Math.max(m.first, m.last - RING_DAYS + 1);
  const cells: string[] = [];
  let prev = 0;
  for (let d = from; d <= m.last; d++) {
    const v = m.ring[d % RING_DAYS] ?? 0;
    cells.push((m.gauge ? v === prev && d > from : v === 0) ? '' : String(v));
    prev = v;
  }
  return [from, cells.join(',')];
}

function decodeRing(m: MeterState, from: number, text: string): void {
  let prev = 0;
  text.split(',').forEach((c, i) => {
    const v = c === '' ? (m.gauge ? prev : 0) : Number(c);
    m.ring[(from + i) % RING_DAYS] = v;
    prev = v;
  });
}

const wc = (c: WeekCounter): unknown[] => (c.b.some((x) => x !== 0) ? [c.w, ...c.b] : []);
const unwc = (a: unknown): WeekCounter => {
  const arr = (a as number[] | undefined) ?? [];
  return arr.length === 0 ? { w: 0, b: [0, 0, 0, 0, 0, 0, 0, 0] } : { w: arr[0]!, b: arr.slice(1) };
};

export function serializeState(s: AccountState): string {
  const meters: Record<string, unknown[]> = {};
  for (const [id, m] of Object.entries(s.meters)) {
    const [from, ring] = encodeRing(m);
    meters[id] = [(m.gauge ? 1 : 0) + (m.derived ? 2 : 0), m.first, m.last, from, ring, m.level, m.levelTs, m.period, m.over, m.periodSum];
  }
  return JSON.stringify([
    VERSION, s.account, s.described ? 1 : 0, s.firstTs, s.lastTs, s.events, wc(s.activity),
    s.plan, s.interval, s.status, s.mrr, s.seatsBought, s.anchorTs, s.prevPlan, s.planChangeTs, s.planChange,
    s.segment, s.employees, s.renewalTs,
    meters,
    Object.fromEntries(Object.entries(s.gates).map(([k, g]) => [k, [wc(g.c), g.u.flat()]])),
    Object.fromEntries(Object.entries(s.features).map(([k, f]) => [k, [f.first, f.last, f.n, f.u.flat()]])),
    s.users.map((u) => [u.h, u.d, u.m, ...u.e]),
    s.members, wc(s.membersAdded), wc(s.membersRemoved), s.integrations, wc(s.integrationsAdded),
    s.openTickets, wc(s.featureAsks), s.pastDue, s.pastDueSince, s.nps, s.npsTs,
    s.offersShown, s.lastOfferTs, s.declines, s.lastDeclineTs, s.lastConvertTs, s.unmapped,
  ]);
}

const pairs = (flat: number[]): [number, number][] => {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
};

export class StateFormatError extends Error {
  readonly code = 'state_format';
}

export function deserializeState(text: string): AccountState {
  const a = JSON.parse(text) as unknown[];
  if (!Array.isArray(a) || a[0] !== VERSION) throw new StateFormatError(`unknown state format ${String(Array.isArray(a) ? a[0] : typeof a)}`);
  let i = 1;
  const next = <T>(): T => a[i++] as T;
  const s = emptyState(next<string>());
  s.described = next<number>() === 1;
  s.firstTs = next(); s.lastTs = next(); s.events = next(); s.activity = unwc(next());
  s.plan = next(); s.interval = next(); s.status = next(); s.mrr = next(); s.seatsBought = next();
  s.anchorTs = next(); s.prevPlan = next(); s.planChangeTs = next(); s.planChange = next();
  s.segment = next(); s.employees = next(); s.renewalTs = next();
  for (const [id, m] of Object.entries(next<Record<string, unknown[]>>())) {
    const [gauge, first, last, from, ring, level, levelTs, period, over, periodSum] = m as [number, number, number, number, string, number, number, number, number, number];
    const ms: MeterState = { gauge: (gauge & 1) === 1, derived: (gauge & 2) === 2, first, last, ring: new Float64Array(RING_DAYS), level, levelTs, period, over, periodSum };
    decodeRing(ms, from, ring);
    s.meters[id] = ms;
  }
  for (const [k, g] of Object.entries(next<Record<string, [unknown, number[]]>>())) s.gates[k] = { c: unwc(g[0]), u: pairs(g[1]) };
  for (const [k, f] of Object.entries(next<Record<string, [number, number, number, number[]]>>())) s.features[k] = { first: f[0], last: f[1], n: f[2], u: pairs(f[3]) };
  s.users = next<number[][]>().map((u) => ({ h: u[0]!, d: u[1]!, m: u[2]!, e: [u[3]!, u[4]!, u[5]!, u[6]!, u[7]!] }));
  s.members = next(); s.membersAdded = unwc(next()); s.membersRemoved = unwc(next());
  s.integrations = next(); s.integrationsAdded = unwc(next());
  s.openTickets = next(); s.featureAsks = unwc(next()); s.pastDue = next(); s.pastDueSince = next();
  s.nps = next(); s.npsTs = next();
  s.offersShown = next(); s.lastOfferTs = next(); s.declines = next(); s.lastDeclineTs = next(); s.lastConvertTs = next();
  s.unmapped = next();
  return s;
}
