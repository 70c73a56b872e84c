// ROI from value drivers (seed 004): hours saved per week x people x hourly cost, per year,
// against the annual price delta. 10 h x 5 people x $50 = $130,000 a year vs $15,000 -> ~8.7x.
import { wholeDollars } from '../format.ts';
import type { Feature } from '../catalog/types.ts';

export const WEEKS_PER_YEAR = 52;

export interface RoiLine { feature: string; annualValue: number; sentence: string }
export interface Roi { annualValue: number; annualCost: number; multiple: number | null; lines: RoiLine[] }

export function featureAnnualValue(f: Feature): number {
  const v = f.value;
  return v ? Math.round(v.hoursPerWeek * v.people * v.hourlyCostCents * WEEKS_PER_YEAR) : 0;
}

const dollars = wholeDollars;

export function roi(features: readonly Feature[], annualCost: number): Roi {
  const lines: RoiLine[] = [];
  let annualValue = 0;
  for (const f of features) {
    const v = f.value;
    if (!v) continue;
    const value = featureAnnualValue(f);
    annualValue += value;
    lines.push({ feature: f.id, annualValue: value,
      sentence: `${f.name}: ${v.hoursPerWeek} h/week x ${v.people} people x ${dollars(v.hourlyCostCents)}/h = ${dollars(value)} a year` });
  }
  const multiple = annualCost > 0 ? Math.round((annualValue / annualCost) * 10) / 10 : null;
  return { annualValue, annualCost, multiple, lines };
}
