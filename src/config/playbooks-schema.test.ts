import { describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, loadConfig, parseConfig } from './load.ts';
import { toPlaybookSettings } from './playbooks-schema.ts';
import { readFileSync } from 'node:fs';

const base = readFileSync(EXAMPLE_CONFIG, 'utf8').split('\n# The default playbooks')[0]!;
const withPlaybook = (pb: string): string => `${base}\nplaybooks:\n${pb}`;

describe('playbooks config', () => {
  it('ships the six default playbooks', () => {
    const s = toPlaybookSettings(loadConfig(EXAMPLE_CONFIG));
    expect(s.playbooks.map((p) => p.id)).toEqual(['usage_limit', 'feature_spotlight', 'seat_pack', 'module_spotlight', 'support_upgrade', 'renewal_term', 'business_review', 'post_upgrade_activation', 'trial_conversion']);
    expect(s.playbooks[0]!.steps.map((st) => [st.day, st.channel, st.when])).toEqual([[1, 'in_app', 'always'], [3, 'email', 'no_action'], [7, 'task', 'high_value']]);
  });
  const bad: [string, string, RegExp][] = [
    ['unknown signal', '  - { id: x, name: X, trigger: { signals: [usage_cieling] }, steps: [{ day: 1, channel: in_app, body: hi }], success: { target_conversion: 0.1 } }', /playbooks\[0\]\.trigger\.signals\[0\]/],
    ['unknown channel', '  - { id: x, name: X, trigger: { signals: [usage_ceiling] }, steps: [{ day: 1, channel: fax, body: hi }], success: { target_conversion: 0.1 } }', /playbooks\[0\]\.steps\[0\]\.channel/],
    ['unknown template variable', '  - { id: x, name: X, trigger: { signals: [usage_ceiling] }, steps: [{ day: 1, channel: in_app, body: "{{mrr_secret}}" }], success: { target_conversion: 0.1 } }', /unknown template variable "\{\{mrr_secret\}\}"/],
    ['discount without a multi-year term', '  - { id: x, name: X, trigger: { signals: [renewal_window] }, renewal: { term_months: 12, discount_pct: 20 }, steps: [{ day: 1, channel: task, owner: csm, body: hi }], success: { target_conversion: 0.1 } }', /playbooks\[0\]\.renewal\.discount_pct.*multi-year/],
  ];
  for (const [name, pb, re] of bad) {
    it(`rejects ${name} with its path`, () => {
      expect(() => parseConfig(withPlaybook(pb), 't.yaml')).toThrow(re);
    });
  }
});
