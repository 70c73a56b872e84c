// `tierwise backtest` end to end on a small world: the table, JSON, and bad flags.
import { describe, expect, it } from 'vitest';
import { tierwise } from '../../test/e2e/cli.ts';

describe('tierwise backtest', () => {
  it('prints one row per strategy with seed 002 beside it, and the same figures as JSON', () => {
    const args = ['backtest', '--accounts', '150', '--days', '63', '--seed', '3', '--budget', '3'];
    const text = tierwise(args);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('150 accounts, 63 days, seed 3; 5 weekly decisions from day 28, budget 3 offers a week');
    for (const s of ['calendar', 'usage_ceiling', 'feature_gate', 'combined', 'random', 'oracle (truth)']) expect(text.stdout).toContain(s);
    expect(text.stdout).toMatch(/calendar\s+\d+\s+\d+\s+[\d.]+%\s+8\.0%/);
    const json = tierwise([...args, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r.results).toHaveLength(6);
    expect(r.results.find((x: { strategy: string }) => x.strategy === 'random').offers).toBe(15);
  });

  it('rejects bad numbers with exit 2', () => {
    expect(tierwise(['backtest', '--accounts', 'many'])).toMatchObject({ code: 2 });
    expect(tierwise(['backtest', '--days', '10']).stderr).toContain('--days must be an integer >= 35');
  });
});
