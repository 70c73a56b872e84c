// A compact, exact text form of AccountState for the StateStore. Rings keep only their live days;
// counters write zero days as empty cells and gauges write unchanged days as empty cells.
import { emptyState } from './create.ts';
import { RING_DAYS, type AccountState, type MeterState } from './types.ts';
import type { WeekCounter } from './week-counter.ts';

const VERSION = 1;

// Cells: whole numbers in base 36, others in decimal (they hold '.', '+' or '-', which base 36 never
// does); a run of k empty cells (zero for counters, unchanged for gauges) is written ~k.
const cell = (v: number): string => (Number.isInteger(v) && v >= 0 ? v.toString(36) : String(v));

// Reading runs once per account when a process opens (a CLI command, serve's start), so it scans
// the text by character codes instead of split, map and a regex: the same numbers for a fraction
// of the time and garbage.

/** parseInt(t.slice(i, j), 36) for the digits toString(36) writes, without the slice */
function b36(t: string, i: number, j: number): number {
  // past 10 digits (36^10 > 2^51) the sum could round differently from parseInt, and '' is NaN: let it decide
  if (j - i > 10 || j === i) return parseInt(t.slice(i, j), 36);
  let v = 0;
  for (let k = i; k < j; k++) {
    const c = t.charCodeAt(k);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 122 ? c - 87 : -1;
    if (d < 0) return parseInt(t.slice(i, j), 36);
    v = v * 36 + d;
  }
  return v;
}

/** a ring cell's number: decimal when it holds '.', '+' or '-', else base 36 */
function uncell(t: string, i: number, j: number): number {
  for (let k = i; k < j; k++) {
    const c = t.charCodeAt(k);
    if (c === 46 || c === 43 || c === 45) return Number(t.slice(i, j));
  }
  return b36(t, i, j);
}

function encodeRing(m: MeterState): [number, string] {
  const from = Math.max(m.first, m.last - RING_DAYS + 1);
  const cells: string[] = [];
  let prev = 0;
  let empty = 0;
  for (let d = from; d <= m.last; d++) {
    const v = m.ring[d % RING_DAYS] ?? 0;
    if (m.gauge ? v === prev && d > from : v === 0) empty++;
    else {
      if (empty > 0) cells.push(empty === 1 ? '' : `~${empty.toString(36)}`);
      empty = 0;
      cells.push(cell(v));
    }
    prev = v;
  }
  if (empty > 0) cells.push(empty === 1 ? '' : `~${empty.toString(36)}`);
  return [from, cells.join(',')];
}

function decodeRing(m: MeterState, from: number, text: string): void {
  const ring = m.ring;
  let prev = 0;
  let d = from;
  // cells between commas: '' one empty day, ~k k empty days (base 36), else a number
  for (let i = 0; i <= text.length;) {
    let j = text.indexOf(',', i);
    if (j < 0) j = text.length;
    let run = 1;
    let v: number;
    if (j > i && text.charCodeAt(i) !== 126) v = uncell(text, i, j);
    else {
      if (j > i) run = b36(text, i + 1, j);
      v = m.gauge ? prev : 0;
    }
    for (let k = 0; k < run; k++) ring[d++ % RING_DAYS] = v;
    prev = v;
    i = j + 1;
  }
}

/** Non-negative integers as one '.'-separated base-36 string: user hashes and days shrink by a third. */
const pack = (xs: readonly number[]): string => xs.map((x) => x.toString(36)).join('.');
function unpack(t: string): number[] {
  const out: number[] = [];
  if (t === '') return out;
  for (let i = 0; ; ) {
    let j = t.indexOf('.', i);
    if (j < 0) j = t.length;
    out.push(b36(t, i, j));
    if (j === t.length) return out;
    i = j + 1;
  }
}

const wc = (c: WeekCounter): string => (c.b.some((x) => x !== 0) ? pack([c.w, ...c.b]) : '');
const unwc = (a: unknown): WeekCounter => {
  const arr = unpack((a as string | undefined) ?? '');
  return arr.length === 0 ? { w: 0, b: [0, 0, 0, 0, 0, 0, 0, 0] } : { w: arr[0]!, b: arr.slice(1) };
};

