// Limit notices (seed 000: notify at 70, 80 and 90 % of a limit): a playbook whose trigger names
// notice levels tells the account when a meter climbs past each level, once per level, meter and
// period, with the usage, where the pace leads and the cheapest way out. A jump past several levels
// at once sends only the highest (the lower ones are moot), and a lower level never follows a higher
// one in the same period. Channels: the segment's preferred ones that can carry a notice.
import { formatLimit } from '../catalog/catalog.ts';
import { wholeDollars } from '../format.ts';
import type { Offer, PricedOption } from '../offers/offer.ts';
import type { MeterView } from '../signals/meter-view.ts';
import { daysInMonthOfDay, isoDay, monthStartDay } from '../state/time.ts';

export type NoticeChannel = 'email' | 'in_app';

export interface LimitNotice {
  meter: string;
  meterName: string;
  /** the level crossed (0.8) */
  level: number;
  /** the period it counts against: 2026-07 (monthly counters and gauges) or 2026-07-14 (daily counters) */
  period: string;
  used: number;
  limit: number;
  util: number;
  /** what the pace leads to: month-end use for a monthly counter, days to the limit otherwise */
  projection: { monthEnd?: number; daysTo100: number | null };
  /** the cheapest offer that raises this meter's limit */
  way: { key: string; name: string; monthly: number } | null;
  channels: NoticeChannel[];
  title: string;
  body: string;
}

export interface NoticeInput {
  meters: readonly MeterView[];
  offer: Offer | null;
  /** ascending shares, e.g. [0.7, 0.8, 0.9] */
  levels: readonly number[];
  /** the segment's preferred channels (offers.channels) */
  channels: readonly string[];
  /** the highest level already noticed for the meter in the period (0: none) */
  noticed: (meter: string, period: string) => number;
  planName: string;
  today: number;
}

/** The segment's channels that can carry a notice: in-app, and any kind of email. */
export function noticeChannels(preferred: readonly string[]): NoticeChannel[] {
  const out = new Set<NoticeChannel>();
  for (const c of preferred) {
    if (c === 'in_app') out.add('in_app');
    else if (c === 'email' || c.endsWith('_email')) out.add('email');
  }
  return [...out];
}

const pctOf = (x: number): string => `${Math.round(x * 100)}%`;

function cheapestWay(offer: Offer | null, meter: string, limit: number): LimitNotice['way'] {
  if (!offer) return null;
  const raises = (o: Offer | PricedOption): boolean => {
    if (o.covered.includes(`meter:${meter}`)) return true;
    if ('limitsAfter' in o) { const to = o.limitsAfter[meter]; return to === null || (to !== undefined && to > limit); }
    const l = o.limits.find((x) => x.meter === meter);
    return l !== undefined && (l.to === null || l.to > limit);
  };
  const best = [offer, ...offer.alternatives].filter(raises).sort((a, b) => a.price.monthly - b.price.monthly)[0];
  return best ? { key: best.key, name: best.name, monthly: best.price.monthly } : null;
}

export function limitNotices(i: NoticeInput): LimitNotice[] {
  const channels = noticeChannels(i.channels);
  if (channels.length === 0 || i.levels.length === 0) return [];
  const out: LimitNotice[] = [];
  for (const v of i.meters) {
    if (!Number.isFinite(v.limit) || v.limit <= 0) continue;
    const used = v.reset === 'none' ? v.current : v.periodToDate;
    const util = used / v.limit;
    const level = [...i.levels].reverse().find((l) => util >= l);
    if (level === undefined) continue;
    const period = v.reset === 'day' ? isoDay(i.today) : isoDay(i.today).slice(0, 7);
    if (i.noticed(v.id, period) >= level) continue;
    const dayOfMonth = i.today - monthStartDay(i.today) + 1;
    const monthEnd = v.reset === 'month' ? Math.round((used / dayOfMonth) * daysInMonthOfDay(i.today)) : undefined;
    const way = cheapestWay(i.offer, v.id, v.limit);
    const lines = [`${v.name}: ${formatLimit(Math.round(used))} of your ${formatLimit(v.limit)} on ${i.planName} (${pctOf(util)}).`];
    if (monthEnd !== undefined && monthEnd > v.limit) lines.push(`At this pace you will reach about ${formatLimit(monthEnd)} by the end of the month.`);
    else if (v.daysTo100 !== null && v.daysTo100 > 0) lines.push(`At this pace you reach the limit in about ${v.daysTo100} day${v.daysTo100 === 1 ? '' : 's'}.`);
    if (way) lines.push(`The simplest way to more room: ${way.name} for ${wholeDollars(way.monthly)} a month.`);
    out.push({
      meter: v.id, meterName: v.name, level, period, used, limit: v.limit, util,
      projection: { ...(monthEnd !== undefined ? { monthEnd } : {}), daysTo100: v.daysTo100 }, way, channels,
      title: `You have used ${pctOf(level)} of your ${v.name} limit`, body: lines.join(' '),
    });
  }
  return out;
}
