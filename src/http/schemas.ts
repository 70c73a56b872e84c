// Request and response schemas of the HTTP API: the same zod schemas validate requests (or
// describe what the handlers return) and generate /openapi.json.
import { z } from 'zod';
import { STAGES } from '../core/scoring/stage.ts';

export const itemErrorSchema = z.object({
  pointer: z.string().describe('RFC 6901 JSON pointer into the request body, e.g. /3/quantity'),
  line: z.number().int().positive().optional().describe('NDJSON bodies: the 1-based line'),
  detail: z.string(),
});
export type ItemError = z.output<typeof itemErrorSchema>;

export const itemWarningSchema = z.object({
  pointer: z.string().describe('RFC 6901 JSON pointer to the field that was set aside, e.g. /3/traits/renewal_at'),
  line: z.number().int().positive().optional().describe('NDJSON bodies: the 1-based line'),
  value: z.unknown().describe('the value as sent'),
  detail: z.string().describe('why it could not be read'),
});
export type ItemWarning = z.output<typeof itemWarningSchema>;

export const ingestResultSchema = z.object({
  accepted: z.number().int().describe('valid events, now durable (new ones and re-sent duplicates alike)'),
  rejected: z.number().int(),
  errors: z.array(itemErrorSchema).describe('the first 100 problems'),
  errors_truncated: z.literal(true).optional(),
  warnings: z.array(itemWarningSchema).describe('the first 100 optional fields that could not be read: their events were stored without them (docs/events.md)'),
  warnings_truncated: z.literal(true).optional(),
});

export const segmentResultSchema = ingestResultSchema.extend({
  success: z.literal(true),
  ignored: z.number().int().describe('messages accepted but not used (identify without traits.company, unmapped track events...)'),
  ignored_reasons: z.array(z.object({
    pointer: z.string().describe('the message: /batch/N in a batch, empty for a single call'),
    reason: z.string().describe('why it was not used, e.g. track "Logged In": not mapped in segment.track (tierwise.yaml)'),
  })).describe('the first 100 ignored messages, each with why'),
});

export const stripeResultSchema = z.object({
  received: z.literal(true),
  event: z.string().optional().describe('the canonical event id stored (the Stripe event id)'),
  ignored: z.string().optional().describe('why the Stripe event was not used'),
});

export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string().describe('stable machine-readable error code'),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(itemErrorSchema).optional(),
});

export const usageDaySchema = z.object({
  account: z.string(), meter: z.string(), day: z.string(), sum: z.number(), last: z.number(), lastTs: z.number(), events: z.number().int(),
});

export const accountResponseSchema = z.object({
  account: z.object({
    id: z.string(),
    traits: z.record(z.string(), z.unknown()),
    placeholder: z.boolean(),
    firstSeen: z.string().describe('ISO-8601'),
    lastSeen: z.string().describe('ISO-8601'),
  }),
  usage: z.array(usageDaySchema),
});

export const accountQuerySchema = z.object({
  meter: z.string().optional().describe('only this meter\'s usage days'),
});

export const healthSchema = z.object({ status: z.enum(['ok', 'unavailable']), version: z.string() });

const boolString = z.enum(['true', 'false']).transform((s) => s === 'true');

export const rankedQuerySchema = z.object({
  stage: z.enum(STAGES).optional(),
  segment: z.string().optional().describe('enterprise, mid_market, smb, self_serve'),
  ready: boolString.optional().describe('only accounts ready (true) or not ready (false) for an upsell'),
  as_of: z.string().optional().describe('score at this moment (YYYY-MM-DD = end of that day, UTC, or an ISO time); default: now (docs/adr/0011-one-clock.md)'),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The moment an answer was computed at (one clock, docs/adr/0011-one-clock.md). */
export const momentSchema = z.object({
  now: z.string().describe('ISO-8601: the moment every figure is computed at'),
  source: z.enum(['clock', 'as_of']).describe('clock: the wall clock (the ranking: as of the engine\'s last tick, at most a minute old); as_of: the ?as_of= asked for'),
  dataEnds: z.string().nullable().describe('the newest event\'s time in the store'),
  stale: z.object({ days: z.number().int(), suggest: z.string() }).nullable().describe('set when the data ends more than 3 days before the moment'),
  warning: z.string().nullable().describe('the stale-data warning in words, with the ?as_of= to pass'),
});

export const rankedResponseSchema = z.object({
  moment: momentSchema,
  total: z.number().int(),
  accounts: z.array(z.object({
    account: z.string(), plan: z.string(), segment: z.string(), stage: z.string(), score: z.number(), ready: z.boolean(),
    placeholder: z.boolean(), top: z.string().describe('the strongest positive signal, as a sentence'),
    signals: z.array(z.string()).describe('the positive signals that fire'), reasons: z.array(z.string()),
  })),
});
