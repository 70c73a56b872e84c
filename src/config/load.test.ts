import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, parseConfig } from './load.ts';
import { toCatalog } from './catalog-from-config.ts';
import { configIssues } from '../../test/support/config-issues.ts';

const example = readFileSync(EXAMPLE_CONFIG, 'utf8');

const issues = (text: string) => configIssues(text);

describe('tierwise.yaml', () => {
  it('loads the example: seed 004 catalog in cents, ranked, unlimited as null', () => {
    const c = toCatalog(parseConfig(example, 'example'));
    expect(c.plans.map((p) => p.id)).toEqual(['basic', 'pro', 'enterprise']);
    expect(c.plans[0]).toMatchObject({ price: { monthly: 29900, annual: 299000 }, limits: { seats: 5, storage_gb: 10, api_calls: 10000 }, support: { channels: ['email'], responseHours: 48, csm: 'none' } });
    expect(c.plans[2]?.limits['seats']).toBeNull();
    expect(c.meters.find((m) => m.id === 'api_calls')?.reset).toBe('month');
    expect(c.features.find((f) => f.id === 'advanced_analytics')?.value).toEqual({ hoursPerWeek: 10, people: 5, hourlyCostCents: 5000 });
  });

  it('names the path, the line and what was expected', () => {
    const text = example.replace('limits: { seats: 25, storage_gb: 100, api_calls: 100000, projects: 100 }', 'limits: { seats: 25, storage_gb: 100, api_calls: "lots", projects: 100 }');
    const [issue] = issues(text);
    expect(issue?.path).toBe('plans[1].limits.api_calls');
    expect(issue?.line).toBe(text.split('\n').findIndex((l) => l.includes('"lots"')) + 1);
    expect(issue?.message).toBe('expected a number >= 0 or "unlimited", got "lots"');
  });

  it('never answers with zod\'s bare "Invalid input" or "Too big": what was expected and what came', () => {
    const text = example.replace('currency: usd', 'currency: dollars');
    const [issue] = issues(text);
    expect(issue?.path).toBe('currency');
    expect(issue?.message).toBe('expected a 3-letter ISO 4217 currency code, such as usd or eur, got "dollars"');
  });

  it('reports a missing field at its parent, unknown keys, unknown meters and features, duplicate ranks', () => {
    const text = [
      'version: 1',
      'meters:',
      '  seats: { reset: none }',
      'features:',
      '  sso: { name: SSO }',
      'plans:',
      '  - id: basic',
      '    name: Basic',
      '    rank: 1',
      '    limits: { seats: 5, disk: 3 }',
      '    features: [sso, sos]',
      '    support: { channels: [email], response_hours: 48, csm: none }',
      '    colour: blue',
      '  - id: pro',
      '    name: Pro',
      '    rank: 1',
      '    price: { monthly: 100 }',
      '    limits: {}',
      '    features: []',
      '    support: { channels: [email], response_hours: 48, csm: none }',
    ].join('\n');
    const found = issues(text).map((i) => `${i.line}:${i.path}:${i.message}`);
    expect(found).toEqual(expect.arrayContaining([
      '7:plans[0].price:expected object, but it is missing',
      '13:plans[0].colour:unknown key "colour"',
    ]));
    const text2 = text.replace('    colour: blue\n', '    price: { monthly: 50 }\n');
    expect(issues(text2).map((i) => `${i.line}:${i.path}:${i.message}`)).toEqual([
      '10:plans[0].limits.disk:unknown meter "disk"; declare it under meters: (known: seats)',
      '11:plans[0].features[1]:unknown feature "sos"; declare it under features:',
      '16:plans[1].rank:duplicate rank 1 (also plans[0])',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const [issue] = issues('version: 1\nplans: [\n  - id: x\n');
    expect(issue?.line).toBeGreaterThan(1);
    expect(issue?.message).toMatch(/^YAML:/);
  });
});
