// GET /openapi.json: OpenAPI 3.1, built from the zod schemas that validate the requests
// (JSON Schema 2020-12 is OpenAPI 3.1's schema dialect, so z.toJSONSchema fits as is).
import { canonicalEventSchema } from '../sources/canonical-schema.ts';
import { segmentBatchSchema, segmentMessageSchema } from '../sources/segment.ts';
import { stripeEventSchema } from '../sources/stripe.ts';
import {
  accountQuerySchema, accountResponseSchema, healthSchema, rankedQuerySchema, rankedResponseSchema, ingestResultSchema, problemSchema, segmentResultSchema, stripeResultSchema,
} from './schemas.ts';
import { STATUS_BY_CODE } from './problem.ts';
import { ERRORS, INGEST_ERRORS, json, problem, queryParams, ref, schema, security } from './openapi-helpers.ts';
import { playbookPaths, playbookSchemas } from './openapi-playbooks.ts';
import { entitlementPaths, entitlementSchemas } from './openapi-entitlements.ts';
import { salesSchemas, withSalesPaths } from './openapi-sales.ts';
import { experimentPaths, experimentSchemas } from './openapi-experiments.ts';

function segmentOp(summary: string, body: unknown) {
  return {
    post: {
      summary, tags: ['segment'], security,
      requestBody: { required: true, content: json(body) },
      responses: { '200': { description: 'accepted (durable)', content: json(ref('SegmentResult')) }, ...INGEST_ERRORS },
    },
  };
}

