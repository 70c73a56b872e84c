// The experiment endpoints' part of /openapi.json, from the zod schemas in schemas-experiments.ts.
import { ERRORS, json, problem, queryParams, ref, schema, security } from './openapi-helpers.ts';
import { createExperimentRequestSchema, experimentReportQuerySchema } from './schemas-experiments.ts';

const BAD = { '400': problem('a body that does not match the schema, or a definition the config refuses (unknown playbook, step, template variable; code invalid_request)'), '415': problem('send application/json') };

export function experimentPaths(): Record<string, unknown> {
  return {
    '/v1/experiments': {
      get: {
        summary: 'The experiments and the expansion holdout', tags: ['experiments'], security,
        responses: { '200': { description: 'holdout (null: off) and experiments', content: json({ type: 'object' }) }, ...ERRORS },
      },
      post: {
        summary: 'Start an experiment on one playbook step (copy, timing, channel or discount); accounts are assigned by hash of their id', tags: ['experiments'], security,
        requestBody: { required: true, content: json(ref('CreateExperimentRequest')) },
        responses: { '201': { description: 'the stored experiment', content: json({ type: 'object' }) }, '409': problem('the id is taken (code conflict)'), ...BAD, ...ERRORS },
      },
    },
    '/v1/experiments/{id}/report': {
      get: {
        summary: 'Per arm: accounts, conversion, expansion MRR; the sample-ratio check; lift over the holdout and variant differences with fixed and always-valid 95 % intervals (id expansion_holdout: the expansion holdout)',
        tags: ['experiments'], security,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, ...queryParams(experimentReportQuerySchema)],
        responses: { '200': { description: 'the report (same as `tierwise experiment report --json`)', content: json({ type: 'object' }) }, '404': problem('no such experiment, or no expansion holdout configured'), ...ERRORS },
      },
    },
  };
}

export const experimentSchemas = (): Record<string, unknown> => ({ CreateExperimentRequest: schema(createExperimentRequestSchema) });
