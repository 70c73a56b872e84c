// Aggregates over opportunities for the Pipeline, Metrics and Playbooks pages: counts and value per
// stage, how far each got (the funnel), conversion by the trigger that raised it, per-playbook reach.
import { wilson, type Interval } from '../app/proportions.ts';
import { OPP_STAGES, type OppStage, type Opportunity } from '../core/playbooks/opportunity.ts';
import type { Step } from '../core/playbooks/steps.ts';
import type { Playbook } from '../core/playbooks/types.ts';
import { SOURCE_NAMES, type ManualSource } from '../core/sales/types.ts';

const RANK = new Map<OppStage, number>(OPP_STAGES.map((s, i) => [s, i]));
const OPEN_STAGES = OPP_STAGES.filter((s) => s !== 'closed_won' && s !== 'closed_lost');

export interface StageColumn { stage: OppStage; count: number; arrCents: number; items: Opportunity[] }

export function board(opps: readonly Opportunity[]): StageColumn[] {
  return OPP_STAGES.map((stage) => {
    const items = opps.filter((o) => o.stage === stage).sort((a, b) => b.arrDeltaCents - a.arrDeltaCents);
    return { stage, count: items.length, arrCents: items.reduce((s, o) => s + o.arrDeltaCents, 0), items };
  });
}

/** The furthest open stage an opportunity reached, from its history (a won deal passed them all). */
function reached(o: Opportunity): number {
  if (o.stage === 'closed_won') return OPEN_STAGES.length;
  let r = RANK.get(o.stage) ?? 0;
  if (o.stage === 'closed_lost') r = 0;
  for (const h of o.history) if (h.stage && h.stage !== 'closed_lost' && h.stage !== 'closed_won') r = Math.max(r, RANK.get(h.stage) ?? 0);
  return r;
}

export interface FunnelStep { stage: OppStage; reached: number; share: number | null }

export function funnel(opps: readonly Opportunity[]): FunnelStep[] {
  const total = opps.length;
  const levels = opps.map(reached);
  return [...OPEN_STAGES, 'closed_won' as const].map((stage, i) => {
    const n = levels.filter((l) => l >= i).length;
    return { stage, reached: n, share: total === 0 ? null : n / total };
  });
}

export interface SourceRow {
  source: string; opportunities: number; closed: number; won: number; conversion: number | null; wonArrCents: number;
  /** 95 % Wilson interval of the conversion: a source with a handful of opportunities shows how little it says */
  ci: Interval | null;
}

/** Conversion by the trigger that raised each opportunity: the first playbook's signals, or its id. */
export function bySource(opps: readonly Opportunity[], playbooks: readonly Playbook[]): SourceRow[] {
  const label = (id: string | undefined): string => {
    // a person raised it: seed 002's "CSM observation" row (and QBR, inbound)
    if (id !== undefined && id in SOURCE_NAMES) return SOURCE_NAMES[id as ManualSource];
    const pb = playbooks.find((p) => p.id === id);
    if (!pb) return id ?? 'unknown';
    return pb.trigger.on === 'signals' && pb.trigger.signals.length > 0 ? pb.trigger.signals.join(' + ').replace(/_/g, ' ') : pb.trigger.on;
  };
  const rows = new Map<string, SourceRow>();
  for (const o of opps) {
    const source = label(o.triggers[0]);
    let r = rows.get(source);
    if (!r) rows.set(source, (r = { source, opportunities: 0, closed: 0, won: 0, conversion: null, wonArrCents: 0, ci: null }));
    r.opportunities++;
    if (o.status !== 'open') r.closed++;
    if (o.status === 'won') { r.won++; r.wonArrCents += o.arrDeltaCents; }
  }
  for (const r of rows.values()) {
    r.conversion = r.opportunities === 0 ? null : r.won / r.opportunities;
    r.ci = wilson(r.won, r.opportunities);
  }
  return [...rows.values()].sort((a, b) => b.opportunities - a.opportunities);
}

export interface PlaybookRow { id: string; name: string; reach: number; stepsSent: number; conversions: number; conversion: number | null; target: number }

export function playbookRows(playbooks: readonly Playbook[], opps: readonly Opportunity[], steps: readonly Step[]): PlaybookRow[] {
  return playbooks.map((pb) => {
    const mine = opps.filter((o) => o.plays.some((p) => p.playbook === pb.id));
    const accounts = new Set(mine.map((o) => o.account));
    const conversions = mine.filter((o) => o.status === 'won').length;
    return {
      id: pb.id, name: pb.name, reach: accounts.size, stepsSent: steps.filter((s) => s.playbook === pb.id && s.status === 'done').length,
      conversions, conversion: mine.length === 0 ? null : conversions / mine.length, target: pb.success.targetConversion,
    };
  });
}
