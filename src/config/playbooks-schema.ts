// The `playbooks:`, `etiquette:`, `team:` and `channels:` sections of tierwise.yaml (docs/playbooks.md).
// A playbook that names an unknown signal, channel, condition or template variable fails here with
// its path; plan references (`audience.plans`) are checked against `plans:` by playbookPlanIssues(),
// which the whole-file schema (schema.ts) calls, since only it sees both sections.
import { z } from 'zod';
import { OFFER_TYPES, type OfferType } from '../core/offers/options.ts';
import { DEFAULT_SETTINGS, type SignalId } from '../core/scoring/settings.ts';
import { STAGES } from '../core/scoring/stage.ts';
import { placeholders, TEMPLATE_VARS } from '../core/playbooks/template.ts';
import { CHANNELS, DEFAULT_ETIQUETTE, STEP_CONDITIONS, type Playbook, type PlaybookSettings, type Template } from '../core/playbooks/types.ts';
import { DEFAULT_BACKOFF, type BackoffSettings } from '../core/playbooks/backoff.ts';
import { teamApproverSchema } from './sales-schema.ts';
import { toHoldoutSetting, type ExperimentsConfig } from './experiments-schema.ts';

const SIGNAL_IDS = Object.keys(DEFAULT_SETTINGS.scoring.weights) as [SignalId, ...SignalId[]];
const signalId = z.enum(SIGNAL_IDS);
const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'a lower-case identifier (a-z, 0-9, _ . -)');
const days = z.number().int().nonnegative();
const known = new Set<string>(TEMPLATE_VARS);

const templateText = z.string().superRefine((text, ctx) => {
  for (const name of placeholders(text)) {
    if (!known.has(name)) ctx.addIssue({ code: 'custom', message: `unknown template variable "{{${name}}}" (known: ${TEMPLATE_VARS.join(', ')})` });
  }
});

const stepSchema = z.object({
  day: z.number().int().min(0).describe('day 1 is the day the play starts'),
  channel: z.enum(CHANNELS),
  when: z.enum(STEP_CONDITIONS).default('always').describe('no_action: only if the customer has not reacted; high_value: only above team.high_value_arr_cents; features_unused: only if the upgrade\'s features are unused; not_converted: only before an upgrade'),
  owner: z.enum(['csm', 'ae']).optional().describe('task steps: who gets the task'),
  title: templateText.optional(),
  subject: templateText.optional(),
  body: templateText,
  cta: templateText.optional(),
}).strict();

