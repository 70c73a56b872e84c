// A longer commitment, priced: the account's annual list price (plan and extras at annual rates)
// less the discount the term allows. Seed 002: a discount above 10 % needs >= 24 months; the catalog's
// terms carry the allowed discount and a request beyond it is refused with the reason.
import type { Term } from '../catalog/types.ts';

export interface TermQuote {
  term: string;
  name: string;
  months: number;
  discountPct: number;
  /** per year after the discount */
  annual: number;
  /** the whole commitment */
  committed: number;
}

export type TermRequest = { ok: true; quote: TermQuote } | { ok: false; reason: string };

export const MAX_SHORT_TERM_DISCOUNT_PCT = 10;
export const MULTI_YEAR_MONTHS = 24;

/** Prices `months` at `discountPct` off `annualList`, or refuses it: no such term, or more off than it allows. */
export function quoteTerm(terms: readonly Term[], annualList: number, months: number, discountPct: number): TermRequest {
  const term = terms.find((t) => t.months === months);
  if (!term) return { ok: false, reason: `no ${months}-month term in the catalog (terms: ${terms.map((t) => t.months).join(', ') || 'none'})` };
  if (discountPct > MAX_SHORT_TERM_DISCOUNT_PCT && months < MULTI_YEAR_MONTHS) {
    return { ok: false, reason: `${discountPct}% off needs a multi-year term (>= ${MULTI_YEAR_MONTHS} months); ${term.name} allows ${Math.min(term.maxDiscountPct, MAX_SHORT_TERM_DISCOUNT_PCT)}%` };
  }
  if (discountPct > term.maxDiscountPct) return { ok: false, reason: `${term.name} allows at most ${term.maxDiscountPct}% off, not ${discountPct}%` };
  const annual = Math.round(annualList * (1 - discountPct / 100));
  return { ok: true, quote: { term: term.id, name: term.name, months, discountPct, annual, committed: Math.round((annual * months) / 12) } };
}
