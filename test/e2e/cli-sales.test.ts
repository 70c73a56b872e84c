// The sales sub-commands through the real CLI on a SQLite store (the whole walk is over HTTP in
// sales-motion.test.ts; the same app actions): raise a CSM-observed opportunity, read its checklist and
// talk track, qualify it, close a deal lost with a reason, and read the comp and economics reports.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG } from '../../src/config/load.ts';
import { importWorld } from '../support/cli-world.ts';
import { DAY, T0 } from '../support/playbook-world.ts';
import { tierwise } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-cli-sales-'));
const db = join(dir, 'store.db');
const at = (hours: number) => new Date(T0 + 21 * DAY + hours * 3_600_000).toISOString();
const cli = (...args: string[]) => tierwise([...args, '--db', db, '-c', EXAMPLE_CONFIG]);
const ok = (...args: string[]) => {
  const r = cli(...args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
};

beforeAll(() => { importWorld(dir, db); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tierwise opportunity create / qualify / close and the sales reports', () => {
  let id = '';

  it('create ACCOUNT --offer --source: a CSM-observed opportunity with its checklist and talk track', () => {
    const o = JSON.parse(ok('opportunity', 'create', 'acme', '--offer', 'pro', '--source', 'csm_observation', '--by', 'dana', '--at', at(0), '--json')) as { id: string; owner: string; source: string };
    expect(o).toMatchObject({ owner: 'dana', source: 'csm_observation' });
    id = o.id;
    const shown = ok('opportunity', id);
    expect(shown).toContain('CSM observation');
    expect(shown).toContain('[ ] Approver identified *');
    expect(shown).toContain('talk track (default)');
    expect(shown).toMatch(/Price \/ budget: .*Single sign-on/); // feature names, not ids
  });

  it('qualify ID ITEM=yes|no[:note]; Proposal is refused until every required item is met', () => {
    expect(ok('opportunity', 'qualify', id, 'budget=yes:FY26 budget', 'approver=no', '--by', 'dana', '--at', at(1))).toContain('[x] Budget confirmed (FY26 budget)');
    const r = cli('opportunity', 'stage', id, 'proposal', '--at', at(2));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Proposal needs the qualification first; not met yet: initial goals met on the current tier, customer can articulate the ROI, approver identified, decision timeline agreed');
  });

  it('close ID lost needs --reason from the taxonomy', () => {
    const r = cli('opportunity', 'close', id, 'lost', '--at', at(3));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('closing as lost needs a reason from the objections taxonomy');
    expect(ok('opportunity', 'close', id, 'lost', '--reason', 'competitor', '--note', 'trialing a rival', '--at', at(3))).toContain('closed lost by');
  });

  it('report losses / comp / economics', () => {
    expect(ok('report', 'losses', '--period', '2026-Q1')).toMatch(/by reason:\n.*\n\s+Competitor\s+1\s+100 %/);
    expect(ok('report', 'comp', '--period', '2026-Q1')).toContain('no credited deal and no quota in this period');
    const econ = ok('report', 'economics', '--period', '2026-Q1');
    expect(econ).toMatch(/csm\s+mid market\s+1\s+0\s+\$0/);
    expect(econ).toContain('new business (configured): CAC $15,000, $1.25 per $1 of ARR, payback 18.8 months');
  });
});