export const playbookSchema = z.object({
  id,
  name: z.string(),
  trigger: z.object({
    on: z.enum(['signals', 'upgrade', 'trial']).default('signals').describe('signals: on an evaluation; upgrade: after a won opportunity; trial: when a trial starts'),
    signals: z.array(signalId).default([]).describe('any of these signals fires it'),
    min_utilization: z.number().min(0).max(2).optional().describe('usage_ceiling: the share of the limit it must reach'),
    notice_levels: z.array(z.number().gt(0).max(2)).max(5).optional()
      .describe('limit notices: tell the account when a meter passes each of these shares of its limit (seed 000: [0.7, 0.8, 0.9]), once per level, meter and period, through the segment\'s channels'),
    min_score: z.number().min(0).max(100).optional(),
    stages: z.array(z.enum(STAGES)).optional(),
    offer_types: z.array(z.enum(OFFER_TYPES as [OfferType, ...OfferType[]])).min(1).optional().describe('only when the recommended offer is one of these types: tier, seats, volume, addon, support, term, bundle'),
  }).strict(),
  qualification: z.object({
    ready: z.boolean().default(true).describe("the engine's qualification must say ready"),
    disqualifiers: z.array(signalId).default([]).describe('extra signals that pause the play'),
  }).strict().default({ ready: true, disqualifiers: [] }),
  audience: z.object({
    segments: z.array(z.enum(['enterprise', 'mid_market', 'smb', 'self_serve'])).optional(),
    routes: z.array(z.enum(['product_led', 'csm', 'ae'])).optional(),
    plans: z.array(id).min(1, 'at least one plan id').optional().describe('plan ids from `plans:`: only accounts currently on one of these plans (on: upgrade, the plan moved up to)'),
  }).strict().default({}),
  steps: z.array(stepSchema).min(1, 'at least one step'),
  success: z.object({
    target_conversion: z.number().min(0).max(1),
    average_value_cents: z.number().int().nonnegative().optional(),
    cycle_days: days.optional(),
  }).strict(),
  cooldown_days: days.default(30),
  max_attempts: z.number().int().positive().default(3),
  trial_days: days.default(0),
  renewal: z.object({
    term_months: z.number().int().positive(),
    discount_pct: z.number().min(0).max(100).default(0),
  }).strict().optional().describe('renewal bundles: a multi-year term; discounts above 10 % only with a term of 24 months or more (DESIGN §4)'),
}).strict().superRefine((pb, ctx) => {
  if (pb.trigger.on === 'signals' && pb.trigger.signals.length === 0 && pb.trigger.min_score === undefined && !pb.trigger.stages) {
    ctx.addIssue({ code: 'custom', path: ['trigger'], message: 'a signals trigger needs signals, min_score or stages' });
  }
  if (pb.renewal && pb.renewal.discount_pct > 10 && pb.renewal.term_months < 24) {
    ctx.addIssue({ code: 'custom', path: ['renewal', 'discount_pct'], message: `a ${pb.renewal.discount_pct}% discount needs a multi-year term (term_months >= 24, got ${pb.renewal.term_months})` });
  }
  pb.steps.forEach((s, i) => {
    if (s.channel === 'task' && !s.owner) ctx.addIssue({ code: 'custom', path: ['steps', i, 'owner'], message: 'a task step names its owner role (csm or ae)' });
    if (s.channel === 'email' && !s.subject) ctx.addIssue({ code: 'custom', path: ['steps', i, 'subject'], message: 'an email step needs a subject' });
  });
});

