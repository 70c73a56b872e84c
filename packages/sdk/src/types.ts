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
