// Every detector, in the order explanations list them. Adding a signal = one file + one line here.
import { criticalTicket } from './critical-ticket.ts';
import { decliningUsage } from './declining-usage.ts';
import { featureGate } from './feature-gate.ts';
import { featureRequest } from './feature-request.ts';
import { limitExceeded } from './limit-exceeded.ts';
import { lowNps } from './low-nps.ts';
import { membersRemoved } from './members-removed.ts';
import { offerDeclined } from './offer-declined.ts';
import { orgGrowth } from './org-growth.ts';
import { pastDue } from './past-due.ts';
import { powerUsers } from './power-users.ts';
import { premiumAdoption } from './premium-adoption.ts';
import { renewalWindow } from './renewal-window.ts';
import { ticketLoad } from './ticket-load.ts';
import type { Detector, Signal, SignalContext } from './types.ts';
import { usageCeiling } from './usage-ceiling.ts';

export const DETECTORS: readonly Detector[] = [
  usageCeiling, limitExceeded, featureGate, powerUsers, orgGrowth, premiumAdoption, featureRequest, renewalWindow, ticketLoad,
  decliningUsage, pastDue, criticalTicket, lowNps, membersRemoved, offerDeclined,
];

export function detectAll(ctx: SignalContext, detectors: readonly Detector[] = DETECTORS): Signal[] {
  const out: Signal[] = [];
  for (const d of detectors) {
    const s = d.detect(ctx);
    if (s && s.strength > 0) out.push(s);
  }
  return out;
}
