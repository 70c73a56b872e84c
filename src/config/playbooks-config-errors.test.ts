// Config errors of the playbooks section, each with the path (and line) of the offending value:
// audience plans checked against `plans:`, and the unknown names a typo produces.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, parseConfig } from './load.ts';
import { toPlaybookSettings } from './playbooks-schema.ts';
import { configIssues } from '../../test/support/config-issues.ts';

const base = readFileSync(EXAMPLE_CONFIG, 'utf8').split('\n# The default playbooks')[0]!;
const ok = '  - { id: ok, name: OK, trigger: { signals: [usage_ceiling] }, steps: [{ day: 1, channel: in_app, body: hi }], success: { target_conversion: 0.1 } }';
const withPlaybooks = (...pbs: string[]): string => `${base}\nplaybooks:\n${pbs.join('\n')}\n`;
const issuesOf = (text: string) => configIssues(text, 't.yaml');

describe('playbook audience.plans', () => {
  it('keeps the plan ids in the playbook settings', () => {
    const cfg = parseConfig(withPlaybooks('  - { id: x, name: X, audience: { plans: [basic, pro] }, trigger: { signals: [usage_ceiling] }, steps: [{ day: 1, channel: in_app, body: hi }], success: { target_conversion: 0.1 } }'), 't.yaml');
    expect(toPlaybookSettings(cfg).playbooks[0]!.audience).toEqual({ plans: ['basic', 'pro'] });
  });

  it('an unknown plan id is an error with its path, its line and the known plans', () => {
    const text = withPlaybooks(ok, ok.replace('id: ok', 'id: ok2'),
      '  - { id: x, name: X, audience: { plans: [pro, platinum] }, trigger: { signals: [usage_ceiling] }, steps: [{ day: 1, channel: in_app, body: hi }], success: { target_conversion: 0.1 } }');
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'playbooks[2].audience.plans[1]', message: 'unknown plan "platinum" (known: basic, pro, enterprise)' });
    expect(text.split('\n')[issues[0]!.line! - 1]).toContain('platinum');
    expect(() => parseConfig(text, 't.yaml')).toThrow('playbooks[2].audience.plans[1]: unknown plan "platinum" (known: basic, pro, enterprise)');
  });

  it('follows the plans of the file, not the example catalog', () => {
    const renamed = withPlaybooks('  - { id: x, name: X, audience: { plans: [basic] }, trigger: { signals: [usage_ceiling] }, steps: [{ day: 1, channel: in_app, body: hi }], success: { target_conversion: 0.1 } }')
      .replace('  - id: basic\n', '  - id: starter\n');
    expect(issuesOf(renamed)).toEqual([expect.objectContaining({ path: 'playbooks[0].audience.plans[0]', message: 'unknown plan "basic" (known: starter, pro, enterprise)' })]);
  });

  it('an empty list is an error (it would target nobody)', () => {
    const issues = issuesOf(withPlaybooks('  - { id: x, name: X, audience: { plans: [] }, trigger: { signals: [usage_ceiling] }, steps: [{ day: 1, channel: in_app, body: hi }], success: { target_conversion: 0.1 } }'));
    expect(issues.map((i) => i.path)).toEqual(['playbooks[0].audience.plans']);
  });
});

describe('playbook names a typo can break, each an error with its path', () => {
  const cases: [string, string, string, RegExp][] = [
    ['unknown trigger signal', 'trigger: { signals: [usage_cieling] }', 'playbooks[0].trigger.signals[0]', /usage_ceiling/],
    ['unknown disqualifier signal', 'trigger: { signals: [usage_ceiling] }, qualification: { disqualifiers: [pastdue] }', 'playbooks[0].qualification.disqualifiers[0]', /past_due/],
    ['unknown segment', 'trigger: { signals: [usage_ceiling] }, audience: { segments: [smb, startups] }', 'playbooks[0].audience.segments[1]', /self_serve/],
    ['unknown channel', 'trigger: { signals: [usage_ceiling] }, steps: [{ day: 1, channel: fax, body: hi }]', 'playbooks[0].steps[0].channel', /in_app/],
    ['unknown step condition', 'trigger: { signals: [usage_ceiling] }, steps: [{ day: 1, channel: in_app, when: sometimes, body: hi }]', 'playbooks[0].steps[0].when', /no_action/],
    ['unknown template variable in a body', 'trigger: { signals: [usage_ceiling] }, steps: [{ day: 1, channel: in_app, body: "{{mrr_secret}}" }]', 'playbooks[0].steps[0].body', /unknown template variable "\{\{mrr_secret\}\}" \(known: account, /],
    ['unknown template variable in a subject', 'trigger: { signals: [usage_ceiling] }, steps: [{ day: 1, channel: email, subject: "Hi {{acount_name}}", body: hi }]', 'playbooks[0].steps[0].subject', /unknown template variable "\{\{acount_name\}\}"/],
  ];
  for (const [name, fields, path, message] of cases) {
    it(name, () => {
      const pb = `  - { id: x, name: X, ${fields}${fields.includes('steps:') ? '' : ', steps: [{ day: 1, channel: in_app, body: hi }]'}, success: { target_conversion: 0.1 } }`;
      const issues = issuesOf(withPlaybooks(pb));
      expect(issues.map((i) => i.path)).toEqual([path]);
      expect(issues[0]!.message).toMatch(message);
      expect(issues[0]!.line).toBe(base.split('\n').length + 2);
    });
  }
});
