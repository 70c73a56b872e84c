// The CS -> Sales hand-off as seed 004 describes it: the CSM qualifies and introduces, the AE gets the
// brief and the SLA and accepts or bounces it with a reason; a bounce gives the deal back to the CSM.
// Episodes are kept on the opportunity, so breaches of the SLA can be listed afterwards.
import { handOff, type Opportunity } from '../playbooks/opportunity.ts';
import { salesOf } from './qualification.ts';
import type { HandoffEpisode } from './types.ts';

/** The hand-offs of an opportunity, including one the scheduler made (o.handoff) before episodes were kept. */
export function episodesOf(o: Opportunity): HandoffEpisode[] {
  const list = salesOf(o).handoffs;
  const h = o.handoff;
  if (h && !list.some((e) => e.at === h.at && e.to === h.to)) return [...list, { from: h.from, to: h.to, at: h.at, dueAt: h.dueAt }];
  return list;
}

export const pendingHandoff = (o: Opportunity): HandoffEpisode | undefined => {
  const last = episodesOf(o).at(-1);
  return last && !last.decision ? last : undefined;
};

/** Hands the deal to an AE with the warm intro; the core's handOff sets the owner and the SLA. */
export function introduce(o: Opportunity, to: string, slaHours: number, intro: string | undefined, now: number): Opportunity {
  const next = handOff(o, to, slaHours, now);
  const h = next.handoff;
  if (!h) return next;
  const s = salesOf(next);
  const ep: HandoffEpisode = { from: h.from, to: h.to, at: h.at, dueAt: h.dueAt, ...(intro ? { intro } : {}) };
  return { ...next, sales: { ...s, handoffs: [...episodesOf(next).filter((e) => !(e.at === h.at && e.to === h.to)), ep] } };
}

export type HandoffDecision = { ok: true; opportunity: Opportunity } | { ok: false; reason: string };

export function decideHandoff(o: Opportunity, decision: 'accepted' | 'bounced', by: string, reason: string | undefined, now: number): HandoffDecision {
  const ep = pendingHandoff(o);
  if (!ep) return { ok: false, reason: 'no hand-off is waiting for a decision' };
  if (decision === 'bounced' && !reason?.trim()) return { ok: false, reason: 'a bounced hand-off needs a reason' };
  const decided: HandoffEpisode = { ...ep, decision, decidedAt: now, ...(reason?.trim() ? { reason: reason.trim() } : {}) };
  const episodes = episodesOf(o).map((e) => (e === ep ? decided : e));
  const late = now > ep.dueAt ? `, ${Math.ceil((now - ep.dueAt) / 3_600_000)} h past the SLA` : '';
  const s = salesOf(o);
  let next: Opportunity = { ...o, sales: { ...s, handoffs: episodes }, updatedAt: Math.max(o.updatedAt, now) };
  if (decision === 'bounced') {
    // the deal goes back to the CSM who introduced it (or stays unassigned)
    const { handoff: _h, ...rest } = next;
    next = ep.from ? { ...rest, owner: ep.from, ownerRole: 'csm' } : (({ owner: _o, ownerRole: _r, ...r }) => r)(rest);
  }
  const detail = decision === 'accepted'
    ? `AE ${ep.to} accepted the hand-off (by ${by}${late})`
    : `AE ${ep.to} bounced the hand-off back to ${ep.from ?? 'nobody'} (by ${by}${late}): ${decided.reason ?? ''}`;
  return { ok: true, opportunity: { ...next, history: [...next.history, { at: now, event: 'handoff', detail }] } };
}

export interface SlaBreach {
  opportunity: string;
  account: string;
  from: string | null;
  to: string;
  at: number;
  dueAt: number;
  /** when the AE decided, or null while it still waits */
  decidedAt: number | null;
  decision: HandoffEpisode['decision'] | null;
  hoursLate: number;
}

/** Hand-offs decided after their due time, or still undecided past it on an open deal. */
export function slaBreaches(opps: readonly Opportunity[], now: number): SlaBreach[] {
  const out: SlaBreach[] = [];
  for (const o of opps) {
    for (const e of episodesOf(o)) {
      const end = e.decidedAt ?? (o.status === 'open' ? now : (o.closedAt ?? now));
      if (end <= e.dueAt) continue;
      out.push({
        opportunity: o.id, account: o.account, from: e.from, to: e.to, at: e.at, dueAt: e.dueAt,
        decidedAt: e.decidedAt ?? null, decision: e.decision ?? null, hoursLate: Math.ceil((end - e.dueAt) / 3_600_000),
      });
    }
  }
  return out.sort((a, b) => b.hoursLate - a.hoursLate || a.opportunity.localeCompare(b.opportunity));
}
