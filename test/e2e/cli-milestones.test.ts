// `tierwise milestones` through the real CLI on the playbook world (two mid-market accounts since
// 2026-03-01): time to each milestone by segment and cohort, and who is stalled before which.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG } from '../../src/config/load.ts';
import { importWorld } from '../support/cli-world.ts';
import { DAY, T0 } from '../support/playbook-world.ts';
import { tierwise } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-cli-milestones-'));
const db = join(dir, 'store.db');
const config = join(dir, 'tierwise.yaml');
const cli = (...args: string[]) => tierwise([...args, '--db', db, '-c', config]);

beforeAll(() => {
  writeFileSync(config, `${readFileSync(EXAMPLE_CONFIG, 'utf8')}
milestones:
  mid_market:
    - { id: first_integration, name: First integration, when: { integrations: 1 } }
    - { id: first_report, name: First report, when: { feature: advanced_reporting } }
`);
  importWorld(dir, db, [
    { id: 'acme-int', ts: T0 + 3 * DAY, account: 'acme', type: 'integration', name: 'slack', action: 'connected' },
    { id: 'acme-rep', ts: T0 + 5 * DAY, account: 'acme', type: 'feature', feature: 'advanced_reporting', user: 'u1' },
  ]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tierwise milestones', () => {
  it('--json: median days to each milestone by segment and cohort; the stalled account with an adoption play as its next step', () => {
    const r = cli('milestones', '--as-of', '2026-03-31', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { groups: { segment: string; cohort: string | null; accounts: number; milestones: { id: string; reached: number; of: number; medianDays: number | null }[] }[]; stalled: unknown[] };
    expect(j.groups.map((g) => [g.segment, g.cohort, g.accounts])).toEqual([['mid_market', null, 2], ['mid_market', '2026-03', 2]]);
    expect(j.groups[0]!.milestones).toEqual([
      { id: 'first_integration', name: 'First integration', reached: 1, of: 2, medianDays: 3 },
      { id: 'first_report', name: 'First report', reached: 1, of: 2, medianDays: 5 },
    ]);
    expect(j.stalled).toEqual([{ account: 'late', segment: 'mid_market', cohort: '2026-03', milestone: 'First integration', daysSinceSignUp: 30.7, nextStep: 'adoption play, not upsell' }]);
  });

  it('text: one table per segment and the stalled list; --segment filters; bad usage exits 2', () => {
    const out = cli('milestones', '--as-of', '2026-03-31');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^mid_market: median days from sign-up \(reached\/accounts\)$/m);
    expect(out.stdout).toMatch(/First integration/);
    expect(out.stdout).toMatch(/^late\s+mid_market\s+2026-03\s+First integration\s+30\.7\s+adoption play, not upsell$/m);
    expect(cli('milestones', '--segment', 'smb', '--as-of', '2026-03-31', '--json').stdout).toMatch(/"groups": \[\]/);
    const bad = cli('milestones', '--segment', 'galactic');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--segment must be one of enterprise, mid_market, smb, self_serve/);
    const none = tierwise(['milestones', '--db', db, '-c', EXAMPLE_CONFIG]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no milestones in the config/);
  });
});
