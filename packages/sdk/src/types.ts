// The canonical event v1 as the SDK sends it (docs/http-api.md). `id` and `ts` may be left out:
// the SDK fills them in, so that a retried batch is deduplicated by the server.

export type EventType =
  | 'account' | 'subscription' | 'usage' | 'gate' | 'feature' | 'member' | 'integration'
  | 'ticket' | 'invoice' | 'nps' | 'session' | 'prompt';

export interface EventInput {
  type: EventType;
  account: string;
  user?: string;
  /** unique id, the dedupe key; a random UUID when left out */
  id?: string;
  /** ISO-8601 with zone, or a Date; now when left out */
  ts?: string | Date;
  [field: string]: unknown;
}

export interface WireEvent extends EventInput {
  id: string;
  ts: string;
}

export interface AccountTraits {
  name?: string;
  employees?: number;
  industry?: string;
  segment?: string;
  csm?: string;
  ae?: string;
  renewal_at?: string;
  [extra: string]: unknown;
}

export interface EventOptions {
  user?: string;
  id?: string;
  ts?: string | Date;
}

export interface IngestResult {
  accepted: number;
  rejected: number;
  errors: { pointer: string; line?: number; detail: string }[];
  errors_truncated?: true;
  /** optional fields the server could not read; their events were stored without them */
  warnings?: { pointer: string; line?: number; value: unknown; detail: string }[];
  warnings_truncated?: true;
}

export interface UsageDay {
  account: string;
  meter: string;
  day: string;
  sum: number;
  last: number;
  lastTs: number;
  events: number;
}

export interface Account {
  account: { id: string; traits: AccountTraits; placeholder: boolean; firstSeen: string; lastSeen: string };
  usage: UsageDay[];
}

export type PromptAction = 'shown' | 'clicked' | 'dismissed' | 'converted';

/** What the product knows at the moment it asks (docs/http-api.md, POST /v1/decide). */
export interface DecideContext {
  /** the user's session: at most one prompt per session */
  session?: string;
  /** the gated feature the user just opened, if any */
  feature?: string;
}

export interface Prompt {
  playbook: string;
  title: string;
  body: string;
  cta: string;
  target: { id: string; name: string };
  comparison: { gainedFeatures: string[]; limits: { meter: string; from: number | null; to: number | null; observed: number }[] };
  price: { monthlyDeltaCents: number; annualDeltaCents: number | null; proratedNowCents: number | null };
  trial: { days: number } | null;
  /** why now, in the account's own numbers */
  reasons: string[];
}

export type NoShowCode =
  | 'session_cap' | 'user_week_cap' | 'account_week_cap' | 'cooldown' | 'disqualified' | 'no_moment' | 'no_offer' | 'unknown_account' | 'on_trial';

/** Show (with the prompt and its id for recordOutcome) or don't (with a code and the reason). */
export type Decision =
  | { show: true; id: string; account: string; user: string; prompt: Prompt }
  | { show: false; id: null; account: string; user: string; code: NoShowCode; reason: string };

/** The prompt as recorded, with the user's outcome. */
export interface PromptRecord {
  id: string;
  account: string;
  user?: string;
  channel: string;
  /** ISO-8601 */
  at: string;
  playbook?: string;
  opportunity?: string;
  outcome?: 'clicked' | 'dismissed' | 'converted';
  outcomeAt?: string;
}

export interface TrialOptions {
  /** the tier to try (default: the offer's target) */
  plan?: string;
  /** an add-on module to try instead of a tier */
  addon?: string;
  days?: number;
  /** who started it */
  user?: string;
}

export interface Trial {
  id: string;
  account: string;
  plan: string;
  /** the add-on module tried (absent: a tier trial) */
  addon?: string;
  fromPlan: string;
  /** ISO-8601 */
  startedAt: string;
  endsAt: string;
  status: 'active' | 'converted' | 'expired' | 'ended';
  endedAt?: string;
  opportunity?: string;
  user?: string;
}

export interface TrialStarted {
  trial: Trial;
  /** the opportunity the trial moved to Proposal, if the account had one for that tier */
  opportunity: string | null;
}

export type Grant = 'plan' | 'addon' | 'units' | 'trial';

export interface FeatureEntitlement {
  id: string;
  name: string;
  available: boolean;
  /** what grants it: the plan, an add-on held, extra units, or a running trial (null: nothing) */
  via: Grant | null;
  addon?: string;
  trialPlan?: string;
  /** ISO-8601: the feature locks at this moment */
  trialEndsAt?: string;
}

export interface MeterLimit {
  id: string;
  name: string;
  unit: string;
  reset: 'month' | 'day' | 'none';
  /** null: unlimited; 0: not offered on the plan */
  limit: number | null;
  used: number;
  /** null: unlimited; never below 0 */
  remaining: number | null;
  util: number;
  via: Grant | null;
}

/** GET /v1/entitlements/{account} */
export interface Entitlements {
  account: string;
  plan: { id: string; name: string };
  asOf: string;
  features: FeatureEntitlement[];
  meters: MeterLimit[];
  trials: { id: string; plan: string; addon?: string; name: string; startedAt: string; endsAt: string }[];
  /** ISO-8601: the earliest moment the answer changes by itself (a trial ending) */
  changesAt: string | null;
  ttlSeconds: number;
}

/** Features that became available or unavailable between two answers for one account. */
export interface EntitlementChange {
  account: string;
  unlocked: string[];
  locked: string[];
  /** 'server': a fresh answer said so; 'trial_ended': the cached answer's trial ran out while the server was unreachable */
  source: 'server' | 'trial_ended';
}

/** POST /v1/checkout (and /downgrade, /cancel): the Stripe change and the invoice Stripe will raise for it. */
export interface Checkout {
  account: string;
  kind: 'upgrade' | 'downgrade' | 'cancel';
  currency: string;
  offer: { key: string; name: string; type: string; plan: { id: string; name: string } } | null;
  period: { start: string; end: string };
  stripe: {
    /** add: a new item; update: the item now on price `current` (its si_ id is yours to look up); delete: that item */
    items: { action: 'add' | 'update' | 'delete'; current?: string; price?: string; quantity?: number }[];
    proration_behavior: 'always_invoice' | 'create_prorations' | 'none';
    /** unix seconds: pass it to Stripe so it prorates to the same second */
    proration_date: number;
    cancel_at_period_end?: boolean;
  };
  preview: {
    lines: { description: string; price: string; quantity: number; amount: number; proration: boolean; periodStart: string; periodEnd: string }[];
    total: number;
    /** cents charged at once (upgrades) */
    dueNow: number;
    next: { at: string; amount: number; lines: { description: string; price: string; quantity: number; amount: number }[] };
    remainingSeconds: number;
    periodSeconds: number;
  };
  /** upgrades: the signed link that shows this preview to the customer */
  link?: { url: string; expiresAt: string };
}
