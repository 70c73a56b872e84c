// The playbook endpoints' part of /openapi.json: decide, prompt outcomes, opportunities, trials,
// revenue metrics, from the zod schemas in schemas-playbooks.ts.
import { ERRORS, json, problem, queryParams, ref, schema, security } from './openapi-helpers.ts';
import {
  closeRequestSchema, decideRequestSchema, decideResponseSchema, opportunityDetailSchema, opportunityListSchema, opportunityQuerySchema,
  ownerRequestSchema, promptOutcomeRequestSchema, revenueQuerySchema, stageRequestSchema, touchResponseSchema, trialEndResponseSchema,
  trialRequestSchema, trialStartResponseSchema,
} from './schemas-playbooks.ts';

const pathId = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });
const body = (name: string) => ({ required: true, content: json(ref(name)) });
const BAD = { '400': problem('invalid JSON or a body that does not match the schema; `errors` lists JSON pointers (code invalid_request)'), '415': problem('send application/json') };
const NO_ENGINE = { '501': problem('no engine in this server (code engine_disabled)') };
const OPP_ID = pathId('id', 'the opportunity id');

function action(summary: string, request: string) {
  return {
    post: {
      summary, tags: ['pipeline'], security, parameters: [OPP_ID], requestBody: body(request),
      responses: {
        '200': { description: 'the opportunity after the change', content: json(ref('OpportunityDetail')) },
        '404': problem('no such opportunity'), '409': problem('already closed, or a stage that is not ahead (code conflict)'), ...BAD, ...ERRORS,
      },
    },
  };
}

export function playbookPaths(): Record<string, unknown> {
  return {
    '/v1/decide': {
      post: {
        summary: 'Should this user see an upgrade prompt now? (ingest or admin key; the product calls it at run time)', tags: ['decide'], security,
        requestBody: body('DecideRequest'),
        responses: { '200': { description: 'show, with the prompt in the account\'s own numbers; or don\'t show, with a code and the reason', content: json(ref('DecideResponse')) }, ...BAD, ...NO_ENGINE, ...ERRORS },
      },
    },
    '/v1/prompts/{id}/outcome': {
      post: {
        summary: 'What the user did with a prompt (ingest or admin key): clicked moves the opportunity to Engaged, converted to Proposal', tags: ['decide'], security,
        parameters: [pathId('id', 'the prompt id from /v1/decide')], requestBody: body('PromptOutcomeRequest'),
        responses: { '200': { description: 'the prompt (touch) with its outcome', content: json(ref('PromptTouch')) }, '404': problem('no such prompt'), ...BAD, ...NO_ENGINE, ...ERRORS },
      },
    },
    '/v1/opportunities': {
      get: {
        summary: 'Upsell opportunities, newest first', tags: ['pipeline'], security, parameters: queryParams(opportunityQuerySchema),
        responses: { '200': { description: 'opportunities without brief and history', content: json(ref('OpportunityList')) }, '400': problem('bad query'), ...ERRORS },
      },
    },
    '/v1/opportunities/{id}': {
      get: {
        summary: 'One opportunity with its brief, history, steps and tasks', tags: ['pipeline'], security, parameters: [OPP_ID],
        responses: { '200': { description: 'the opportunity', content: json(ref('OpportunityDetail')) }, '404': problem('no such opportunity'), ...ERRORS },
      },
    },
    '/v1/opportunities/{id}/stage': action('Move an open opportunity to a later stage', 'StageRequest'),
    '/v1/opportunities/{id}/owner': action('Hand the opportunity off to an AE (the team\'s SLA applies)', 'OwnerRequest'),
    '/v1/opportunities/{id}/close': action('Close as won or lost, with a reason; pending steps are canceled', 'CloseRequest'),
    '/v1/trials': {
      post: {
        summary: 'Start a trial of a higher tier (default: the offer\'s target) or of an add-on module (`addon`); the opportunity moves to Proposal', tags: ['pipeline'], security,
        requestBody: body('TrialRequest'),
        responses: { '201': { description: 'the trial (the running one if the account already tries that tier)', content: json(ref('TrialStarted')) }, '404': problem('no such account or plan'), ...BAD, ...NO_ENGINE, ...ERRORS },
      },
    },
    '/v1/trials/{account}': {
      delete: {
        summary: 'End the account\'s active trials now (converted if it is on the tier, else ended)', tags: ['pipeline'], security,
        parameters: [pathId('account', 'the account id')],
        responses: { '200': { description: 'the trials ended (none: an empty list)', content: json(ref('TrialsEnded')) }, ...NO_ENGINE, ...ERRORS },
      },
    },
    '/v1/metrics/revenue': {
      get: {
        summary: 'Revenue metrics: MRR movements, NRR/GRR, upsell revenue, by month or quarter', tags: ['metrics'], security, parameters: queryParams(revenueQuerySchema),
        responses: { '200': { description: 'the report (same as `tierwise metrics --json`)', content: json({ type: 'object' }) }, '400': problem('bad query, or from after to'), ...ERRORS },
      },
    },
  };
}

export function playbookSchemas(): Record<string, unknown> {
  return {
    DecideRequest: schema(decideRequestSchema),
    DecideResponse: schema(decideResponseSchema, 'output'),
    PromptOutcomeRequest: schema(promptOutcomeRequestSchema),
    PromptTouch: schema(touchResponseSchema, 'output'),
    OpportunityList: schema(opportunityListSchema, 'output'),
    OpportunityDetail: schema(opportunityDetailSchema, 'output'),
    StageRequest: schema(stageRequestSchema),
    OwnerRequest: schema(ownerRequestSchema),
    CloseRequest: schema(closeRequestSchema),
    TrialRequest: schema(trialRequestSchema),
    TrialStarted: schema(trialStartResponseSchema, 'output'),
    TrialsEnded: schema(trialEndResponseSchema, 'output'),
  };
}
