// tierwise.yaml, as validated at the edge. The file is snake_case; toCatalog() turns it into core types.
import { z } from 'zod';
import { offersConfigSchema, scoringConfigSchema, signalsConfigSchema } from './engine-schema.ts';
import { crmConfigSchema } from './crm-schema.ts';
import { channelsConfigSchema, etiquetteConfigSchema, playbookPlanIssues, playbooksConfigSchema, teamConfigSchema } from './playbooks-schema.ts';
import { httpConfigSchema, segmentConfigSchema, stripeConfigSchema } from './http-schema.ts';
import { metricsConfigSchema } from './metrics-schema.ts';
import { milestoneIssues, milestonesConfigSchema } from './milestones-schema.ts';
import { salesConfigSchema, salesIssues } from './sales-schema.ts';
import { experimentsConfigSchema } from './experiments-schema.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'a lower-case identifier (a-z, 0-9, _ . -)');
const cents = z.number().int('whole cents').nonnegative('cents >= 0');

export const meterSchema = z.object({
  name: z.string().optional(),
  unit: z.string().optional(),
  reset: z.enum(['month', 'day', 'none']).describe('month/day: a counter whose limit resets each period; none: a gauge (stock) such as seats or storage'),
}).strict();

export const valueDriverSchema = z.object({
  hours_per_week: z.number().nonnegative(),
  people: z.number().nonnegative(),
  hourly_cost_cents: cents,
}).strict().describe('what the feature saves a customer, for ROI: hours per week x people x hourly cost');

export const featureSchema = z.object({
  name: z.string(),
  value: valueDriverSchema.optional(),
}).strict();

export const supportSchema = z.object({
  channels: z.array(z.enum(['email', 'chat', 'phone', 'slack', 'community'])).min(1),
  response_hours: z.number().positive(),
  csm: z.enum(['none', 'assigned', 'dedicated']),
}).strict();

const unitTierSchema = z.object({
  up_to: z.union([z.number().int().positive(), z.literal('inf')]).describe('last block of this tier, or "inf" for the open last tier'),
  unit_amount: cents.describe('cents per block per month in this tier'),
  flat_amount: cents.default(0).describe('a flat fee per month for reaching this tier (Stripe flat_amount)'),
}).strict();

/** Stripe's Price model: per_unit (with transform_quantity packages) or graduated/volume tiers. */
export const unitPriceSchema = z.object({
  scheme: z.enum(['per_unit', 'graduated', 'volume']).default('per_unit').describe("Stripe's billing_scheme/tiers_mode: per_unit, or tiered graduated/volume"),
  unit_amount: cents.optional().describe('per_unit: cents per block per month'),
  block: z.number().int().positive().default(1).describe('units per block (Stripe transform_quantity.divide_by, rounded up): 1 per seat, 10 per 10 GB'),
  tiers: z.array(unitTierSchema).min(1).optional().describe('graduated/volume: tiers counted in blocks, the last one up_to "inf"'),
  included: z.number().nonnegative().optional().describe("units included in the plan's price (default: the plan's limit)"),
  max: z.number().int().positive().optional().describe('the most extra units sold on this plan (default: until the next tier is the better deal)'),
  stripe_prices: z.array(z.string().min(1)).default([]).describe('Stripe price ids that stand for this unit price'),
}).strict().superRefine((u, ctx) => {
  if (u.scheme === 'per_unit' && u.unit_amount === undefined) ctx.addIssue({ code: 'custom', path: ['unit_amount'], message: 'a per_unit price needs unit_amount (cents per block per month)' });
  if (u.scheme !== 'per_unit') {
    if (!u.tiers) ctx.addIssue({ code: 'custom', path: ['tiers'], message: `a ${u.scheme} price needs tiers` });
    else {
      u.tiers.forEach((t, i) => {
        const last = i === u.tiers!.length - 1;
        if (last !== (t.up_to === 'inf')) ctx.addIssue({ code: 'custom', path: ['tiers', i, 'up_to'], message: last ? 'the last tier is open: up_to "inf"' : 'only the last tier may be up_to "inf"' });
        const prev = u.tiers![i - 1]?.up_to;
        if (typeof prev === 'number' && typeof t.up_to === 'number' && t.up_to <= prev) ctx.addIssue({ code: 'custom', path: ['tiers', i, 'up_to'], message: `tiers must rise: ${t.up_to} after ${prev}` });
      });
    }
  }
});

