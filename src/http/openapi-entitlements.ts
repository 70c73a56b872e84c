// The entitlements part of /openapi.json (and the checkout hand-off beside it).
import { ERRORS, json, problem, ref, schema, security } from './openapi-helpers.ts';
import { cancelRequestSchema, checkoutRequestSchema, checkoutResponseSchema, downgradeRequestSchema, entitlementsResponseSchema } from './schemas-entitlements.ts';

const BAD = { '400': problem('a body that does not match the schema, or an offer that is a commitment term (code invalid_request)') };
const NO_ENGINE = { '501': problem('no engine in this server (code engine_disabled)') };
const checkoutOp = (summary: string, request: string) => ({
  post: {
    summary, tags: ['decide'], security, requestBody: { required: true, content: json(ref(request)) },
    responses: {
      '200': { description: 'the Stripe change and the invoice preview', content: json(ref('Checkout')) },
      '404': problem('no such account, plan or offer'), '409': problem('no known billing period, or a canceled subscription (code conflict)'), ...BAD, ...NO_ENGINE, ...ERRORS,
    },
  },
});

export function entitlementPaths(): Record<string, unknown> {
  return {
    '/v1/entitlements/{account}': {
      get: {
        summary: 'What the account may use now: every feature (available, and what grants it: plan, add-on or a running trial) and every meter (limit, used, remaining). Cheap enough for every page view; Cache-Control says how long to keep it, never past a trial\'s end',
        tags: ['decide'], security,
        parameters: [{ name: 'account', in: 'path', required: true, schema: { type: 'string' }, description: 'the account id' }],
        responses: {
          '200': { description: 'the entitlements', content: json(ref('Entitlements')) },
          '404': problem('no such account, or it has no plan yet'), '501': problem('no engine in this server (code engine_disabled)'), ...ERRORS,
        },
      },
    },
    '/v1/checkout': checkoutOp('The accepted offer (default: the recommendation; `offer`: an alternative\'s key): the exact Stripe subscription change, the invoice Stripe will raise for it (prorated to the second) and a signed, expiring upgrade link', 'CheckoutRequest'),
    '/v1/checkout/downgrade': checkoutOp('A move to a lower tier now: the Stripe change and the credit waiting on the next invoice', 'DowngradeRequest'),
    '/v1/checkout/cancel': checkoutOp('Cancellation at the end of the period already paid for', 'CancelRequest'),
    '/v1/checkout/links/{token}': {
      get: {
        summary: 'An upgrade link opened: the preview recomputed now (no key: the signature is the credential)', tags: ['decide'],
        parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'the hand-off as of now', content: json(ref('Checkout')) },
          '403': problem('altered or foreign link (code forbidden)'), '410': problem('expired (code link_expired)'), '404': problem('the offer is no longer on offer'), ...NO_ENGINE,
        },
      },
    },
  };
}

export function entitlementSchemas(): Record<string, unknown> {
  return {
    Entitlements: schema(entitlementsResponseSchema, 'output'),
    CheckoutRequest: schema(checkoutRequestSchema), DowngradeRequest: schema(downgradeRequestSchema), CancelRequest: schema(cancelRequestSchema),
    Checkout: schema(checkoutResponseSchema, 'output'),
  };
}
