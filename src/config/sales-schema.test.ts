// The `sales:` section: the seeds' defaults, the example's values, and errors with their paths.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configIssues } from '../../test/support/config-issues.ts';
import { DEFAULT_SALES } from '../core/sales/defaults.ts';
import { EXAMPLE_CONFIG, parseConfig } from './load.ts';
import { toSalesSettings } from './sales-schema.ts';

const example = readFileSync(EXAMPLE_CONFIG, 'utf8');
const base = example.split('\n# The sales-assisted motion')[0]!;

describe('sales config', () => {
  it('defaults to the seeds without a sales: section', () => {
    const s = toSalesSettings(parseConfig(base + '\n', 't.yaml'));
    expect(s.requiredBeforeProposal).toEqual(DEFAULT_SALES.requiredBeforeProposal);
    expect(s.discounts).toMatchObject({ approvalAbovePct: 10, approvers: [{ id: 'vp_sales', name: 'Val Pierce' }] });
    expect(s.comp.split).toEqual({ csm: 0.35, ae: 0.65 });
  });

  it('reads the example: talk track, accelerators in fractions of quota, quotas, new-business cost', () => {
    const s = toSalesSettings(parseConfig(example, 't.yaml'));
    expect(s.talkTracks[0]).toMatchObject({ id: 'qbr', sources: ['qbr'] });
    expect(s.comp.roles.ae).toEqual({ ratePct: 10, accelerators: [{ aboveAttainment: 1, ratePct: 15 }], pipelineBonusCents: 0 });
    expect(s.quotas).toEqual([{ owner: 'sam', period: '2026-Q3', expansionArrCents: 15_000_000 }]);
    expect(s.economics.newBusiness).toEqual({ costCents: 60_000_000, customers: 40, arrCents: 48_000_000 });
    expect(s.economics.minutesPerTouch['task']).toBe(30);
  });

  it('names the path of an unknown owner, playbook, period, template variable and loss reason', () => {
    const text = `${base}
sales:
  quotas: [{ owner: nobody, period: 2026-Q5, expansion_arr_cents: 1 }]
  objections: { pricey: "x" }
  talk_tracks:
    - { id: t, playbooks: [nope], value_recap: "{{revenue}}", roi: r }
`;
    const issues = configIssues(text, 't.yaml').map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual(expect.arrayContaining([
      expect.stringMatching(/^sales\.quotas\[0\]\.period: a month \(2026-07\), quarter/),
      expect.stringMatching(/^sales\.objections/),
      expect.stringMatching(/^sales\.talk_tracks\[0\]\.value_recap: unknown template variable "\{\{revenue\}\}"/),
    ]));
  });

  it('checks quota owners and talk-track playbooks against team: and playbooks:', () => {
    const text = `${base}
sales:
  quotas: [{ owner: nobody, period: 2026-Q3, expansion_arr_cents: 1 }]
  talk_tracks: [{ id: t, playbooks: [nope], value_recap: v, roi: r }]
`;
    expect(configIssues(text, 't.yaml').map((i) => `${i.path}: ${i.message}`)).toEqual([
      'sales.talk_tracks[0].playbooks[0]: unknown playbook "nope" (known: none)',
      'sales.quotas[0].owner: unknown team member "nobody" (known: dana, lee, sam, vp_sales)',
    ]);
  });
});