export function buildOpenApi(version: string): Record<string, unknown> {
  const segmentMessage = ref('SegmentMessage');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tierwise HTTP API', version,
      description: 'Ingest (canonical events, Segment, Stripe), read, decide and pipeline endpoints of Tierwise. Errors are RFC 9457 problem details with a stable `code`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'ingest' }, { name: 'segment' }, { name: 'stripe' }, { name: 'read' }, { name: 'decide' }, { name: 'pipeline' }, { name: 'metrics' }, { name: 'ops' }],
    paths: {
      '/v1/events': {
        post: {
          summary: 'Ingest canonical events (JSON array, one object, or NDJSON)', tags: ['ingest'], security,
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { oneOf: [{ type: 'array', items: ref('CanonicalEvent') }, ref('CanonicalEvent')] } },
              'application/x-ndjson': { schema: { type: 'string', description: 'one canonical event per line' } },
            },
          },
          responses: { '200': { description: 'the valid events are durable; invalid ones are listed', content: json(ref('IngestResult')) }, ...INGEST_ERRORS },
        },
      },
      '/v1/batch': segmentOp('Segment batch', ref('SegmentBatch')),
      '/v1/track': segmentOp('Segment track', segmentMessage),
      '/v1/identify': segmentOp('Segment identify: account traits from traits.company (else accepted, ignored with the reason)', segmentMessage),
      '/v1/group': segmentOp('Segment group: account traits', segmentMessage),
      '/v1/page': segmentOp('Segment page: a session', segmentMessage),
      '/v1/screen': segmentOp('Segment screen: a session', segmentMessage),
      '/v1/alias': segmentOp('Segment alias (accepted, not used)', segmentMessage),
      '/webhooks/stripe': {
        post: {
          summary: 'Stripe webhook endpoint (Stripe-Signature required)', tags: ['stripe'],
          parameters: [{ name: 'Stripe-Signature', in: 'header', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: json(ref('StripeEvent')) },
          responses: {
            '200': { description: 'stored or ignored', content: json(ref('StripeResult')) },
            '400': problem('signature invalid or stale (code signature_invalid), or not a Stripe event'),
            '404': problem('no webhook secret configured (code stripe_not_configured)'),
            '422': problem('the event could not be mapped'),
          },
        },
      },
      '/webhooks/hubspot': {
        post: {
          summary: 'HubSpot webhooks (deal.propertyChange on dealstage): closed won / lost closes the opportunity; X-HubSpot-Signature-v3 required', tags: ['crm'],
          parameters: [
            { name: 'X-HubSpot-Signature-v3', in: 'header', required: true, schema: { type: 'string' } },
            { name: 'X-HubSpot-Request-Timestamp', in: 'header', required: true, schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: json({ type: 'array', items: { type: 'object' } }) },
          responses: {
            '200': { description: 'what each closing event did', content: json({ type: 'object', properties: { received: { const: true }, results: { type: 'array', items: { type: 'object', properties: { opportunity: { type: 'string' }, outcome: { enum: ['won', 'lost', 'already_closed', 'unknown'] } } } } } }) },
            '400': problem('signature invalid or stale (code signature_invalid)'),
            '404': problem('HubSpot not configured (code crm_not_configured)'),
          },
        },
      },
      '/webhooks/salesforce': {
        post: {
          summary: 'Salesforce outbound messages (SOAP) on Opportunity: closed won / lost closes the opportunity', tags: ['crm'],
          parameters: [{ name: 'token', in: 'query', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'text/xml': { schema: { type: 'string' } } } },
          responses: {
            '200': { description: 'the SOAP acknowledgement (Ack true)', content: { 'text/xml': { schema: { type: 'string' } } } },
            '400': problem('not an outbound message'),
            '401': problem('wrong token'),
            '403': problem('another organization'),
            '404': problem('Salesforce not configured (code crm_not_configured)'),
          },
        },
      },
      '/v1/catalog': { get: { summary: 'The plan catalog', tags: ['read'], security, responses: { '200': { description: 'plans, meters, features', content: json({ type: 'object' }) }, ...ERRORS } } },
      '/v1/accounts': {
        get: {
          summary: 'Accounts ranked by priority: ready first, disqualified below, nothing to offer last, then by score (the engine must run in the server)', tags: ['read'], security,
          parameters: queryParams(rankedQuerySchema),
          responses: { '200': { description: 'ranked accounts', content: json(ref('RankedAccounts')) }, '400': problem('bad query'), '501': problem('no engine in this server (code engine_disabled)'), ...ERRORS },
        },
      },
      '/v1/accounts/{id}/explain': {
        get: {
          summary: 'Why an account scores what it does: signals with evidence, stage, score breakdown, qualification, offer', tags: ['read'], security,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'as_of', in: 'query', required: false, description: 'explain at this moment (YYYY-MM-DD = end of that day, UTC, or an ISO time); default: now', schema: { type: 'string' } }],
          responses: { '200': { description: 'the evaluation, with `moment` (the moment used), `name` and `owner`', content: json({ type: 'object' }) }, '400': problem('as_of is not a moment'), '404': problem('no such account'), '501': problem('no engine in this server'), ...ERRORS },
        },
      },
      '/v1/accounts/{id}/offer': {
        get: {
          summary: 'The offer for an account: the recommendation (tier, seats, volume, module, support, term or a bundle) and every alternative, priced, with the needs each covers', tags: ['read'], security,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'recommended (null: nothing to offer), alternatives, needs, why', content: json({ type: 'object' }) }, '404': problem('no such account'), '501': problem('no engine in this server'), ...ERRORS },
        },
      },
      '/v1/accounts/{id}': {
        get: {
          summary: 'One account: its record and daily usage', tags: ['read'], security,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, ...queryParams(accountQuerySchema)],
          responses: { '200': { description: 'the account', content: json(ref('Account')) }, '404': problem('no such account'), ...ERRORS },
        },
      },
      ...withSalesPaths(playbookPaths()),
      ...experimentPaths(),
      ...entitlementPaths(),
      '/healthz': { get: { summary: 'Liveness', tags: ['ops'], responses: { '200': { description: 'alive', content: json(ref('Health')) } } } },
      '/readyz': { get: { summary: 'Readiness: the store answers and the server is not shutting down', tags: ['ops'], responses: { '200': { description: 'ready', content: json(ref('Health')) }, '503': { description: 'not ready', content: json(ref('Health')) } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', tags: ['ops'], responses: { '200': { description: 'text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
      '/openapi.json': { get: { summary: 'This document', tags: ['ops'], responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } } } },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'an API key: tw_<id>_<secret>' },
        basic: { type: 'http', scheme: 'basic', description: 'the API key as user, empty password (Segment write key)' },
      },
      schemas: {
        CanonicalEvent: schema(canonicalEventSchema),
        IngestResult: schema(ingestResultSchema, 'output'),
        SegmentMessage: schema(segmentMessageSchema),
        SegmentBatch: schema(segmentBatchSchema),
        SegmentResult: schema(segmentResultSchema, 'output'),
        StripeEvent: schema(stripeEventSchema),
        StripeResult: schema(stripeResultSchema, 'output'),
        Account: schema(accountResponseSchema, 'output'),
        RankedAccounts: schema(rankedResponseSchema, 'output'),
        Health: schema(healthSchema, 'output'),
        ...playbookSchemas(),
        ...salesSchemas(),
        ...experimentSchemas(),
        ...entitlementSchemas(),
        Problem: { ...schema(problemSchema, 'output'), description: `codes: ${Object.entries(STATUS_BY_CODE).map(([k, v]) => `${k} (${v})`).join(', ')}` },
      },
    },
  };
}
