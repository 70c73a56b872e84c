import type { AccountState } from './types.ts';
import { newWeekCounter } from './week-counter.ts';

/** A fresh state. Until an `account` event arrives it is a placeholder (`described` false). */
export function emptyState(account: string): AccountState {
  return {
    account, described: false, firstTs: 0, lastTs: 0, events: 0, activity: newWeekCounter(), engage: newWeekCounter(),
    plan: '', interval: '', status: '', mrr: 0, seatsBought: 0, addons: [], units: {}, termMonths: 0, extrasChangeTs: 0, extrasTs: {}, anchorTs: 0, prevPlan: '', planChangeTs: 0, planChange: 0,
    segment: '', employees: 0, renewalTs: 0,
    meters: {}, gates: {}, features: {}, users: [],
    members: 0, membersAdded: newWeekCounter(), membersRemoved: newWeekCounter(),
    integrations: [], integrationsAdded: newWeekCounter(),
    openTickets: {}, featureAsks: newWeekCounter(),
    pastDue: [], pastDueSince: 0,
    nps: -1, npsTs: 0,
    offersShown: 0, lastOfferTs: 0, declines: 0, lastDeclineTs: 0, lastConvertTs: 0,
    unmapped: {},
  };
}
