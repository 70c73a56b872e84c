// The canonical event, v1 (DESIGN.md section 3). The core receives these already validated;
// `ts` is epoch milliseconds (UTC) so that folding never parses dates.

export const EVENT_TYPES = [
  'account', 'subscription', 'usage', 'gate', 'feature', 'member', 'integration',
  'ticket', 'invoice', 'nps', 'session', 'prompt',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type Interval = 'month' | 'year';
export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'canceled';
export type Severity = 'low' | 'normal' | 'high' | 'critical';

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

interface Base<T extends EventType> {
  id: string;
  /** epoch milliseconds, UTC */
  ts: number;
  account: string;
  user?: string;
  type: T;
  /** unknown extra fields, kept as they came */
  extra?: Record<string, unknown>;
}

export interface AccountEvent extends Base<'account'> { traits: AccountTraits }
export interface SubscriptionEvent extends Base<'subscription'> {
  plan: string;
  interval: Interval;
  /** integer cents, normalized to a month */
  mrr: number;
  seats?: number;
  status: SubscriptionStatus;
  discount_pct?: number;
  term_months?: number;
  /** add-on ids held after this change (absent: unchanged) */
  addons?: string[];
  /** extra units bought beyond the plan's included quantity, per meter (absent: unchanged) */
  units?: Record<string, number>;
}
export interface UsageEvent extends Base<'usage'> { meter: string; quantity: number }
export interface GateEvent extends Base<'gate'> { feature: string }
export interface FeatureEvent extends Base<'feature'> { feature: string }
export interface MemberEvent extends Base<'member'> { action: 'added' | 'removed' }
export interface IntegrationEvent extends Base<'integration'> { name: string; action: 'connected' | 'disconnected' }
export interface TicketEvent extends Base<'ticket'> {
  ticket: string;
  status: 'opened' | 'closed';
  severity: Severity;
  topic: string;
}
export interface InvoiceEvent extends Base<'invoice'> { invoice: string; status: 'paid' | 'past_due' | 'void'; amount: number }
export interface NpsEvent extends Base<'nps'> { score: number }
export interface SessionEvent extends Base<'session'> { session?: string }
export interface PromptEvent extends Base<'prompt'> { prompt: string; action: 'shown' | 'clicked' | 'dismissed' | 'converted' }

export type TierwiseEvent =
  | AccountEvent | SubscriptionEvent | UsageEvent | GateEvent | FeatureEvent | MemberEvent
  | IntegrationEvent | TicketEvent | InvoiceEvent | NpsEvent | SessionEvent | PromptEvent;

export type EventOf<T extends EventType> = Extract<TierwiseEvent, { type: T }>;
