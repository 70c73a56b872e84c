// Lost deals by reason (the objections taxonomy), offer type, segment and owner: which objections the
// team keeps losing to, and where. A deal the engine closed (downgrade, churn) has no recorded reason.
import type { Opportunity } from '../playbooks/opportunity.ts';
import { LOSS_REASON_NAMES } from './objections.ts';
import { salesOf } from './qualification.ts';
import { offerTypeOf } from './talk-track.ts';

export interface LossGroup { key: string; name: string; lost: number; arrCents: number; share: number }

export interface LossReport {
  lost: number;
  arrCents: number;
  byReason: LossGroup[];
  byOfferType: LossGroup[];
  bySegment: LossGroup[];
  byOwner: LossGroup[];
  deals: { opportunity: string; account: string; reason: string; note: string | null; owner: string | null; closedAt: number }[];
}

const NOT_RECORDED = 'not_recorded';

export function lossReport(opps: readonly Opportunity[]): LossReport {
  const lost = opps.filter((o) => o.status === 'lost');
  const group = (key: (o: Opportunity) => string, name: (k: string) => string): LossGroup[] => {
    const m = new Map<string, LossGroup>();
    for (const o of lost) {
      const k = key(o);
      const g = m.get(k) ?? { key: k, name: name(k), lost: 0, arrCents: 0, share: 0 };
      g.lost++;
      g.arrCents += o.arrDeltaCents;
      m.set(k, g);
    }
    for (const g of m.values()) g.share = g.lost / lost.length;
    return [...m.values()].sort((a, b) => b.lost - a.lost || b.arrCents - a.arrCents || a.key.localeCompare(b.key));
  };
  const reasonName = (k: string): string => (k === NOT_RECORDED ? 'Not recorded (closed by the engine)' : (LOSS_REASON_NAMES as Record<string, string>)[k] ?? k);
  return {
    lost: lost.length,
    arrCents: lost.reduce((a, o) => a + o.arrDeltaCents, 0),
    byReason: group((o) => salesOf(o).loss?.reason ?? NOT_RECORDED, reasonName),
    byOfferType: group(offerTypeOf, (k) => k),
    bySegment: group((o) => o.segment, (k) => k.replace(/_/g, ' ')),
    byOwner: group((o) => o.owner ?? 'unassigned', (k) => k),
    deals: lost.map((o) => {
      const l = salesOf(o).loss;
      return { opportunity: o.id, account: o.account, reason: l?.reason ?? NOT_RECORDED, note: l?.note ?? null, owner: o.owner ?? null, closedAt: o.closedAt ?? o.updatedAt };
    }).sort((a, b) => b.closedAt - a.closedAt),
  };
}
