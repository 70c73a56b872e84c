// Sales qualification per opportunity (seed 000, seed 004): goals met, ROI articulated, budget,
// approver, timeline. Answers are recorded with who and when; the configured items gate Proposal.
import type { Opportunity } from '../playbooks/opportunity.ts';
import { emptySales, QUAL_ITEMS, QUAL_NAMES, qualPhrase, type QualAnswer, type QualItem, type SalesRecord } from './types.ts';

export const salesOf = (o: Opportunity): SalesRecord => o.sales ?? emptySales();

export function recordQualification(o: Opportunity, answers: Partial<Record<QualItem, { met: boolean; note?: string }>>, by: string, now: number): Opportunity {
  const s = salesOf(o);
  const qualification = { ...s.qualification };
  const changed: string[] = [];
  for (const k of QUAL_ITEMS) {
    const a = answers[k];
    if (!a) continue;
    const next: QualAnswer = { met: a.met, by, at: now, ...(a.note ? { note: a.note } : {}) };
    const prev = qualification[k];
    if (prev && prev.met === next.met && prev.note === next.note) continue;
    qualification[k] = next;
    changed.push(`${qualPhrase(k)}: ${a.met ? 'yes' : 'no'}${a.note ? ` (${a.note})` : ''}`);
  }
  if (changed.length === 0) return o;
  return {
    ...o, sales: { ...s, qualification }, updatedAt: Math.max(o.updatedAt, now),
    history: [...o.history, { at: now, event: 'qualification', detail: `${by}: ${changed.join('; ')}` }],
  };
}

/** The required items not met yet, in checklist order. */
export function missingQualification(o: Opportunity, required: readonly QualItem[]): QualItem[] {
  const q = salesOf(o).qualification;
  return QUAL_ITEMS.filter((k) => required.includes(k) && q[k]?.met !== true);
}

export interface ChecklistRow { item: QualItem; name: string; met: boolean | null; note: string | null; required: boolean }

export function checklist(o: Opportunity, required: readonly QualItem[]): ChecklistRow[] {
  const q = salesOf(o).qualification;
  return QUAL_ITEMS.map((k) => ({ item: k, name: QUAL_NAMES[k], met: q[k]?.met ?? null, note: q[k]?.note ?? null, required: required.includes(k) }));
}
