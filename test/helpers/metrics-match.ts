// Shared assertions for the revenue metrics tests: partial deep match with a numeric tolerance,
// and the reconciliation identity.
import { expect } from 'vitest';
import type { RevenueReport } from '../../src/core/metrics/types.ts';

/** Partial deep match; numbers within 1e-9 (fractions in the fixture tables are written to 10 digits). */
export function expectMatch(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), `${path}: ${actual} vs ${expected}`).toBeLessThan(1e-9);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    expected.forEach((x, i) => expectMatch((actual as unknown[])[i], x, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    expect(actual, path).toBeTypeOf('object');
    for (const [k, v] of Object.entries(expected)) expectMatch((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
  } else {
    expect(actual, path).toEqual(expected);
  }
}

/** start + new + expansion + reactivation - contraction - churn = end, every period, to the cent; periods chain. */
export function expectReconciled(report: RevenueReport): void {
  let prevEnd: number | undefined;
  for (const p of [...report.periods, report.total]) {
    expect(p.startMrr + p.new + p.expansion + p.reactivation - p.contraction - p.churn, `${p.period} reconciles`).toBe(p.endMrr);
    expect(Number.isInteger(p.endMrr), `${p.period} end MRR in whole cents`).toBe(true);
    if (p !== report.total && prevEnd !== undefined) expect(p.startMrr, `${p.period} starts where the last ended`).toBe(prevEnd);
    prevEnd = p.endMrr;
  }
}
