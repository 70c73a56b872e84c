// `tierwise milestones`: every account's events replayed (up to `now`) into its milestone timeline,
// then the report by segment and sign-up cohort (core/milestones/report.ts).
import type { Catalog } from '../core/catalog/types.ts';
import type { TierwiseEvent } from '../core/events/types.ts';
import type { MilestoneSettings } from '../core/milestones/milestones.ts';
import { milestoneReport, timelineOf, type MilestoneReport } from '../core/milestones/report.ts';
import type { OfferSettings } from '../core/scoring/settings.ts';
import type { EventStore } from './ports.ts';

export async function milestonesReport(store: EventStore, catalog: Catalog, ms: MilestoneSettings, offers: OfferSettings, now: number, segment?: string): Promise<MilestoneReport> {
  const byAccount = new Map<string, TierwiseEvent[]>();
  for await (const { event } of store.readEvents({ to: now + 1 })) {
    const list = byAccount.get(event.account);
    if (list) list.push(event); else byAccount.set(event.account, [event]);
  }
  const timelines = [...byAccount].map(([account, events]) => timelineOf(account, events.sort((a, b) => a.ts - b.ts), catalog, ms, offers));
  return milestoneReport(timelines, ms, now, segment);
}
