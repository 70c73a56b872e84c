// Tier-architecture checks (DESIGN.md section 4, seed 002 "Tier Architecture Design", seed 004).
import { dollars } from '../format.ts';
import { SUPPORT_RANK, type Catalog, type Plan } from './types.ts';
import { formatLimit, limitValue } from './catalog.ts';
import { checkExtras } from './check-extras.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  rule: 'tier-count' | 'price-order' | 'price-jump' | 'takes-away-limit' | 'takes-away-feature'
    | 'weaker-support' | 'unit-price-rises' | 'no-magnet-feature' | 'annual-price'
    | 'addon-above-tier' | 'addon-already-included' | 'units-undercut-tier' | 'units-never-worth' | 'units-max-past-break-even' | 'term-discount';
  severity: Severity;
  plans: string[];
  meter?: string;
  feature?: string;
  addon?: string;
  term?: string;
  figures: Record<string, number | string | null>;
  message: string;
}

export interface CheckOptions {
  minTiers: number;
  maxTiers: number;
  /** largest acceptable ratio between adjacent monthly prices */
  maxPriceJump: number;
  /** seed 002: a discount above this needs a multi-year term */
  maxShortTermDiscountPct: number;
  multiYearMonths: number;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = { minTiers: 3, maxTiers: 4, maxPriceJump: 3, maxShortTermDiscountPct: 10, multiYearMonths: 24 };

const money = dollars;

/** A price per unit in dollars, with the digits a fraction of a cent needs: $7.49, $0.0075. */
export function unitPrice(cents: number): string {
  const d = cents / 100;
  if (d >= 0.01 || d === 0) return `$${d.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `$${Number(d.toPrecision(2))}`;
}

/** Every check `checkCatalog` runs, in words (what `catalog check` lists). */
export const CATALOG_CHECKS: readonly { rule: Finding['rule']; what: string }[] = [
  { rule: 'tier-count', what: 'the number of tiers is within the configured range (3-4 by default)' },
  { rule: 'annual-price', what: 'an annual price is no more than 12 monthly payments' },
  { rule: 'price-order', what: 'a higher tier is priced above the one below' },
  { rule: 'price-jump', what: 'adjacent tiers are within the maximum price jump (3x by default)' },
  { rule: 'takes-away-limit', what: 'a higher tier never lowers a limit' },
  { rule: 'unit-price-rises', what: 'the price per unit of each limit does not rise up the ladder' },
  { rule: 'takes-away-feature', what: 'a higher tier never takes a feature away' },
  { rule: 'no-magnet-feature', what: 'every tier above the entry one adds at least one feature (a magnet)' },
  { rule: 'weaker-support', what: 'a higher tier never weakens support (response time, channels, CSM)' },
];
const round2 = (x: number) => Math.round(x * 100) / 100;

export function checkCatalog(catalog: Catalog, opts: CheckOptions = DEFAULT_CHECK_OPTIONS): Finding[] {
  const findings: Finding[] = [];
  const plans = catalog.plans;
  if (plans.length < opts.minTiers || plans.length > opts.maxTiers) {
    findings.push({
      rule: 'tier-count', severity: 'warning', plans: plans.map((p) => p.id),
      figures: { tiers: plans.length, min: opts.minTiers, max: opts.maxTiers },
      message: `${plans.length} tiers; ${opts.minTiers}-${opts.maxTiers} (good-better-best, optional premium) give customers a ladder to climb`,
    });
  }
  for (const plan of plans) findings.push(...checkAnnual(plan));
  for (let i = 1; i < plans.length; i++) {
    const lower = plans[i - 1] as Plan;
    const higher = plans[i] as Plan;
    findings.push(...checkPair(catalog, lower, higher, opts));
  }
  findings.push(...checkExtras(catalog, opts));
  return findings;
}

/** "calls" -> "call", "GB" stays: the unit after "per". */
const unitName = (u: string): string => (/[a-z]s$/.test(u) ? u.slice(0, -1) : u);

function checkAnnual(plan: Plan): Finding[] {
  const annual = plan.price.annual;
  if (annual === undefined || plan.price.monthly === 0) return [];
  const yearOfMonthly = plan.price.monthly * 12;
  if (annual <= yearOfMonthly) return [];
  return [{
    rule: 'annual-price', severity: 'warning', plans: [plan.id],
    figures: { annual, twelve_monthly: yearOfMonthly },
    message: `${plan.name}: annual price ${money(annual)} is more than 12 monthly payments (${money(yearOfMonthly)})`,
  }];
}

function checkPair(catalog: Catalog, lower: Plan, higher: Plan, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const pair = [lower.id, higher.id];
  const lp = lower.price.monthly;
  const hp = higher.price.monthly;
  if (hp <= lp) {
    out.push({
      rule: 'price-order', severity: 'error', plans: pair,
      figures: { lower_monthly: lp, higher_monthly: hp },
      message: `${higher.name} (${money(hp)}/mo) is not priced above ${lower.name} (${money(lp)}/mo) though it ranks higher`,
    });
  } else if (lp > 0 && hp / lp > opts.maxPriceJump) {
    out.push({
      rule: 'price-jump', severity: 'error', plans: pair,
      figures: { lower_monthly: lp, higher_monthly: hp, ratio: round2(hp / lp), max_ratio: opts.maxPriceJump },
      message: `${lower.name} -> ${higher.name} jumps ${round2(hp / lp)}x (${money(lp)} -> ${money(hp)}/mo); keep adjacent tiers within ${opts.maxPriceJump}x or add a tier between`,
    });
  }

  for (const meter of catalog.meters) {
    const lv = limitValue(lower, meter.id);
    const hv = limitValue(higher, meter.id);
    if (hv < lv) {
      out.push({
        rule: 'takes-away-limit', severity: 'error', plans: pair, meter: meter.id,
        figures: { lower_limit: lower.limits[meter.id] ?? null, higher_limit: meter.id in higher.limits ? (higher.limits[meter.id] ?? null) : 0 },
        message: `${higher.name} allows ${meter.id in higher.limits ? formatLimit(higher.limits[meter.id]) : 'no'} ${meter.id}, less than ${lower.name}'s ${formatLimit(lower.limits[meter.id])}`,
      });
      continue;
    }
    if (Number.isFinite(lv) && Number.isFinite(hv) && lv > 0 && hv > 0 && lp > 0) {
      const lowerUnit = lp / lv;
      const higherUnit = hp / hv;
      if (higherUnit > lowerUnit * 1.0001) {
        out.push({
          rule: 'unit-price-rises', severity: 'warning', plans: pair, meter: meter.id,
          figures: {
            lower_cents_per_unit: round2(lowerUnit), higher_cents_per_unit: round2(higherUnit),
            lower_limit: lv, higher_limit: hv,
          },
          message: `${meter.name} costs more per ${unitName(meter.unit)} on ${higher.name} (${unitPrice(higherUnit)}) than on ${lower.name} (${unitPrice(lowerUnit)}); growing customers should get a better rate`,
        });
      }
    }
  }

  const higherFeatures = new Set(higher.features);
  for (const f of lower.features) {
    if (!higherFeatures.has(f)) {
      out.push({
        rule: 'takes-away-feature', severity: 'error', plans: pair, feature: f, figures: {},
        message: `${higher.name} lacks ${f}, which ${lower.name} includes`,
      });
    }
  }
  const lowerFeatures = new Set(lower.features);
  const magnets = higher.features.filter((f) => !lowerFeatures.has(f));
  if (magnets.length === 0) {
    out.push({
      rule: 'no-magnet-feature', severity: 'warning', plans: pair, figures: { new_features: 0 },
      message: `${higher.name} adds no feature over ${lower.name}; give power users a magnet feature to grow into`,
    });
  }

  const ls = lower.support;
  const hs = higher.support;
  const lostChannels = ls.channels.filter((c) => !hs.channels.includes(c));
  if (hs.responseHours > ls.responseHours || SUPPORT_RANK[hs.csm] < SUPPORT_RANK[ls.csm] || lostChannels.length > 0) {
    out.push({
      rule: 'weaker-support', severity: 'error', plans: pair,
      figures: { lower_response_hours: ls.responseHours, higher_response_hours: hs.responseHours, lower_csm: ls.csm, higher_csm: hs.csm, lost_channels: lostChannels.join(',') || null },
      message: `${higher.name}'s support is weaker than ${lower.name}'s`,
    });
  }
  return out;
}

export function hasErrors(findings: Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
