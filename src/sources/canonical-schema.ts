// The canonical event v1 on the wire (DESIGN.md section 3), validated with zod at the edge.
// Unknown extra fields are kept (loose objects), never rejected.
import { z } from 'zod';
import { ISO_WITH_ZONE, parseIsoTime } from './iso-time.ts';
import { idProblem, MAX_QUANTITY } from './limits.ts';

const idString = z.string().min(1, 'must not be empty').max(256, 'at most 256 characters').superRefine((s, ctx) => {
  const problem = idProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const cents = z.number().int('whole cents').nonnegative('>= 0').max(MAX_QUANTITY, `at most ${MAX_QUANTITY} cents`);

export const isoTimestamp = z.string().regex(ISO_WITH_ZONE, 'an ISO-8601 timestamp with a zone, e.g. 2026-01-05T14:03:00Z')
  .refine((s) => !Number.isNaN(parseIsoTime(s)), 'not a real date and time (no such day or hour)');

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DATE_EXPECTED = 'expected a date (2026-06-24, read as that day 00:00 UTC) or an ISO-8601 timestamp with a zone';

/** A calendar date (as that day, 00:00 UTC, and stored that way) or a timestamp with a zone. */
export const dateOrTimestamp = z.string()
  .refine((s) => CALENDAR_DATE.test(s)
    ? new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)
    : ISO_WITH_ZONE.test(s) && !Number.isNaN(Date.parse(s)), DATE_EXPECTED)
  .transform((s) => (CALENDAR_DATE.test(s) ? `${s}T00:00:00Z` : s));

const base = {
  id: idString.describe('unique id: the dedupe key'),
  ts: isoTimestamp,
  account: idString,
  user: idString.optional(),
};

const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.looseObject({ ...base, type: z.literal(type), ...shape });

export const accountTraitsSchema = z.looseObject({
  name: z.string().optional(),
  employees: z.number().int().nonnegative().max(MAX_QUANTITY).optional(),
  industry: z.string().optional(),
  segment: z.string().optional(),
  csm: z.string().optional(),
  ae: z.string().optional(),
  renewal_at: dateOrTimestamp.optional(),
  email: z.string().regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address').optional(),
});

export const canonicalEventSchema = z.discriminatedUnion('type', [
  ev('account', { traits: accountTraitsSchema }),
  ev('subscription', {
    plan: idString,
    interval: z.enum(['month', 'year']),
    mrr: cents.describe('integer cents, normalized to a month'),
    seats: z.number().int().nonnegative().max(MAX_QUANTITY).optional(),
    status: z.enum(['trialing', 'active', 'past_due', 'canceled']),
    discount_pct: z.number().min(0).max(100).optional(),
    term_months: z.number().int().positive().optional(),
    addons: z.array(idString).max(64).optional().describe('add-on ids held (modules, support levels); absent: unchanged'),
    units: z.record(idString, z.number().nonnegative().finite()).optional().describe('extra units bought beyond the plan, per meter; absent: unchanged'),
  }),
  ev('usage', { meter: idString, quantity: z.number().nonnegative('>= 0').max(MAX_QUANTITY, `at most ${MAX_QUANTITY}`) }),
  ev('gate', { feature: idString }),
  ev('feature', { feature: idString }),
  ev('member', { action: z.enum(['added', 'removed']) }),
  ev('integration', { name: idString, action: z.enum(['connected', 'disconnected']) }),
  ev('ticket', {
    ticket: idString,
    status: z.enum(['opened', 'closed']),
    severity: z.enum(['low', 'normal', 'high', 'critical']),
    topic: z.string(),
  }),
  ev('invoice', { invoice: idString, status: z.enum(['paid', 'past_due', 'void']), amount: cents }),
  ev('nps', { score: z.number().int().min(0).max(10) }),
  ev('session', {}),
  ev('prompt', { prompt: idString, action: z.enum(['shown', 'clicked', 'dismissed', 'converted']) }),
]);

/**
 * Optional fields the engine reads: a value it cannot parse is a warning (the field is set aside in
 * `extra.unparsed`), never a reason to drop the event. Everything else, the identity (id, ts, account,
 * type), what the event says happened (plan, meter, feature, status...) and the numbers the engine
 * sums (mrr, quantity, amount), rejects the line.
 */
const LENIENT_FIELDS: Record<string, ReadonlySet<string>> = {
  account: new Set(['traits.name', 'traits.employees', 'traits.industry', 'traits.segment', 'traits.csm', 'traits.ae', 'traits.renewal_at', 'traits.email']),
  subscription: new Set(['seats', 'discount_pct', 'term_months']),
};

export function isLenientField(type: string, field: string): boolean {
  return field === 'user' || (LENIENT_FIELDS[type]?.has(field) ?? false);
}

export type CanonicalEventInput = z.input<typeof canonicalEventSchema>;