export function serializeState(s: AccountState): string {
  const meters: Record<string, unknown[]> = {};
  for (const [id, m] of Object.entries(s.meters)) {
    const [from, ring] = encodeRing(m);
    meters[id] = [pack([(m.gauge ? 1 : 0) + (m.derived ? 2 : 0), m.first, m.last, from, m.levelTs, m.period < 0 ? 0 : m.period + 1, m.over]), ring, m.level, m.periodSum];
  }
  return JSON.stringify([
    VERSION, s.account, s.described ? 1 : 0, s.firstTs, s.lastTs, s.events, wc(s.activity),
    s.plan, s.interval, s.status, s.mrr, s.seatsBought, s.anchorTs, s.prevPlan, s.planChangeTs, s.planChange,
    s.segment, s.employees, s.renewalTs,
    meters,
    Object.fromEntries(Object.entries(s.gates).map(([k, g]) => [k, [wc(g.c), pack(g.u.flat())]])),
    Object.fromEntries(Object.entries(s.features).map(([k, f]) => [k, pack([f.first, f.last, f.n, ...f.u.flat()])])),
    s.users.map((u) => pack([u.h, u.d, u.m, ...u.e])),
    s.members, wc(s.membersAdded), wc(s.membersRemoved), s.integrations, wc(s.integrationsAdded),
    s.openTickets, wc(s.featureAsks), s.pastDue, s.pastDueSince, s.nps, s.npsTs,
    s.offersShown, s.lastOfferTs, s.declines, s.lastDeclineTs, s.lastConvertTs, s.unmapped,
    wc(s.engage),
    s.addons, s.units, s.termMonths, s.extrasChangeTs, s.extrasTs,
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

/** A positional field of the state row, typed by its destination. */
function at(row: unknown[], i: number): never {
  return row[i] as never;
}

export function deserializeState(text: string): AccountState {
  const a = JSON.parse(text) as unknown[];
  if (!Array.isArray(a) || a[0] !== VERSION) throw new StateFormatError(`unknown state format ${String(Array.isArray(a) ? a[0] : typeof a)}`);
  // positional: the order serializeState writes (no per-call closures: this runs once per account on load)
  const s = emptyState(at(a, 1));
  s.described = at(a, 2) === 1;
  s.firstTs = at(a, 3); s.lastTs = at(a, 4); s.events = at(a, 5); s.activity = unwc(at(a, 6));
  s.plan = at(a, 7); s.interval = at(a, 8); s.status = at(a, 9); s.mrr = at(a, 10); s.seatsBought = at(a, 11);
  s.anchorTs = at(a, 12); s.prevPlan = at(a, 13); s.planChangeTs = at(a, 14); s.planChange = at(a, 15);
  s.segment = at(a, 16); s.employees = at(a, 17); s.renewalTs = at(a, 18);
  const meters = at(a, 19) as Record<string, [string, string, number, number]>;
  for (const id in meters) {
    // indexed rather than destructured: array destructuring walks an iterator until the code is optimized
    const m = meters[id]!;
    const h = unpack(m[0]);
    const flags = h[0] ?? 0;
    const ms: MeterState = {
      gauge: (flags & 1) === 1, derived: (flags & 2) === 2, first: h[1] ?? 0, last: h[2] ?? 0, ring: new Array<number>(RING_DAYS).fill(0),
      level: m[2], levelTs: h[4] ?? 0, period: (h[5] ?? 0) - 1, over: h[6] ?? 0, periodSum: m[3],
    };
    decodeRing(ms, h[3] ?? 0, m[1]);
    s.meters[id] = ms;
  }
  const gates = at(a, 20) as Record<string, [string, string]>;
  for (const k in gates) s.gates[k] = { c: unwc(gates[k]![0]), u: pairs(unpack(gates[k]![1])) };
  const features = at(a, 21) as Record<string, string>;
  for (const k in features) {
    const f = unpack(features[k]!);
    s.features[k] = { first: f[0]!, last: f[1]!, n: f[2]!, u: pairs(f.slice(3)) };
  }
  for (const t of at(a, 22) as string[]) {
    const u = unpack(t);
    s.users.push({ h: u[0]!, d: u[1]!, m: u[2]!, e: [u[3]!, u[4]!, u[5]!, u[6]!, u[7]!] });
  }
  s.members = at(a, 23); s.membersAdded = unwc(at(a, 24)); s.membersRemoved = unwc(at(a, 25));
  s.integrations = at(a, 26); s.integrationsAdded = unwc(at(a, 27));
  s.openTickets = at(a, 28); s.featureAsks = unwc(at(a, 29)); s.pastDue = at(a, 30); s.pastDueSince = at(a, 31);
  s.nps = at(a, 32); s.npsTs = at(a, 33);
  s.offersShown = at(a, 34); s.lastOfferTs = at(a, 35); s.declines = at(a, 36); s.lastDeclineTs = at(a, 37); s.lastConvertTs = at(a, 38);
  s.unmapped = at(a, 39);
  // absent in states saved before T14: engagement then starts counting from the next event
  s.engage = unwc(at(a, 40));
  // rows written before add-ons existed end here
  if (a.length > 41) { s.addons = at(a, 41); s.units = at(a, 42); s.termMonths = at(a, 43); s.extrasChangeTs = at(a, 44); }
  // rows written before issue #15 have no per-part times: a win is then dated at the latest change
  if (a.length > 45) s.extrasTs = at(a, 45);
  return s;
}
