// Usage against the plan's limit, day by day over the last 90 days, from the store's daily
// aggregates. Month-reset meters (counters) are shown period-to-date, as the limit applies to the
// month; day-reset meters per day; stock meters (gauges) as the level, carried over quiet days.
import type { UsageDay } from '../app/ports.ts';
import type { Catalog, Plan } from '../core/catalog/types.ts';

const DAY_MS = 86_400_000;
export const USAGE_DAYS = 90;

export interface MeterSeries {
  id: string;
  name: string;
  unit: string;
  reset: string;
  /** null: unlimited; undefined: the plan does not offer the meter */
  limit: number | null | undefined;
  values: number[];
  current: number;
  peak: number;
  /** days in the window at or above 80 % of the limit */
  daysOver80: number;
}

export interface UsageSeries { days: string[]; meters: MeterSeries[] }

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function usageSeries(catalog: Catalog, plan: Plan | undefined, usage: readonly UsageDay[], now: number): UsageSeries {
  const first = Math.floor(now / DAY_MS) - USAGE_DAYS + 1;
  const days = Array.from({ length: USAGE_DAYS }, (_, i) => isoDay((first + i) * DAY_MS));
  const byMeter = new Map<string, Map<string, UsageDay>>();
  for (const u of usage) {
    let m = byMeter.get(u.meter);
    if (!m) byMeter.set(u.meter, (m = new Map()));
    m.set(u.day, u);
  }
  const meters: MeterSeries[] = [];
  for (const meter of catalog.meters) {
    const rows = byMeter.get(meter.id);
    if (!rows || rows.size === 0) continue;
    // A gauge's level before the window still counts on its first day.
    let level = 0;
    for (const [d, u] of rows) if (d < (days[0] ?? '')) level = u.last;
    let monthSum = 0;
    let month = '';
    const values = days.map((d) => {
      const u = rows.get(d);
      if (meter.reset === 'none') {
        if (u) level = u.last;
        return level;
      }
      if (meter.reset === 'day') return u?.sum ?? 0;
      if (d.slice(0, 7) !== month) {
        month = d.slice(0, 7);
        monthSum = 0;
        // The window may start mid-month: add the month's earlier days.
        for (const [dd, uu] of rows) if (dd.slice(0, 7) === month && dd < d) monthSum += uu.sum;
      }
      monthSum += u?.sum ?? 0;
      return monthSum;
    });
    const limit = plan ? (meter.id in plan.limits ? plan.limits[meter.id] : undefined) : undefined;
    const finite = typeof limit === 'number' && limit > 0 ? limit : undefined;
    meters.push({
      id: meter.id, name: meter.name, unit: meter.unit, reset: meter.reset, limit, values,
      current: values[values.length - 1] ?? 0, peak: Math.max(0, ...values),
      daysOver80: finite === undefined ? 0 : values.filter((v) => v >= 0.8 * finite).length,
    });
  }
  return { days, meters };
}
