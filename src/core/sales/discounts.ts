// Discount discipline (seed 002: discounts above 10 % only for multi-year terms). A quote within the
// approval threshold goes out as it is; above it a named approver from `team:` decides, and only a
// quote the term rules allow can be approved. Every quote and decision stays on the opportunity.
import type { Opportunity } from '../playbooks/opportunity.ts';
import { salesOf } from './qualification.ts';
import type { Quote, SalesSettings, TermRule } from './types.ts';

/** The most the term rules allow for a term: the rule of the longest term not longer than it. */
export function allowedDiscount(terms: readonly TermRule[], termMonths: number): number {
  let best: TermRule | undefined;
  for (const t of terms) if (t.termMonths <= termMonths && (!best || t.termMonths > best.termMonths)) best = t;
  return best?.maxDiscountPct ?? 0;
}

/** The shortest term that allows this discount, or null when none does. */
export function termFor(terms: readonly TermRule[], discountPct: number): number | null {
  const ok = terms.filter((t) => t.maxDiscountPct >= discountPct).sort((a, b) => a.termMonths - b.termMonths);
  return ok[0]?.termMonths ?? null;
}

export function addQuote(o: Opportunity, q: { discountPct: number; termMonths: number; by: string }, d: SalesSettings['discounts'], now: number): Opportunity {
  const s = salesOf(o);
  const allowedPct = allowedDiscount(d.terms, q.termMonths);
  const status = q.discountPct <= d.approvalAbovePct ? 'within_policy' : 'pending';
  // an earlier quote still waiting is replaced by this one
  const quotes = s.quotes.map((x) => (x.status === 'pending' ? { ...x, status: 'refused' as const, decidedBy: q.by, decidedAt: now, reason: 'replaced by a new quote' } : x));
  const quote: Quote = { id: `${o.id}:q${s.quotes.length + 1}`, discountPct: q.discountPct, termMonths: q.termMonths, at: now, by: q.by, allowedPct, status };
  const needs = status === 'pending' ? `; above ${d.approvalAbovePct} %: needs an approver${q.discountPct > allowedPct ? ` (the term rules allow ${allowedPct} % on ${q.termMonths} months)` : ''}` : '';
  return {
    ...o, sales: { ...s, quotes: [...quotes, quote] }, updatedAt: Math.max(o.updatedAt, now),
    history: [...o.history, { at: now, event: 'quote', detail: `${q.by} quoted ${q.discountPct} % off on a ${q.termMonths}-month term${needs}` }],
  };
}

export type QuoteDecision = { ok: true; opportunity: Opportunity } | { ok: false; reason: string };

export function decideQuote(o: Opportunity, approve: boolean, approver: string, d: SalesSettings['discounts'], reason: string | undefined, now: number): QuoteDecision {
  const who = d.approvers.find((a) => a.id === approver || a.name === approver);
  if (!who) return { ok: false, reason: `"${approver}" is not a discount approver (sales.discounts.approvers: ${d.approvers.map((a) => a.id).join(', ') || 'none configured'})` };
  const s = salesOf(o);
  const q = s.quotes.find((x) => x.status === 'pending');
  if (!q) return { ok: false, reason: 'no quote is waiting for approval' };
  if (approve && q.discountPct > q.allowedPct) {
    const term = termFor(d.terms, q.discountPct);
    return { ok: false, reason: `${q.discountPct} % on ${q.termMonths} months is outside the term rules (at most ${q.allowedPct} %${term !== null ? `; ${q.discountPct} % needs a ${term}-month term` : ''}): refuse it, or quote a compliant term` };
  }
  if (!approve && !reason?.trim()) return { ok: false, reason: 'a refusal needs a reason' };
  const decided: Quote = { ...q, status: approve ? 'approved' : 'refused', decidedBy: who.id, decidedAt: now, ...(reason?.trim() ? { reason: reason.trim() } : {}) };
  return {
    ok: true,
    opportunity: {
      ...o, sales: { ...s, quotes: s.quotes.map((x) => (x === q ? decided : x)) }, updatedAt: Math.max(o.updatedAt, now),
      history: [...o.history, { at: now, event: 'quote', detail: `${who.name} ${approve ? 'approved' : 'refused'} ${q.discountPct} % off on ${q.termMonths} months${decided.reason ? `: ${decided.reason}` : ''}` }],
    },
  };
}

/** The quote that goes out: the latest one within policy or approved. */
export function activeQuote(o: Opportunity): Quote | undefined {
  return [...salesOf(o).quotes].reverse().find((q) => q.status === 'within_policy' || q.status === 'approved');
}

export const pendingQuote = (o: Opportunity): Quote | undefined => salesOf(o).quotes.find((q) => q.status === 'pending');

/** ARR after the discount of the quote that went out. */
export function netArr(o: Opportunity): number {
  const q = activeQuote(o);
  return q ? Math.round(o.arrDeltaCents * (1 - q.discountPct / 100)) : o.arrDeltaCents;
}

export interface ApprovalRow {
  opportunity: string; account: string; discountPct: number; termMonths: number; allowedPct: number;
  status: Quote['status']; by: string; decidedBy: string | null; reason: string | null; at: number; decidedAt: number | null;
}

/** Every quote that needed an approver, with the decision. */
export function approvalLog(opps: readonly Opportunity[]): { rows: ApprovalRow[]; approved: number; refused: number; pending: number; withinPolicy: number } {
  const rows: ApprovalRow[] = [];
  let withinPolicy = 0;
  for (const o of opps) {
    for (const q of salesOf(o).quotes) {
      if (q.status === 'within_policy') { withinPolicy++; continue; }
      if (q.reason === 'replaced by a new quote') continue;
      rows.push({
        opportunity: o.id, account: o.account, discountPct: q.discountPct, termMonths: q.termMonths, allowedPct: q.allowedPct, status: q.status,
        by: q.by, decidedBy: q.decidedBy ?? null, reason: q.reason ?? null, at: q.at, decidedAt: q.decidedAt ?? null,
      });
    }
  }
  rows.sort((a, b) => a.at - b.at || a.opportunity.localeCompare(b.opportunity));
  const n = (s: Quote['status']) => rows.filter((r) => r.status === s).length;
  return { rows, approved: n('approved'), refused: n('refused'), pending: n('pending'), withinPolicy };
}
