// The Opportunities list: the engine's ranking joined with each account's offer, owner and open
// opportunity. Offers are built only for the rows shown (explain is per account), so a large book
// stays cheap; the route filter, which needs the offer, scans at most MAX_SCAN accounts.
import type { Engine } from '../app/engine.ts';
import type { AccountRecord, Store } from '../app/ports.ts';
import { ownerLabel, ownerOpportunities, resolveOwner, type OwnerView } from '../app/owners.ts';
import type { Opportunity } from '../core/playbooks/opportunity.ts';
import type { TeamMember } from '../core/playbooks/types.ts';
import type { Route, Segment } from '../core/scoring/settings.ts';
import { STAGES, type Stage } from '../core/scoring/stage.ts';

export const SEGMENTS: readonly Segment[] = ['self_serve', 'smb', 'mid_market', 'enterprise'];
export const ROUTES: readonly Route[] = ['product_led', 'csm', 'ae'];
export const PAGE_SIZE = 50;
const MAX_SCAN = 5_000;

export interface OppFilters {
  segment?: Segment;
  stage?: Stage;
  owner?: string;
  route?: Route;
  ready?: boolean;
  /** part of the account's name or id, any case */
  q?: string;
  /** the picked moment, carried on the filter and paging links */
  asOf?: string;
  page: number;
}

export interface OppRow {
  account: string;
  name: string;
  plan: string;
  target: string | null;
  score: number;
  stage: Stage;
  ready: boolean;
  segment: string;
  /** the strongest signals' sentences, or why it is not ready */
  reasons: string[];
  arrDelta: number | null;
  route: Route | null;
  owner: OwnerView | null;
  /** when the open opportunity was raised; null without one */
  openedAt: number | null;
}

export interface OppList { total: number; rows: OppRow[]; owners: { id: string; label: string }[]; scannedAll: boolean }

const pick = <T extends string>(v: string | undefined, allowed: readonly T[]): T | undefined => (allowed as readonly string[]).includes(v ?? '') ? (v as T) : undefined;

/** Reads the filters from a query string; unknown values are ignored rather than refused. */
export function parseFilters(q: Record<string, string | undefined>): OppFilters {
  const f: OppFilters = { page: Math.max(1, Math.min(10_000, Number.parseInt(q['page'] ?? '1', 10) || 1)) };
  const segment = pick(q['segment'], SEGMENTS);
  if (segment) f.segment = segment;
  const stage = pick(q['stage'], STAGES);
  if (stage) f.stage = stage;
  const route = pick(q['route'], ROUTES);
  if (route) f.route = route;
  if (q['owner']) f.owner = q['owner'].slice(0, 200);
  if (q['q']?.trim()) f.q = q['q'].trim().slice(0, 200);
  if (q['as_of']) f.asOf = q['as_of'].slice(0, 40);
  if (q['ready'] === 'yes') f.ready = true;
  if (q['ready'] === 'no') f.ready = false;
  return f;
}

export function filterQuery(f: OppFilters, page = f.page): string {
  const p = new URLSearchParams();
  if (f.segment) p.set('segment', f.segment);
  if (f.stage) p.set('stage', f.stage);
  if (f.owner) p.set('owner', f.owner);
  if (f.route) p.set('route', f.route);
  if (f.ready !== undefined) p.set('ready', f.ready ? 'yes' : 'no');
  if (f.q) p.set('q', f.q);
  if (f.asOf) p.set('as_of', f.asOf);
  if (page > 1) p.set('page', String(page));
  return p.toString();
}

/** The owner as every surface shows it (app/owners.ts). */
export const ownerOf = (a: AccountRecord | undefined, o: Opportunity | undefined, team: readonly TeamMember[]): OwnerView | null =>
  resolveOwner(a?.traits, o, team);

/** The open opportunity that speaks for each account's owner, or none when the playbook store is not there yet. */
export async function openOpportunities(store: Store): Promise<Map<string, Opportunity>> {
  try {
    return ownerOpportunities(await store.listOpportunities({ status: 'open' }));
  } catch {
    return new Map(); // a store without the playbook tables: the list still works from the engine alone
  }
}

