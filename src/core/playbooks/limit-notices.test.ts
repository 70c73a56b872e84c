// Limit notices: the highest level crossed, once per meter and period, never a lower one after a
// higher, only through channels that can carry a notice.
import { describe, expect, it } from 'vitest';
import type { MeterView } from '../signals/meter-view.ts';
import { dayOf } from '../state/time.ts';
import { limitNotices, noticeChannels } from './limit-notices.ts';

const today = dayOf(Date.parse('2026-08-10T09:00:00Z'));
const meter = (over: Partial<MeterView>): MeterView => ({
  id: 'seats', name: 'Users', reset: 'none', limit: 25, current: 0, util: 0, periodToDate: 0, over: 0, sustainedDays: 0, daysAtLimit: 0,
  trend: 0, spike: false, daysTo100: null, peak: 0, ...over,
});
const run = (meters: MeterView[], noticed: (m: string, p: string) => number = () => 0, channels = ['in_app', 'automated_email']) =>
  limitNotices({ meters, offer: null, levels: [0.7, 0.8, 0.9], channels, noticed, planName: 'Pro', today });

describe('limit notices', () => {
  it('below the first level: none; past several at once: only the highest', () => {
    expect(run([meter({ current: 17 })])).toEqual([]);
    expect(run([meter({ current: 23 })]).map((n) => n.level)).toEqual([0.9]);
  });

  it('a level already noticed this period, or a higher one, sends nothing; the next level up does', () => {
    expect(run([meter({ current: 18 })], () => 0.7)).toEqual([]);
    expect(run([meter({ current: 18 })], () => 0.8)).toEqual([]);
    expect(run([meter({ current: 21 })], () => 0.7).map((n) => [n.level, n.period])).toEqual([[0.8, '2026-08']]);
  });

  it('a monthly counter counts this month\'s use and projects the month end; a daily one counts per day', () => {
    const [m] = run([meter({ id: 'api_calls', name: 'API calls', reset: 'month', limit: 10_000, periodToDate: 8_000, current: 9_500 })]);
    expect(m).toMatchObject({ level: 0.8, used: 8_000, projection: { monthEnd: 24_800 } });
    expect(m!.body).toBe('API calls: 8,000 of your 10,000 on Pro (80%). At this pace you will reach about 24,800 by the end of the month.');
    expect(run([meter({ reset: 'day', limit: 100, periodToDate: 95 })])[0]!.period).toBe('2026-08-10');
  });

  it('unlimited meters and segments without an in-app or email channel get none', () => {
    expect(run([meter({ limit: Number.POSITIVE_INFINITY, current: 1e9 })])).toEqual([]);
    expect(run([meter({ current: 23 })], () => 0, ['csm_call'])).toEqual([]);
    expect(noticeChannels(['csm_call', 'executive_email', 'in_app', 'help_content'])).toEqual(['email', 'in_app']);
  });
});
