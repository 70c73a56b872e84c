// The sales endpoints' part of /openapi.json (manual opportunities, qualification, hand-off decisions,
// quotes, the sales reports), from the zod schemas in schemas-sales.ts.
import { ERRORS, json, problem, queryParams, ref, schema, security } from './openapi-helpers.ts';
import { createOpportunityRequestSchema, handoffDecisionRequestSchema, periodQuerySchema, qualificationRequestSchema, quoteDecisionRequestSchema, quoteRequestSchema } from './schemas-sales.ts';

const OPP_ID = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'the opportunity id' };
const BAD = { '400': problem('a body that does not match the schema, or a value the action refuses (code invalid_request)'), '415': problem('send application/json') };
const done = { description: 'the opportunity after the change', content: json(ref('OpportunityDetail')) };

function action(summary: string, request: string, conflict: string) {
  return {
    post: {
      summary, tags: ['sales'], security, parameters: [OPP_ID], requestBody: { required: true, content: json(ref(request)) },
      responses: { '200': done, '404': problem('no such opportunity'), '409': problem(conflict), ...BAD, ...ERRORS },
    },
  };
}

function report(summary: string, period: boolean) {
  return {
    get: {
      summary, tags: ['sales'], security, ...(period ? { parameters: queryParams(periodQuerySchema) } : {}),
      responses: { '200': { description: 'the report (same as `tierwise report ... --json`)', content: json({ type: 'object' }) }, '400': problem('bad period'), ...ERRORS },
    },
  };
}

/** The playbook paths with the sales ones added (POST /v1/opportunities sits beside its GET). */
export function withSalesPaths(paths: Record<string, unknown>): Record<string, unknown> {
  return {
    ...paths,
    '/v1/opportunities': {
      ...(paths['/v1/opportunities'] as Record<string, unknown> | undefined),
      post: {
        summary: 'Raise an opportunity by hand (CSM observation, QBR, inbound); attaches to an open one for the same tier', tags: ['sales'], security,
        requestBody: { required: true, content: json(ref('CreateOpportunityRequest')) },
        responses: { '201': { ...done, description: 'the new opportunity' }, '200': { ...done, description: 'the open opportunity it attached to' }, '404': problem('no such account, plan or owner'), ...BAD, ...ERRORS },
      },
    },
    '/v1/opportunities/{id}/qualification': action('Record qualification answers (goals met, ROI articulated, budget, approver, timeline)', 'QualificationRequest', 'already closed'),
    '/v1/opportunities/{id}/handoff': action('Accept or bounce (with a reason) the hand-off waiting for the AE', 'HandoffDecisionRequest', 'no hand-off waiting, or already closed'),
    '/v1/opportunities/{id}/quote': action('Quote a discount on a term; above sales.discounts.approval_above_pct it waits for an approver', 'QuoteRequest', 'already closed'),
    '/v1/opportunities/{id}/quote/decision': action('A named approver approves or refuses the quote waiting; only quotes the term rules allow can be approved', 'QuoteDecisionRequest', 'no quote waiting, or outside the term rules'),
    '/v1/reports/comp': report('Per owner: credited expansion ARR, quota attainment, commission owed, the deals behind it', true),
    '/v1/reports/economics': report('Cost of each motion (time, commissions, discounts) vs expansion ARR: expansion CAC, payback, new business beside it', true),
    '/v1/reports/losses': report('Lost deals by reason, offer type, segment and owner', true),
    '/v1/reports/handoffs': report('Hand-offs past their SLA', false),
    '/v1/reports/discounts': report('Quotes that needed an approver, approved and refused', false),
  };
}

export function salesSchemas(): Record<string, unknown> {
  return {
    CreateOpportunityRequest: schema(createOpportunityRequestSchema),
    QualificationRequest: schema(qualificationRequestSchema),
    HandoffDecisionRequest: schema(handoffDecisionRequestSchema),
    QuoteRequest: schema(quoteRequestSchema),
    QuoteDecisionRequest: schema(quoteDecisionRequestSchema),
  };
}