export const playbooksConfigSchema = z.array(playbookSchema).superRefine((list, ctx) => {
  const seen = new Map<string, number>();
  list.forEach((pb, i) => {
    const prev = seen.get(pb.id);
    if (prev !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate playbook id "${pb.id}" (also playbooks[${prev}])` });
    seen.set(pb.id, i);
  });
}).describe('upsell playbooks (seed 000 template): trigger, qualification, audience, steps, success metric');

/** `audience.plans` entries that are not in `plans:`, with their paths (from the root of the file). */
export function playbookPlanIssues(playbooks: readonly { audience: { plans?: string[] | undefined } }[] | undefined, planIds: readonly string[]): { path: (string | number)[]; message: string }[] {
  const known = new Set(planIds);
  const out: { path: (string | number)[]; message: string }[] = [];
  (playbooks ?? []).forEach((pb, i) => {
    (pb.audience.plans ?? []).forEach((plan, j) => {
      if (!known.has(plan)) out.push({ path: ['playbooks', i, 'audience', 'plans', j], message: `unknown plan "${plan}" (known: ${planIds.join(', ')})` });
    });
  });
  return out;
}

export const etiquetteConfigSchema = z.object({
  prompts_per_session: z.number().int().positive().default(DEFAULT_ETIQUETTE.promptsPerSession),
  prompts_per_user_week: z.number().int().positive().default(DEFAULT_ETIQUETTE.promptsPerUserWeek),
  account_week_cap: z.number().int().positive().default(DEFAULT_ETIQUETTE.accountWeekCap).describe('customer touches (prompts, emails, CSM tasks) per account in 7 days'),
  dismiss_cooldown_days: days.default(DEFAULT_ETIQUETTE.dismissCooldownDays),
  session_gap_minutes: z.number().int().positive().default(DEFAULT_ETIQUETTE.sessionGapMinutes).describe('without a session id, prompts closer than this count as one session'),
  email_gap_days: days.max(7).default(DEFAULT_ETIQUETTE.emailGapDays).describe('an email step waits while another email reached the account within this many days'),
}).strict();

const member = z.object({ id, name: z.string(), email: z.string().optional(), capacity: z.number().int().positive().default(50) }).strict();
export const teamConfigSchema = z.object({
  csms: z.array(member).default([]),
  aes: z.array(member).default([]),
  approvers: z.array(teamApproverSchema).default([]).describe('people who approve discounts above sales.discounts.approval_above_pct'),
  handoff_sla_hours: z.number().positive().default(48).describe('an AE acts on a hand-off within this many hours'),
  high_value_arr_cents: z.number().int().nonnegative().default(300_000).describe('steps with when: high_value run at or above this ARR delta'),
}).strict().superRefine((team, ctx) => {
  const seen = new Set<string>();
  for (const [k, list] of [['csms', team.csms], ['aes', team.aes]] as const) {
    list.forEach((m, i) => {
      if (seen.has(m.id)) ctx.addIssue({ code: 'custom', path: [k, i, 'id'], message: `duplicate team member id "${m.id}"` });
      seen.add(m.id);
    });
  }
});

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name');
export const channelsConfigSchema = z.object({
  webhook: z.object({
    url: z.string().url(),
    secret_env: envName.default('TIERWISE_WEBHOOK_SECRET').describe('the HMAC-SHA256 signing secret is read from this variable'),
    timeout_ms: z.number().int().positive().default(10_000),
    tasks: z.boolean().default(true).describe('also send CSM/AE tasks here as `task` payloads (for a CRM)'),
  }).strict().optional(),
  email: z.object({
    host: z.string(),
    port: z.number().int().positive().default(587),
    secure: z.boolean().default(false),
    user_env: envName.optional(),
    pass_env: envName.optional(),
    from: z.string(),
    to_trait: z.string().default('email').describe('the account trait that holds the recipient address'),
  }).strict().optional(),
  slack: z.object({
    url_env: envName.default('TIERWISE_SLACK_WEBHOOK_URL').describe('the incoming-webhook URL is a secret: read from this variable'),
  }).strict().optional(),
  retry: z.object({
    base_ms: z.number().int().positive().default(DEFAULT_BACKOFF.baseMs),
    max_ms: z.number().int().positive().default(DEFAULT_BACKOFF.maxMs),
    max_attempts: z.number().int().positive().default(DEFAULT_BACKOFF.maxAttempts).describe('tries before a message goes to the dead letter'),
  }).strict().optional(),
}).strict();

type PlaybooksConfig = z.output<typeof playbooksConfigSchema>;
type TeamConfig = z.output<typeof teamConfigSchema>;
type EtiquetteConfig = z.output<typeof etiquetteConfigSchema>;
export type ChannelsConfig = z.output<typeof channelsConfigSchema>;

function toPlaybook(p: PlaybooksConfig[number]): Playbook {
  const pb: Playbook = {
    id: p.id, name: p.name,
    trigger: {
      on: p.trigger.on, signals: p.trigger.signals,
      ...(p.trigger.min_utilization !== undefined ? { minUtilization: p.trigger.min_utilization } : {}),
      ...(p.trigger.notice_levels?.length ? { noticeLevels: [...new Set(p.trigger.notice_levels)].sort((a, b) => a - b) } : {}),
      ...(p.trigger.offer_types !== undefined ? { offerTypes: p.trigger.offer_types } : {}),
      ...(p.trigger.min_score !== undefined ? { minScore: p.trigger.min_score } : {}),
      ...(p.trigger.stages ? { stages: p.trigger.stages } : {}),
    },
    qualification: { ready: p.qualification.ready, disqualifiers: p.qualification.disqualifiers },
    audience: {
      ...(p.audience.segments ? { segments: p.audience.segments } : {}), ...(p.audience.routes ? { routes: p.audience.routes } : {}),
      ...(p.audience.plans ? { plans: p.audience.plans } : {}),
    },
    steps: p.steps.map((s) => {
      const template: Template = { body: s.body };
      if (s.title !== undefined) template.title = s.title;
      if (s.subject !== undefined) template.subject = s.subject;
      if (s.cta !== undefined) template.cta = s.cta;
      return { day: s.day, channel: s.channel, when: s.when, template, ...(s.owner ? { owner: s.owner } : {}) };
    }),
    success: {
      targetConversion: p.success.target_conversion,
      ...(p.success.average_value_cents !== undefined ? { averageValueCents: p.success.average_value_cents } : {}),
      ...(p.success.cycle_days !== undefined ? { cycleDays: p.success.cycle_days } : {}),
    },
    cooldownDays: p.cooldown_days, maxAttempts: p.max_attempts, trialDays: p.trial_days,
  };
  if (p.renewal) pb.renewal = { termMonths: p.renewal.term_months, discountPct: p.renewal.discount_pct };
  return pb;
}

export interface PlaybookConfigInput {
  playbooks?: PlaybooksConfig | undefined;
  team?: TeamConfig | undefined;
  etiquette?: EtiquetteConfig | undefined;
  experiments?: ExperimentsConfig | undefined;
}

export function toPlaybookSettings(cfg: PlaybookConfigInput): PlaybookSettings {
  const team = teamConfigSchema.parse(cfg.team ?? {});
  const e = etiquetteConfigSchema.parse(cfg.etiquette ?? {});
  return {
    playbooks: (cfg.playbooks ?? []).map(toPlaybook),
    team: {
      members: [...team.csms.map((m) => ({ ...m, role: 'csm' as const })), ...team.aes.map((m) => ({ ...m, role: 'ae' as const }))]
        .map((m) => ({ id: m.id, name: m.name, role: m.role, capacity: m.capacity, ...(m.email !== undefined ? { email: m.email } : {}) })),
      handoffSlaHours: team.handoff_sla_hours,
      highValueArrCents: team.high_value_arr_cents,
    },
    etiquette: {
      promptsPerSession: e.prompts_per_session, promptsPerUserWeek: e.prompts_per_user_week, accountWeekCap: e.account_week_cap,
      dismissCooldownDays: e.dismiss_cooldown_days, sessionGapMinutes: e.session_gap_minutes, emailGapDays: e.email_gap_days,
    },
    ...(toHoldoutSetting(cfg.experiments) ? { holdout: toHoldoutSetting(cfg.experiments)! } : {}),
  };
}

export interface ChannelSettings {
  webhook?: { url: string; secret: string; timeoutMs: number; tasks: boolean };
  email?: { host: string; port: number; secure: boolean; from: string; toTrait: string; auth?: { user: string; pass: string } };
  slack?: { url: string };
  retry: BackoffSettings;
}

/** Resolves secrets from the environment (config is the only layer that reads it). A named variable that is unset leaves the channel off. */
export function toChannelSettings(c: ChannelsConfig | undefined, env: Record<string, string | undefined> = process.env): ChannelSettings {
  const out: ChannelSettings = {
    retry: c?.retry ? { baseMs: c.retry.base_ms, maxMs: c.retry.max_ms, maxAttempts: c.retry.max_attempts } : DEFAULT_BACKOFF,
  };
  if (c?.webhook) {
    const secret = env[c.webhook.secret_env];
    if (secret) out.webhook = { url: c.webhook.url, secret, timeoutMs: c.webhook.timeout_ms, tasks: c.webhook.tasks };
  }
  if (c?.email) {
    const e = c.email;
    const user = e.user_env ? env[e.user_env] : undefined;
    const pass = e.pass_env ? env[e.pass_env] : undefined;
    out.email = { host: e.host, port: e.port, secure: e.secure, from: e.from, toTrait: e.to_trait, ...(user && pass ? { auth: { user, pass } } : {}) };
  }
  if (c?.slack) {
    const url = env[c.slack.url_env];
    if (url) out.slack = { url };
  }
  return out;
}
