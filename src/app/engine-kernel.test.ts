// The engine's rescore runs the columnar kernel (docs/adr/0015-columnar-rescore.md): what every
// surface reads from it (the ranked numbers, and the lines with their sentences) must be exactly
// what evaluate() gives for each account at the moment it was scored, with ProfileBuilder's
// profiles, across folds, dirty rescores, ticks within a day, the day's rollover and drop(), and
// when the rollover takes rows extracted ahead of the day (Engine.extractAhead).
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../adapters/memory/memory-store.ts';
import type { TierwiseEvent } from '../core/events/types.ts';
import { FEATURES } from '../core/model/features.ts';
import type { ModelReport, PropensityModel } from '../core/model/train.ts';
import { segmentOf } from '../core/offers/routing.ts';
import { evaluate } from '../core/scoring/evaluate.ts';
import { TIER_SPAN } from '../core/scoring/priority.ts';
import { ProfileBuilder } from '../core/scoring/profile.ts';
import { DEFAULT_SETTINGS } from '../core/scoring/settings.ts';
import type { PlanProfiles } from '../core/signals/types.ts';
import { DAY_MS, dayOf } from '../core/state/time.ts';
import { exampleCatalog } from '../sim/test-world.ts';
import { simulateParsed } from './model-world.ts';
import { Engine, summarize, type AccountScore } from './engine.ts';

const catalog = exampleCatalog();
const settings = DEFAULT_SETTINGS;
const { events } = simulateParsed({ accounts: 300, days: 60, seed: 17, startMs: Date.UTC(2026, 0, 1), catalog });

/** Feeds the events a test world holds to an engine, in order, and says which accounts changed. */
class Feed {
  k = 0;
  /** the accounts whose events are passed over while it says so (they arrive later, as new accounts) */
  hold: ((account: string) => boolean) | undefined;
  constructor(private readonly e: Engine) {}
  until(ts: number): Set<string> {
    const batch: { seq: number; event: TierwiseEvent }[] = [];
    for (; this.k < events.length && events[this.k]!.ts <= ts; this.k++) if (!this.hold?.(events[this.k]!.account)) batch.push({ seq: this.k + 1, event: events[this.k]! });
    this.e.foldStored(batch);
    return new Set(batch.map((b) => b.event.account));
  }
}

/** What the engine's surfaces must show: evaluate() for each account at the moment it was scored. */
class Expected {
  readonly at = new Map<string, number>();
  profiles: PlanProfiles | undefined;
  constructor(private readonly e: Engine, private readonly model?: PropensityModel) {}
  tick(now: number): void {
    const pb = new ProfileBuilder();
    for (const s of this.e.states.values()) pb.add(s, dayOf(now));
    this.profiles = pb.build();
    for (const id of this.e.states.keys()) this.at.set(id, now);
    this.e.tick(now);
  }
  lines(): AccountScore[] {
    const want = [...this.e.states.values()].map((s) => summarize(
      evaluate(s, { catalog, settings, profiles: this.profiles, model: this.model }, this.at.get(s.account)!, { offer: false }),
      segmentOf(s.segment, s.employees, settings.offers)));
    return want.sort((a, b) => b.priority - a.priority || a.account.localeCompare(b.account));
  }
}

const numbers = ({ top: _t, reasons: _r, ...rest }: AccountScore) => rest;

/** every ranked row's numbers, in order, and every line, as evaluate() gives them */
function expectSame(e: Engine, x: Expected): AccountScore[] {
  const want = x.lines();
  const got = e.ranked();
  expect(got.length).toBe(e.states.size);
  expect(got.map((r) => ({ ...r, signals: [...r.signals] }))).toEqual(want.map(numbers));
  const lines = e.withWhy(got);
  expect(lines).toEqual(want);
  // the JSON a surface prints keeps its field order
  expect(lines.map((l) => JSON.stringify(l))).toEqual(want.map((l) => JSON.stringify(l)));
  for (const w of want.slice(0, 20)) expect(e.row(w.account)).toEqual({ ...numbers(w) });
  return want;
}

/** Extracts the rows for the day after `now` ahead, in slices, until none is left; returns how many. */
function extractAhead(e: Engine, now: number, slice = 1_000): number {
  let n = 0;
  for (let k; (k = e.extractAhead(now, slice)) > 0;) n += k;
  return n;
}

