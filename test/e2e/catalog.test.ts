import { describe, expect, it } from 'vitest';
import { tierwise } from './cli.ts';

describe('tierwise catalog check', () => {
  it('passes the example catalog', () => {
    const r = tierwise(['catalog', 'check', '--config', 'examples/tierwise.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/catalog ok/);
    // it says what it checked, each check in words
    expect(r.stdout).toMatch(/checks run:\n(  ok {4}.+\n){9}/);
    expect(r.stdout).not.toMatch(/cents|¢|=/);
  });

  it('flags a 5x adjacent price jump, naming tiers and figures, and exits 1', () => {
    const r = tierwise(['catalog', 'check', '--config', 'test/fixtures/catalog/price-jump-5x.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR adjacent tiers are within the maximum price jump/);
    expect(r.stdout).toMatch(/ERROR\s+Basic -> Pro: /);
    expect(r.stdout).toMatch(/Basic -> Pro jumps 5x \(\$299 -> \$1,495\/mo\)/);
    const json = JSON.parse(tierwise(['catalog', 'check', '--config', 'test/fixtures/catalog/price-jump-5x.yaml', '--json']).stdout);
    expect(json.findings).toContainEqual(expect.objectContaining({ rule: 'price-jump', plans: ['basic', 'pro'], figures: expect.objectContaining({ ratio: 5 }) }));
  });

  it('flags a higher tier with a lower limit, naming the meter', () => {
    const r = tierwise(['catalog', 'check', '--config', 'test/fixtures/catalog/lower-limit.yaml', '--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.findings).toContainEqual(expect.objectContaining({
      rule: 'takes-away-limit', severity: 'error', plans: ['basic', 'pro'], meter: 'storage_gb', figures: { lower_limit: 10, higher_limit: 8 },
    }));
  });

  it('exits 2 with the path and line on an invalid config', () => {
    const r = tierwise(['catalog', 'check', '--config', 'test/fixtures/catalog/missing.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/file not found/);
  });

  it('prints a JSON Schema for editors', () => {
    const schema = JSON.parse(tierwise(['config', 'schema']).stdout);
    expect(schema.$schema).toMatch(/json-schema.org/);
    expect(schema.properties.plans.type).toBe('array');
    expect(schema.required).toEqual(expect.arrayContaining(['version', 'meters', 'plans']));
  });

  it('has --help on every command', () => {
    for (const args of [['--help'], ['catalog', 'check', '--help'], ['import', '--help'], ['config', 'schema', '--help']]) {
      const r = tierwise(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: tierwise/);
    }
  });
});

describe('docs/tierwise.schema.json', () => {
  it('is the schema the code prints (regenerate with `tierwise config schema > docs/tierwise.schema.json`)', async () => {
    const { readFileSync } = await import('node:fs');
    const { configJsonSchema } = await import('../../src/cli/config.ts');
    expect(JSON.parse(readFileSync('docs/tierwise.schema.json', 'utf8'))).toEqual(configJsonSchema());
  });
});