export const planSchema = z.object({
  id,
  name: z.string(),
  rank: z.number().int().positive(),
  price: z.object({
    monthly: cents.describe('price per month in cents when billed monthly'),
    annual: cents.optional().describe('price per year in cents when billed annually'),
  }).strict(),
  limits: z.record(id, z.union([z.number().nonnegative(), z.literal('unlimited'), z.null()], { error: 'expected a number >= 0 or "unlimited"' }))
    .describe('per meter: a number, or "unlimited"'),
  features: z.array(id),
  support: supportSchema,
  units: z.record(id, unitPriceSchema).optional().describe('extra units sold on this plan, per meter'),
}).strict();

export const addonSchema = z.object({
  id,
  name: z.string(),
  kind: z.enum(['module', 'support']).default('module'),
  price: z.object({
    monthly: cents.describe('cents per month when billed monthly'),
    annual: cents.optional().describe('cents per year when billed annually'),
  }).strict(),
  features: z.array(id).default([]).describe('features it grants'),
  limits: z.record(id, z.number().positive()).default({}).describe('extra units per meter it grants'),
  support: supportSchema.optional().describe('the support level it brings (kind: support)'),
  available_on: z.array(id).min(1, 'at least one plan it can be bought on'),
  included_in: z.array(id).default([]).describe('plans that include it'),
  stripe_prices: z.array(z.string().min(1)).default([]),
}).strict().superRefine((a, ctx) => {
  if (a.kind === 'support' && !a.support) ctx.addIssue({ code: 'custom', path: ['support'], message: 'a support add-on needs support: { channels, response_hours, csm }' });
  if (a.kind === 'module' && a.features.length === 0 && Object.keys(a.limits).length === 0) ctx.addIssue({ code: 'custom', path: ['features'], message: 'a module grants features or limits' });
});

export const termSchema = z.object({
  id,
  name: z.string().optional(),
  months: z.number().int().positive(),
  max_discount_pct: z.number().min(0).max(100).default(0).describe('the largest discount this term allows'),
}).strict();

export const catalogCheckSchema = z.object({
  min_tiers: z.number().int().positive().default(3),
  max_tiers: z.number().int().positive().default(4),
  max_price_jump: z.number().positive().default(3),
}).strict();