/** the rows the day of `now` still has to extract (extracted here, so the tick after runs the kernel only) */
const leftForDay = (e: Engine, now: number) => e.extractForDay(now, Number.MAX_SAFE_INTEGER);

const nextDay = (t: number, plusMs = 0) => (dayOf(t) + 1) * DAY_MS + plusMs;

/** a fresh engine, the world's events to feed it and what evaluate() expects of it */
function scene(): { e: Engine; feed: Feed; x: Expected } {
  const e = new Engine({ store: createMemoryStore(), catalog, settings, checkpointDays: 0 });
  return { e, feed: new Feed(e), x: new Expected(e) };
}

describe('engine on the columnar kernel', () => {
  it('shows what evaluate() gives, across folds, dirty rescores, ticks in a day, the rollover and drop()', () => {
    const { e, feed, x } = scene();
    const start = events[0]!.ts;
    const end = events[events.length - 1]!.ts;
    const seen = { ready: 0, tiers: new Set<string>(), stages: new Set<string>(), signals: new Set<string>() };
    const tally = (rows: AccountScore[]) => { for (const r of rows) { if (r.ready) seen.ready++; seen.tiers.add(r.tier); seen.stages.add(r.stage); for (const s of r.signals) seen.signals.add(s); } };

    // mid-stream, mid-day: the day's first tick extracts every row
    feed.until(start + 20.5 * DAY_MS);
    x.tick(start + 20.5 * DAY_MS);
    tally(expectSame(e, x));

    // events arrive; a dirty rescore (no tick) rescores only those accounts, with the last tick's profiles, on the next day
    const d1 = start + 21 * DAY_MS + 3_600_000;
    const changed = feed.until(d1);
    expect(changed.size).toBeGreaterThan(10);
    expect(e.rescore(d1)).toBe(changed.size);
    for (const id of changed) x.at.set(id, d1);
    tally(expectSame(e, x));
    expect(e.rescore(d1)).toBe(0);

    // a later tick the same day (kernel only), then events folded the same day and another tick: their rows are extracted again
    const m2 = start + 40 * DAY_MS + 7_000;
    feed.until(m2);
    x.tick(m2);
    tally(expectSame(e, x));
    x.tick(m2 + 5 * 3_600_000);
    expectSame(e, x);
    expect(feed.until(m2 + 9 * 3_600_000).size).toBeGreaterThan(10);
    x.tick(m2 + 9 * 3_600_000);
    tally(expectSame(e, x));

    // one ms before midnight, then the next day with no new event (the rollover re-extracts every row)
    const midnight = dayOf(end) * DAY_MS + DAY_MS;
    feed.until(midnight - 1);
    x.tick(midnight - 1);
    tally(expectSame(e, x));
    x.tick(midnight);
    tally(expectSame(e, x));
    x.tick(end + 45 * DAY_MS + 3_600_000);
    tally(expectSame(e, x));

    // partitions given away: the kept accounts keep their scores, then are scored from their moved rows
    const before = e.states.size;
    const dropped = e.drop((id) => /[37]$/.test(id));
    expect(dropped).toBeGreaterThan(20);
    expect(e.states.size).toBe(before - dropped);
    for (const id of [...x.at.keys()]) if (!e.states.has(id)) x.at.delete(id);
    expectSame(e, x);
    x.tick(end + 45 * DAY_MS + 5 * 3_600_000);
    expectSame(e, x);
    x.tick(end + 200 * DAY_MS);
    tally(expectSame(e, x));

    // the comparison means something only if the world shows the range of outcomes
    expect(seen.ready).toBeGreaterThan(0);
    expect(seen.tiers.size).toBeGreaterThanOrEqual(3);
    expect(seen.stages.size).toBeGreaterThanOrEqual(3);
    expect(seen.signals.size).toBeGreaterThanOrEqual(4);
  });

  it('a dirty rescore before any tick scores without profiles, as evaluate() does', () => {
    const e = new Engine({ store: createMemoryStore(), catalog, settings, checkpointDays: 0 });
    const x = new Expected(e);
    const now = events[0]!.ts + 30 * DAY_MS;
    const changed = new Feed(e).until(now);
    expect(e.rescore(now)).toBe(changed.size);
    for (const id of changed) x.at.set(id, now);
    expectSame(e, x);
  });

  it('rescores in slices, and spreads a day\'s row extraction over calls, with the same result', () => {
    const { e, feed, x } = scene();
    const start = events[0]!.ts;
    feed.until(start + 20.5 * DAY_MS);
    x.tick(start + 20.5 * DAY_MS);
    const d1 = start + 21 * DAY_MS + 3_600_000;
    const changed = feed.until(d1);
    expect(changed.size).toBeGreaterThan(25);
    expect(e.unscored).toBe(changed.size);
    // a slice leaves the rest unscored: those keep the numbers of the last tick
    expect(e.rescore(d1, { limit: 10 })).toBe(10);
    expect(e.unscored).toBe(changed.size - 10);
    let n = 10;
    for (let k; (k = e.rescore(d1, { limit: 10 })) > 0;) n += k;
    expect(n).toBe(changed.size);
    expect(e.unscored).toBe(0);
    for (const id of changed) x.at.set(id, d1);
    expectSame(e, x);
    // the next day's rows, 50 a call: the tick after them finds every row done and gives what evaluate() gives
    const d2 = start + 22 * DAY_MS + 3_600_000;
    let extracted = 0;
    for (let k; (k = e.extractForDay(d2, 50)) > 0;) extracted += k;
    expect(extracted).toBe(e.states.size);
    expect(e.extractForDay(d2, 50)).toBe(0);
    x.tick(d2);
    expectSame(e, x);
  });

  it('takes a day\'s rows from a full ahead pass: the first tick extracts none and shows what evaluate() gives', () => {
    const { e, feed, x } = scene();
    const d0 = events[0]!.ts + 20.5 * DAY_MS;
    feed.until(d0);
    x.tick(d0);
    // an engine that never extracts ahead has no second set of rows; the first pass extracts every row
    expect(extractAhead(e, d0 + 3_600_000, 100)).toBe(e.states.size);
    expect(e.extractAhead(d0 + 3_600_000, 100)).toBe(0);
    // the ranking is still today's
    expectSame(e, x);
    // a read-only view ticked on the next day extracts its own rows (it shares the states, not the rows)
    const v = e.view();
    const vx = new Expected(v);
    vx.tick(nextDay(d0, 60_000));
    expectSame(v, vx);
    // the next day's first tick, straight (takeAhead inside the full rescore), then later that day
    x.tick(nextDay(d0, 60_000));
    expectSame(e, x);
    x.tick(nextDay(d0, 7_200_000));
    expectSame(e, x);
    // again through extractForDay (what serve runs before the tick): nothing left to extract
    const d2 = nextDay(d0, DAY_MS - 3_600_000);
    expect(extractAhead(e, d2)).toBe(e.states.size);
    expect(leftForDay(e, nextDay(d2, 1_000))).toBe(0);
    x.tick(nextDay(d2, 1_000));
    expectSame(e, x);
  });

  it('a partial ahead pass and folds after it (rescored, or not yet at midnight) and new accounts: held to evaluate() at the rollover', () => {
    const { e, feed, x } = scene();
    // the accounts ending in 5 arrive only after the ahead pass started
    feed.hold = (id) => id.endsWith('5');
    const day = events[0]!.ts + 25 * DAY_MS;
    const at = (h: number) => day + h * 3_600_000;
    feed.until(at(6));
    x.tick(at(6));
    const rescored = (t: number, ids: Set<string>) => { expect(e.rescore(t)).toBe(ids.size); for (const id of ids) x.at.set(id, t); };
    rescored(at(8), feed.until(at(8)));
    // a partial pass, then folds: some of these accounts are behind its scan, some in front
    expect(e.extractAhead(at(8), 100)).toBe(100);
    const folded1 = feed.until(at(10));
    expect(folded1.size).toBeGreaterThan(5);
    // the window between a fold and its rescore: the pass extracts from the folded state, then the rescore runs
    const rest = extractAhead(e, at(10), 37);
    expect(rest).toBeGreaterThanOrEqual(e.states.size - 100);
    expect(rest).toBeLessThanOrEqual(e.states.size - 100 + folded1.size);
    rescored(at(10.5), folded1);
    // folds after the full pass, rescored the same day; then the new accounts arrive (rescored: they get slots)
    const folded2 = feed.until(at(13));
    expect(folded2.size).toBeGreaterThan(5);
    rescored(at(13), folded2);
    feed.hold = undefined;
    const arrived = feed.until(at(15));
    expect([...arrived].filter((id) => id.endsWith('5')).length).toBeGreaterThan(1);
    rescored(at(15), arrived);
    // the pass redoes exactly the changed rows (the invalidated list) and the new accounts' (the scan)
    expect(extractAhead(e, at(15))).toBe(new Set([...folded2, ...arrived]).size);
    expect(e.extractAhead(at(15), 10)).toBe(0);
    // folds after the last pass, rescored (not dirty at midnight) and not rescored (dirty at midnight)
    const folded3 = feed.until(at(18));
    rescored(at(18), folded3);
    const folded4 = feed.until(at(24) - 1);
    expect(folded3.size).toBeGreaterThan(5);
    expect(folded4.size).toBeGreaterThan(5);
    x.tick(at(24) + 1_000);
    expectSame(e, x);
  });

  it('leaves the ranking alone; the rollover extracts only the rows folded after the last pass, and keeps those rescored after midnight', () => {
    const { e, feed, x } = scene();
    const d0 = events[0]!.ts + 30 * DAY_MS + 20 * 3_600_000;
    feed.until(d0);
    x.tick(d0);
    expect(extractAhead(e, d0)).toBe(e.states.size);
    const shown = e.ranked();
    const folded = feed.until(d0 + 3_600_000);
    // not rescored: the ranking keeps the last tick's numbers (plan and segment too) while the pass redoes these rows
    expect(extractAhead(e, d0 + 3_600_000)).toBe(folded.size);
    expect(e.ranked()).toEqual(shown);
    const foldedAgain = feed.until(nextDay(d0) - 1);
    const d1 = nextDay(d0, 500);
    expect(leftForDay(e, d1)).toBe(foldedAgain.size);
    x.tick(d1);
    expectSame(e, x);
    // accounts folded after midnight and rescored before the day's first tick keep the rows that rescore
    // extracted: the rollover takes the others' from the ahead pass and extracts none
    const d2 = nextDay(d1) - 3_600_000;
    const late = feed.until(d2);
    expect(e.rescore(d2)).toBe(late.size);
    expect(extractAhead(e, d2)).toBe(e.states.size);
    const early = feed.until(nextDay(d2, 2 * 3_600_000));
    expect(early.size).toBeGreaterThan(1);
    expect(early.size).toBeLessThan(e.states.size / 2);
    expect(e.rescore(nextDay(d2, 2 * 3_600_000))).toBe(early.size);
    expect(leftForDay(e, nextDay(d2, 2 * 3_600_000 + 1))).toBe(0);
    x.tick(nextDay(d2, 2 * 3_600_000 + 1));
    expectSame(e, x);
  });

  it('drop() after the ahead pass moves the rows extracted ahead with the slots', () => {
    const { e, feed, x } = scene();
    const d0 = events[0]!.ts + 35 * DAY_MS + 21 * 3_600_000;
    feed.until(d0);
    x.tick(d0);
    expect(extractAhead(e, d0)).toBe(e.states.size);
    const dropped = e.drop((id) => /[37]$/.test(id));
    expect(dropped).toBeGreaterThan(20);
    for (const id of [...x.at.keys()]) if (!e.states.has(id)) x.at.delete(id);
    expectSame(e, x);
    // the pass finds nothing to redo, then folds after the drop: only theirs
    expect(extractAhead(e, d0 + 60_000)).toBe(0);
    const folded = [...feed.until(d0 + 3_600_000)].filter((id) => e.states.has(id));
    expect(e.rescore(d0 + 3_600_000)).toBeGreaterThan(0);
    for (const id of e.states.keys()) if (folded.includes(id)) x.at.set(id, d0 + 3_600_000);
    // a partial pass, then another drop while it is under way
    expect(e.extractAhead(d0 + 3_600_000, 3)).toBe(3);
    expect(e.drop((id) => id.endsWith('1'))).toBeGreaterThan(5);
    for (const id of [...x.at.keys()]) if (!e.states.has(id)) x.at.delete(id);
    const redone = extractAhead(e, d0 + 3_600_000);
    const kept = folded.filter((id) => e.states.has(id)).length;
    expect(redone).toBeGreaterThanOrEqual(kept - 3);
    expect(redone).toBeLessThanOrEqual(kept);
    const d1 = nextDay(d0, 60_000);
    expect(leftForDay(e, d1)).toBe(0);
    x.tick(d1);
    expectSame(e, x);
  });

  it('rows extracted ahead for another day are not taken: a day skipped, a pass on day D and the tick on D+2', () => {
    const { e, feed, x } = scene();
    const d0 = events[0]!.ts + 40 * DAY_MS + 22 * 3_600_000;
    feed.until(d0);
    x.tick(d0);
    // rows for D+1; no tick on D+1; the tick on D+2 extracts every row
    expect(extractAhead(e, d0)).toBe(e.states.size);
    const d2 = d0 + 2 * DAY_MS;
    expect(leftForDay(e, d2)).toBe(e.states.size);
    x.tick(d2);
    expectSame(e, x);
    // rows for D+3, then events and a pass on D+3 (before its tick) that takes them and starts D+4's, then ticks on D+3 and D+4
    expect(extractAhead(e, d2)).toBe(e.states.size);
    const d3 = d2 + DAY_MS;
    const folded = feed.until(d3);
    expect(e.extractAhead(d3, 40)).toBe(40);
    // the rows of D+3 were taken before those of D+4 began; the folded accounts' were not extracted ahead again
    expect(leftForDay(e, d3)).toBe(folded.size);
    expect(e.rescore(d3)).toBe(folded.size);
    x.tick(d3);
    expectSame(e, x);
    x.tick(d3 + DAY_MS);
    expectSame(e, x);
    // a pass on D+5 after the rows of D+4 were never taken, the tick on D+6
    expect(extractAhead(e, d3 + DAY_MS)).toBe(e.states.size);
    expect(e.extractAhead(d3 + 2 * DAY_MS, 10)).toBe(10);
    x.tick(d3 + 3 * DAY_MS);
    expectSame(e, x);
  });

  it('a read-only view scores at its own moment and leaves the engine\'s scores alone', () => {
    const e = new Engine({ store: createMemoryStore(), catalog, settings, checkpointDays: 0 });
    const x = new Expected(e);
    const now = events[events.length - 1]!.ts;
    new Feed(e).until(now);
    x.tick(now);
    const v = e.view();
    const vx = new Expected(v);
    vx.tick(now + 10 * DAY_MS);
    expectSame(v, vx);
    expectSame(e, x);
  });

  it('ranks by evaluate() while a propensity model is active', () => {
    const n = FEATURES.length;
    const platt = { a: 1, b: 0 };
    const model: PropensityModel = {
      kind: 'logistic', features: [...FEATURES], platt, rulesPlatt: platt, active: true,
      logistic: { mean: new Array<number>(n).fill(0), sd: new Array<number>(n).fill(1), weights: FEATURES.map((_, j) => ((j % 3) - 1) * 0.05), bias: -1 },
      report: { horizonDays: 30 } as ModelReport,
    };
    const e = new Engine({ store: createMemoryStore(), catalog, settings, model, checkpointDays: 0 });
    const x = new Expected(e, model);
    const feed = new Feed(e);
    const m1 = events[0]!.ts + 30 * DAY_MS;
    feed.until(m1);
    x.tick(m1);
    const rows = expectSame(e, x);
    // no columns on this path: nothing to extract ahead
    expect(e.extractAhead(m1, 10)).toBe(0);
    // the model, not the score, orders inside a tier
    expect(rows.some((r) => r.priority !== TIER_SPAN * ['no_offer', 'disqualified', 'not_ready', 'ready'].indexOf(r.tier) + r.score)).toBe(true);
    const d = m1 + 3_600_000;
    const changed = feed.until(d);
    expect(e.rescore(d)).toBe(changed.size);
    for (const id of changed) x.at.set(id, d);
    expectSame(e, x);
  });
});
