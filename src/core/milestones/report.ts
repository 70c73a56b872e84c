// Time to value: when each account first reached each milestone of its segment, and its first
// expansion, replayed event by event through the same fold the engine uses; then the medians by
// segment and sign-up cohort, and the accounts stalled before a milestone. Pure.
import type { Catalog } from '../catalog/types.ts';
import type { TierwiseEvent } from '../events/types.ts';
import { segmentOf } from '../offers/routing.ts';
import type { OfferSettings } from '../scoring/settings.ts';
import { emptyState } from '../state/create.ts';
import { fold } from '../state/fold.ts';
import { DAY_MS, dayOf } from '../state/time.ts';
import { checkMilestones, type MilestoneSettings } from './milestones.ts';

export interface AccountTimeline {
  account: string;
  segment: string;
  /** YYYY-MM of the first event */
  cohort: string;
  signedUpAt: number;
  /** milestone id -> first time reached (epoch ms), null if not yet */
  reached: Record<string, number | null>;
  /** the first subscription event that raised MRR above a paid MRR */
  firstExpansionAt: number | null;
  canceled: boolean;
}

/** One account's events, in time order. */
export function timelineOf(account: string, events: readonly TierwiseEvent[], catalog: Catalog, ms: MilestoneSettings, offers: OfferSettings): AccountTimeline {
  const s = emptyState(account);
  const reached: Record<string, number | null> = {};
  let firstExpansionAt: number | null = null;
  for (const e of events) {
    const mrrBefore = s.mrr;
    fold(s, e, catalog);
    if (firstExpansionAt === null && e.type === 'subscription' && mrrBefore > 0 && s.mrr > mrrBefore) firstExpansionAt = e.ts;
    const list = ms[segmentOf(s.segment, s.employees, offers)] ?? [];
    if (list.length === 0 || list.every((m) => reached[m.id] != null)) continue;
    for (const c of checkMilestones(s, list, dayOf(e.ts))) if (c.reached && reached[c.id] == null) reached[c.id] = e.ts;
  }
  const segment = segmentOf(s.segment, s.employees, offers);
  for (const m of ms[segment] ?? []) reached[m.id] ??= null;
  // a segment trait may arrive after the first events: keep only this segment's milestones
  const own = new Set((ms[segment] ?? []).map((m) => m.id));
  for (const id of Object.keys(reached)) if (!own.has(id)) delete reached[id];
  return { account, segment, cohort: new Date(s.firstTs).toISOString().slice(0, 7), signedUpAt: s.firstTs, reached, firstExpansionAt, canceled: s.status === 'canceled' };
}

export interface TimeTo { id: string; name: string; reached: number; of: number; medianDays: number | null }
export interface MilestoneGroup { segment: string; cohort: string | null; accounts: number; milestones: TimeTo[]; firstExpansion: TimeTo }
export interface Stalled { account: string; segment: string; cohort: string; milestone: string; daysSinceSignUp: number; nextStep: string }
export interface MilestoneReport { groups: MilestoneGroup[]; stalled: Stalled[] }

export const STALLED_NEXT_STEP = 'adoption play, not upsell';

const days = (from: number, to: number): number => Math.round(((to - from) / DAY_MS) * 10) / 10;
function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : Math.round(((v[m - 1]! + v[m]!) / 2) * 10) / 10;
}

function group(segment: string, cohort: string | null, ts: readonly AccountTimeline[], ms: MilestoneSettings): MilestoneGroup {
  const milestones = (ms[segment] ?? []).map((m) => {
    const d = ts.flatMap((t) => (t.reached[m.id] != null ? [days(t.signedUpAt, t.reached[m.id]!)] : []));
    return { id: m.id, name: m.name, reached: d.length, of: ts.length, medianDays: median(d) };
  });
  const x = ts.flatMap((t) => (t.firstExpansionAt !== null ? [days(t.signedUpAt, t.firstExpansionAt)] : []));
  return { segment, cohort, accounts: ts.length, milestones, firstExpansion: { id: 'first_expansion', name: 'First expansion', reached: x.length, of: ts.length, medianDays: median(x) } };
}

/** Per segment (cohort null), then per segment and sign-up cohort; stalled: open accounts short of a milestone. */
export function milestoneReport(ts: readonly AccountTimeline[], ms: MilestoneSettings, now: number, segment?: string): MilestoneReport {
  const mine = ts.filter((t) => (segment === undefined || t.segment === segment) && t.signedUpAt <= now);
  const segments = [...new Set(mine.map((t) => t.segment))].sort();
  const groups: MilestoneGroup[] = [];
  for (const seg of segments) {
    const inSeg = mine.filter((t) => t.segment === seg);
    groups.push(group(seg, null, inSeg, ms));
    for (const c of [...new Set(inSeg.map((t) => t.cohort))].sort()) groups.push(group(seg, c, inSeg.filter((t) => t.cohort === c), ms));
  }
  const stalled: Stalled[] = [];
  for (const t of mine) {
    if (t.canceled) continue;
    const next = (ms[t.segment] ?? []).find((m) => t.reached[m.id] == null);
    if (next) stalled.push({ account: t.account, segment: t.segment, cohort: t.cohort, milestone: next.name, daysSinceSignUp: days(t.signedUpAt, now), nextStep: STALLED_NEXT_STEP });
  }
  stalled.sort((a, b) => b.daysSinceSignUp - a.daysSinceSignUp || a.account.localeCompare(b.account));
  return { groups, stalled };
}
