// The `metrics:` section of tierwise.yaml: the knobs of the upsell measurement (docs/adr/0006-upsell-measurement.md).
// Every field has seed 002's default, so the section is optional and so is each field in it.
import { z } from 'zod';
import { DEFAULT_UPSELL_SETTINGS as D, type UpsellSettings } from '../core/metrics/upsell-types.ts';

const share = z.number().min(0).max(1);
const p = D.forecast.stagePriors;

export const metricsConfigSchema = z.object({
  credit_split: z.object({
    csm: share.default(D.creditSplit.csm),
    ae: share.default(D.creditSplit.ae),
  }).strict().refine((s) => s.csm + s.ae > 0, 'csm + ae must be above 0')
    .optional().describe('shared credit on a won upsell both a CSM and an AE worked (seed 002: CSM 30-40 %, AE 60-70 %); one side alone takes it all'),
  discount: z.object({
    threshold_pct: z.number().min(0).max(100).default(D.discount.thresholdPct),
    multi_year_months: z.number().int().positive().default(D.discount.multiYearMonths),
  }).strict().optional().describe('discount discipline: a discount above threshold_pct is in policy only on a term of multi_year_months or more'),
  activation_days: z.array(z.number().int().positive()).min(1).optional().describe('post-upgrade activation horizons in days (default 14 and 30)'),
  stale_days: z.number().int().positive().optional().describe('an open opportunity with no history entry this long is stale (default 14)'),
  forecast: z.object({
    period_days: z.number().int().positive().default(D.forecast.periodDays),
    prior_weight: z.number().nonnegative().default(D.forecast.priorWeight).describe('how many exposures (opportunity-periods) the stage priors are worth'),
    stage_priors: z.object({
      trigger_identified: share.default(p.trigger_identified), qualified: share.default(p.qualified), outreach_sent: share.default(p.outreach_sent),
      engaged: share.default(p.engaged), proposal: share.default(p.proposal),
    }).strict().optional().describe('P(won within one period) per open stage when there is no history'),
  }).strict().optional(),
}).strict();

export type MetricsConfigInput = z.input<typeof metricsConfigSchema>;

export function toUpsellSettings(cfg: MetricsConfigInput | undefined): UpsellSettings {
  const m = metricsConfigSchema.parse(cfg ?? {});
  return {
    creditSplit: m.credit_split ?? D.creditSplit,
    discount: m.discount ? { thresholdPct: m.discount.threshold_pct, multiYearMonths: m.discount.multi_year_months } : D.discount,
    activationDays: m.activation_days ?? D.activationDays,
    staleDays: m.stale_days ?? D.staleDays,
    forecast: m.forecast
      ? { periodDays: m.forecast.period_days, priorWeight: m.forecast.prior_weight, stagePriors: m.forecast.stage_priors ?? D.forecast.stagePriors }
      : D.forecast,
  };
}
