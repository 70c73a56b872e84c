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
    expect(text.stdout).toMatch(/calendar\s+\d+\s+\d+\s+[\d.]+%\s+[\d.]+%-[\d.]+%\s+8\.0%/);
    expect(text.stdout).toMatch(/vs feature_gate\s+[+-][\d.]+ points \(95% CI [+-][\d.]+ to [+-][\d.]+\), p [=<] [\d.]+: /);
    const json = tierwise([...args, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r.results).toHaveLength(6);
    expect(r.results.find((x: { strategy: string }) => x.strategy === 'random').offers).toBe(15);
    // every rate has its interval around it, and the combined score is compared with each single source
    for (const x of r.results as { accepts: number; offers: number; conversionCi: [number, number] }[]) {
      expect(x.conversionCi[0]).toBeLessThanOrEqual(x.accepts / x.offers);
      expect(x.conversionCi[1]).toBeGreaterThanOrEqual(x.accepts / x.offers);
    }
    expect(r.combinedVs.map((c: { strategy: string }) => c.strategy)).toEqual(['calendar', 'usage_ceiling', 'feature_gate']);
    for (const c of r.combinedVs as { ci: [number, number]; verdict: string }[]) expect(c.verdict).toBe(c.ci[0] > 0 ? 'better' : c.ci[1] < 0 ? 'worse' : 'unclear');
  });

  it('rejects bad numbers with exit 2', () => {
    expect(tierwise(['backtest', '--accounts', 'many'])).toMatchObject({ code: 2 });
    expect(tierwise(['backtest', '--days', '10']).stderr).toContain('--days must be an integer >= 35');
  });
});
