// Helpers that build /openapi.json pieces from the zod schemas (JSON Schema 2020-12 is OpenAPI 3.1's dialect).
import { z } from 'zod';

export const schema = (s: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (s: unknown) => ({ 'application/json': { schema: s } });
export const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

export const ERRORS = {
  '401': problem('no key, or an unknown or revoked one (code unauthorized)'),
  '403': problem('the key lacks the scope (code forbidden)'),
  '429': problem('rate limit of the key reached; see Retry-After (code rate_limited)'),
};
export const INGEST_ERRORS = {
  ...ERRORS,
  '400': problem('invalid JSON, or (Segment) batch over 500 KB / message over 32 KB'),
  '413': problem('body over the size limit (code payload_too_large)'),
  '415': problem('unsupported Content-Type or Content-Encoding'),
  '422': problem('no item in the request is valid; `errors` lists why (code invalid_events)'),
  '503': problem('ingest queue full; retry after Retry-After (code overloaded)'),
};
/** Query parameters from the zod object that validates them. */
export function queryParams(s: z.ZodObject): Record<string, unknown>[] {
  const js = schema(s) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, p]) => {
    const { description, ...rest } = p;
    return { name, in: 'query', required: js.required?.includes(name) ?? false, schema: rest, ...(description ? { description } : {}) };
  });
}
export const security = [{ bearer: [] }, { basic: [] }];

