// What counts against a limit today: a gauge's latest level, a monthly counter's sum since the first
// of the month, a daily counter's sum today (the periods the meter state keeps, DESIGN §4).
import type { Catalog } from '../catalog/types.ts';
import { dayValue, sumDays } from '../state/meter-ring.ts';
import { dayOf, monthStartDay } from '../state/time.ts';
import type { MeterState } from '../state/types.ts';

export function limitUsage(catalog: Catalog, meters: Readonly<Record<string, MeterState>>, now: number): Record<string, number> {
  const today = dayOf(now);
  const out: Record<string, number> = {};
  for (const mt of catalog.meters) {
    const m = meters[mt.id];
    if (!m) { out[mt.id] = 0; continue; }
    out[mt.id] = mt.reset === 'month' ? sumDays(m, monthStartDay(today), today) : dayValue(m, today);
  }
  return out;
}
