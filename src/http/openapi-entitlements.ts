// The entitlements part of /openapi.json (and the checkout hand-off beside it).
import { ERRORS, json, problem, ref, schema, security } from './openapi-helpers.ts';
import { entitlementsResponseSchema } from './schemas-entitlements.ts';

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
  };
}

export function entitlementSchemas(): Record<string, unknown> {
  return { Entitlements: schema(entitlementsResponseSchema, 'output') };
}
