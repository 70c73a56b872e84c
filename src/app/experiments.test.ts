// An experiment definition is checked against the configured playbooks: every mistake names its
// field and why, and a good one is stored with its step counted from 1 by people, from 0 inside.
import { describe, expect, it } from 'vitest';
import type { Playbook } from '../core/playbooks/types.ts';
import { validateExperiment } from './experiments.ts';

const playbooks = [{
  id: 'usage_limit', name: 'Usage limit upsell',
  steps: [{ day: 1, channel: 'in_app', when: 'always', template: { body: 'x' } }, { day: 3, channel: 'email', when: 'always', template: { subject: 's', body: 'y' } }],
}] as unknown as Playbook[];
const good = { id: 'exp', playbook: 'usage_limit', factor: 'copy', holdout: 0.1, variants: [{ id: 'a', template: { body: 'A' } }, { id: 'b', template: { body: 'B {{target_name}}' } }] };

describe('validateExperiment', () => {
  it('stores a good definition with defaults', () => {
    expect(validateExperiment(good, playbooks, 5)).toEqual({
      id: 'exp', name: 'Usage limit upsell: step 1 copy', playbook: 'usage_limit', step: 0, factor: 'copy', holdout: 0.1, createdAt: 5, status: 'running',
      variants: [{ id: 'a', weight: 1, template: { body: 'A' } }, { id: 'b', weight: 1, template: { body: 'B {{target_name}}' } }],
    });
    expect(validateExperiment({ ...good, step: 2, factor: 'timing', variants: [{ id: 'a', day: 3 }, { id: 'b', day: 5, weight: 2 }] }, playbooks, 0).variants)
      .toEqual([{ id: 'a', weight: 1, day: 3 }, { id: 'b', weight: 2, day: 5 }]);
    expect(validateExperiment({ ...good, factor: 'discount', holdout: 0, variants: [{ id: 'a', discount_pct: 0 }, { id: 'b', discountPct: 15 }] }, playbooks, 0).variants[1]).toEqual({ id: 'b', weight: 1, discountPct: 15 });
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ['the expansion holdout id', { id: 'expansion_holdout' }, 'id: a lower-case identifier'],
    ['an unknown playbook', { playbook: 'nope' }, 'playbook: unknown playbook "nope" (configured: usage_limit)'],
    ['a step past the end', { step: 3 }, 'step: a step of Usage limit upsell: 1 to 2, got 3'],
    ['an unknown factor', { factor: 'colour' }, 'factor: one of copy, timing, channel, discount, got "colour"'],
    ['a holdout above half', { holdout: 0.6 }, 'holdout: a share from 0 to 0.5'],
    ['one variant and no holdout', { holdout: 0, variants: [{ id: 'a', template: { body: 'A' } }] }, 'variants: two variants, or one variant and a holdout'],
    ['a duplicate variant', { variants: [{ id: 'a', template: { body: 'A' } }, { id: 'a', template: { body: 'B' } }] }, 'variants[1].id: duplicate variant id "a"'],
    ['a variant called holdout', { variants: [{ id: 'holdout', template: { body: 'A' } }] }, 'variants[0].id: a lower-case identifier (a-z, 0-9, _ . -), not "holdout"'],
    ['an unknown template variable', { variants: [{ id: 'a', template: { body: '{{nope}}' } }] }, 'variants[0].template.body: unknown template variable "{{nope}}"'],
    ['an unknown template part', { variants: [{ id: 'a', template: { footer: 'x' } }] }, 'variants[0].template.footer: unknown part'],
    ['a copy variant without copy', { variants: [{ id: 'a' }] }, 'variants[0].template: a copy variant needs a template'],
    ['a zero weight', { variants: [{ id: 'a', weight: 0, template: { body: 'A' } }] }, 'variants[0].weight: a positive number, got 0'],
    ['a timing variant without a day', { factor: 'timing', variants: [{ id: 'a' }] }, 'variants[0].day: a timing variant needs the step\'s day'],
    ['an unknown channel', { factor: 'channel', variants: [{ id: 'a', channel: 'fax' }] }, 'variants[0].channel: one of in_app, email, webhook, slack, task, got "fax"'],
    ['email on a step without a subject', { factor: 'channel', step: 1, variants: [{ id: 'a', channel: 'email' }] }, 'variants[0].channel: the step has no subject, which an email needs'],
    ['a task on a step without an owner', { factor: 'channel', variants: [{ id: 'a', channel: 'task' }] }, 'variants[0].channel: the step names no owner role'],
    ['a discount over 100', { factor: 'discount', variants: [{ id: 'a', discount_pct: 120 }] }, 'variants[0].discount_pct: a discount variant needs a percentage 0..100, got 120'],
  ];
  it.each(cases)('refuses %s, naming the field', (_what, change, message) => {
    expect(() => validateExperiment({ ...good, ...change }, playbooks, 0)).toThrow(message);
  });
});
