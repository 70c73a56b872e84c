// `tierwise model train|evaluate|show` through the real CLI on a simulated world: the report, the
// stored versions, explain's feature contributions while the model is in use, and clear errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tierwise } from './cli.ts';

describe('tierwise model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tw-model-'));
  const db = join(dir, 'tw.db');
  beforeAll(() => {
    expect(tierwise(['simulate', '--accounts', '300', '--days', '130', '--seed', '21', '--out', dir]).code).toBe(0);
    expect(tierwise(['import', join(dir, 'events.ndjson'), '--db', db]).code).toBe(0);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says there is no model before one is trained', () => {
    const r = tierwise(['model', 'evaluate', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no model has been trained yet');
  });

  it('trains on the earlier weeks, judges on the later ones against the rules, and stores a version', () => {
    const r = tierwise(['model', 'train', '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { version: number; active: boolean; report: { fit: { to: number }; test: { from: number; rows: number }; model: { auc: number; reliability: unknown[] }; rules: { auc: number }; beatsRules: boolean } };
    expect(out.version).toBe(1);
    expect(out.report.fit.to + 30 * 86_400_000).toBeLessThanOrEqual(out.report.test.from);
    expect(out.report.test.rows).toBeGreaterThan(300);
    expect(out.report.model.auc).toBeGreaterThan(0.5);
    expect(out.report.model.reliability.length).toBe(10);
    expect(out.active).toBe(out.report.beatsRules);
    const text = tierwise(['model', 'train', '--db', db]);
    expect(text.stdout).toContain('model v2: logistic regression');
    expect(text.stdout).toMatch(/AUC\s+0\.\d{3}\s+0\.\d{3}/);
    expect(text.stdout).toContain('reliability of the model');
    expect(text.stdout).toMatch(/in use:|NOT in use:/);

    // explain carries the model's view exactly when the model is in use, and ranks inside the tier by it
    const ranked = (JSON.parse(tierwise(['accounts', '--db', db, '--json', '--top', '5']).stdout) as { accounts: { account: string; priority: number }[] }).accounts;
    const ex = JSON.parse(tierwise(['explain', ranked[0]!.account, '--db', db, '--json']).stdout) as { propensity: { probability: number; contributions: { name: string }[] } | null; priority: { within: string } };
    if (out.active) {
      expect(ex.propensity?.probability).toBeGreaterThan(0);
      expect(ex.propensity?.contributions.length).toBeGreaterThan(0);
      expect(ex.priority.within).toBe('model');
    } else {
      expect(ex.propensity).toBeNull();
      expect(ex.priority.within).toBe('score');
    }
  }, 300_000);

  it('re-checks the latest model on later weeks and records it', () => {
    const r = tierwise(['model', 'evaluate', '--db', db, '--from', '2026-03-15', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { version: number; rows: number; model: { auc: number }; rules: { auc: number }; active: boolean; beatsRules: boolean };
    expect(out.version).toBe(2);
    expect(out.rows).toBeGreaterThan(0);
    expect(out.active).toBe(out.beatsRules);
    const show = JSON.parse(tierwise(['model', 'show', '--db', db, '--json']).stdout) as { version: number; window: { snapshots: number }; evaluations: unknown[]; model: { active: boolean } };
    expect(show.version).toBe(2);
    expect(show.window.snapshots).toBeGreaterThan(out.rows);
    expect(show.evaluations).toHaveLength(1);
    expect(show.model.active).toBe(out.active);
  }, 300_000);

  it('rejects bad flags with exit 2', () => {
    expect(tierwise(['model', 'train', '--db', db, '--horizon', 'soon']).stderr).toContain('--horizon must be a positive integer');
  });
});