export const configSchema = z.object({
  version: z.literal(1),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'expected a 3-letter ISO 4217 currency code, such as usd or eur').default('usd'),
  store: z.object({
    /** the SQLite file (the embedded default) */
    path: z.string().optional(),
    /** a PostgreSQL URL (postgres://user@host:5432/db): several nodes share it (docs/deploy.md) */
    url: z.string().regex(/^postgres(ql)?:\/\//i, 'must be a postgres:// or postgresql:// URL').optional(),
  }).strict().optional(),
  meters: z.record(id, meterSchema),
  features: z.record(id, featureSchema).default({}),
  plans: z.array(planSchema).min(1, 'at least one plan'),
  addons: z.array(addonSchema).default([]),
  terms: z.array(termSchema).default([]),
  catalog_check: catalogCheckSchema.optional(),
  signals: signalsConfigSchema.optional(),
  scoring: scoringConfigSchema.optional(),
  offers: offersConfigSchema.optional(),
  http: httpConfigSchema.optional(),
  segment: segmentConfigSchema.optional(),
  stripe: stripeConfigSchema.optional(),
  playbooks: playbooksConfigSchema.optional(),
  etiquette: etiquetteConfigSchema.optional(),
  team: teamConfigSchema.optional(),
  channels: channelsConfigSchema.optional(),
  crm: crmConfigSchema.optional(),
  metrics: metricsConfigSchema.optional(),
  sales: salesConfigSchema.optional(),
  experiments: experimentsConfigSchema.optional(),
  milestones: milestonesConfigSchema.optional(),
}).strict().superRefine((cfg, ctx) => {
  const seenIds = new Map<string, number>();
  const seenRanks = new Map<number, number>();
  cfg.plans.forEach((plan, i) => {
    const prevId = seenIds.get(plan.id);
    if (prevId !== undefined) ctx.addIssue({ code: 'custom', path: ['plans', i, 'id'], message: `duplicate plan id "${plan.id}" (also plans[${prevId}])` });
    seenIds.set(plan.id, i);
    const prevRank = seenRanks.get(plan.rank);
    if (prevRank !== undefined) ctx.addIssue({ code: 'custom', path: ['plans', i, 'rank'], message: `duplicate rank ${plan.rank} (also plans[${prevRank}])` });
    seenRanks.set(plan.rank, i);
    for (const meter of Object.keys(plan.limits)) {
      if (!(meter in cfg.meters)) ctx.addIssue({ code: 'custom', path: ['plans', i, 'limits', meter], message: `unknown meter "${meter}"; declare it under meters: (known: ${Object.keys(cfg.meters).join(', ')})` });
    }
    plan.features.forEach((f, j) => {
      if (!(f in cfg.features)) ctx.addIssue({ code: 'custom', path: ['plans', i, 'features', j], message: `unknown feature "${f}"; declare it under features:` });
    });
    for (const meter of Object.keys(plan.units ?? {})) {
      if (!(meter in cfg.meters)) ctx.addIssue({ code: 'custom', path: ['plans', i, 'units', meter], message: `unknown meter "${meter}"; declare it under meters:` });
      else if (plan.limits[meter] === 'unlimited' || plan.limits[meter] === null) ctx.addIssue({ code: 'custom', path: ['plans', i, 'units', meter], message: `${plan.name} has unlimited ${meter}: there is nothing extra to sell` });
    }
  });
  const planIds = new Set(cfg.plans.map((p) => p.id));
  const addonIds = new Map<string, number>();
  cfg.addons.forEach((a, i) => {
    const prev = addonIds.get(a.id);
    if (prev !== undefined) ctx.addIssue({ code: 'custom', path: ['addons', i, 'id'], message: `duplicate add-on id "${a.id}" (also addons[${prev}])` });
    if (planIds.has(a.id)) ctx.addIssue({ code: 'custom', path: ['addons', i, 'id'], message: `add-on id "${a.id}" is also a plan id` });
    addonIds.set(a.id, i);
    a.features.forEach((f, j) => {
      if (!(f in cfg.features)) ctx.addIssue({ code: 'custom', path: ['addons', i, 'features', j], message: `unknown feature "${f}"; declare it under features:` });
    });
    for (const m of Object.keys(a.limits)) if (!(m in cfg.meters)) ctx.addIssue({ code: 'custom', path: ['addons', i, 'limits', m], message: `unknown meter "${m}"; declare it under meters:` });
    for (const key of ['available_on', 'included_in'] as const) {
      a[key].forEach((p, j) => {
        if (!planIds.has(p)) ctx.addIssue({ code: 'custom', path: ['addons', i, key, j], message: `unknown plan "${p}" (plans: ${[...planIds].join(', ')})` });
      });
    }
  });
  const months = new Map<number, number>();
  cfg.terms.forEach((t, i) => {
    const prev = months.get(t.months);
    if (prev !== undefined) ctx.addIssue({ code: 'custom', path: ['terms', i, 'months'], message: `two terms of ${t.months} months (also terms[${prev}])` });
    months.set(t.months, i);
  });
  for (const issue of playbookPlanIssues(cfg.playbooks, cfg.plans.map((p) => p.id))) ctx.addIssue({ code: 'custom', ...issue });
  const members = [...(cfg.team?.csms ?? []), ...(cfg.team?.aes ?? []), ...(cfg.team?.approvers ?? [])].map((m) => m.id);
  for (const issue of milestoneIssues(cfg.milestones, Object.keys(cfg.features))) ctx.addIssue({ code: 'custom', ...issue });
  for (const issue of salesIssues(cfg.sales, (cfg.playbooks ?? []).map((p) => p.id), members)) ctx.addIssue({ code: 'custom', ...issue });
});

export type TierwiseConfigInput = z.input<typeof configSchema>;
export type TierwiseConfig = z.output<typeof configSchema>;