const ownerList = (m: Map<string, string>) => [...m].map(([id, label]) => ({ id, label })).sort((a, b) => a.label.localeCompare(b.label));

export async function listOpportunities(engine: Engine, store: Store, f: OppFilters, now: number, team: readonly TeamMember[]): Promise<OppList> {
  const accounts = new Map((await store.listAccounts()).map((a) => [a.id, a]));
  const opps = await openOpportunities(store);
  // the filter offers the owners the list can show: the team, then anyone the data names
  const owners = new Map<string, string>(team.map((m) => [m.id, ownerLabel({ id: m.id, name: m.name, role: m.role, known: true, source: 'csm' })]));
  const ownerCache = new Map<string, OwnerView | null>();
  const owner = (id: string): OwnerView | null => {
    if (!ownerCache.has(id)) ownerCache.set(id, ownerOf(accounts.get(id), opps.get(id), team));
    return ownerCache.get(id) ?? null;
  };
  const offer = (o: OwnerView | null) => { if (o && !owners.has(o.id)) owners.set(o.id, ownerLabel(o)); };
  for (const [id, a] of accounts) {
    offer(owner(id));
    // the account's CSM and AE even when another member owns its open opportunity
    offer(resolveOwner({ ...(a.traits.csm !== undefined ? { csm: a.traits.csm } : {}) } as AccountRecord['traits'], undefined, team));
    offer(resolveOwner({ ...(a.traits.ae !== undefined ? { ae: a.traits.ae } : {}) } as AccountRecord['traits'], undefined, team));
  }

  const needle = f.q?.toLowerCase();
  const found = (id: string): boolean => {
    if (needle === undefined || id.toLowerCase().includes(needle)) return true;
    const name = accounts.get(id)?.traits.name;
    return typeof name === 'string' && name.toLowerCase().includes(needle);
  };
  const candidates = engine.ranked().filter((r) => !r.placeholder && found(r.account)
    && (f.segment === undefined || r.segment === f.segment)
    && (f.stage === undefined || r.stage === f.stage)
    && (f.ready === undefined || r.ready === f.ready)
    && (f.owner === undefined || owner(r.account)?.id === f.owner));

  const from = (f.page - 1) * PAGE_SIZE;
  const rows: OppRow[] = [];
  const toRow = (account: string): OppRow | undefined => {
    const ev = engine.explain(account, now);
    if (!ev) return undefined;
    const rec = accounts.get(account);
    const opp = opps.get(account);
    const positives = ev.signals.filter((s) => s.kind === 'positive').sort((a, b) => b.strength - a.strength);
    const reasons = ev.qualification.ready || positives.length === 0
      ? positives.slice(0, 2).map((s) => s.evidence.sentence)
      : [...positives.slice(0, 1).map((s) => s.evidence.sentence), `Not ready: ${ev.qualification.reasons[0] ?? ''}`];
    return {
      account, name: typeof rec?.traits.name === 'string' ? rec.traits.name : account, plan: ev.plan,
      target: ev.offer?.target.name ?? null, score: ev.score.score, stage: ev.stage.stage, ready: ev.qualification.ready,
      segment: ev.offer?.routing.segment ?? '', reasons, arrDelta: ev.offer?.price.arr ?? null, route: ev.offer?.routing.route ?? null,
      owner: owner(account), openedAt: opp?.openedAt ?? null,
    };
  };

  if (f.route === undefined) {
    for (const r of candidates.slice(from, from + PAGE_SIZE)) {
      const row = toRow(r.account);
      if (row) rows.push(row);
    }
    return { total: candidates.length, rows, owners: ownerList(owners), scannedAll: true };
  }
  // The route depends on the offer: count matches over a bounded scan.
  let matched = 0;
  let scanned = 0;
  for (const r of candidates) {
    if (scanned++ >= MAX_SCAN) break;
    const row = toRow(r.account);
    if (!row || row.route !== f.route) continue;
    if (matched >= from && rows.length < PAGE_SIZE) rows.push(row);
    matched++;
  }
  return { total: matched, rows, owners: ownerList(owners), scannedAll: scanned <= MAX_SCAN };
}
