// The sales part of `tierwise opportunity ID`: qualification checklist, talk track, hand-offs, quotes, loss and credit.
import type { Opportunity } from '../core/playbooks/opportunity.ts';
import { episodesOf } from '../core/sales/handoff.ts';
import { LOSS_REASON_NAMES } from '../core/sales/objections.ts';
import { checklist, salesOf } from '../core/sales/qualification.ts';
import { renderTalkTrack, talkTrackText, type NameLookup } from '../core/sales/talk-track.ts';
import type { SalesSettings } from '../core/sales/types.ts';
import { money } from './output.ts';
import { isoTime } from './score.ts';

export function salesLines(o: Opportunity, s: SalesSettings, names: NameLookup): string[] {
  const sales = salesOf(o);
  const out = ['', 'qualification:', ...checklist(o, s.requiredBeforeProposal).map((r) =>
    `  [${r.met === true ? 'x' : r.met === false ? '-' : ' '}] ${r.name}${r.note ? ` (${r.note})` : ''}${r.required ? ' *' : ''}`), '  (* required before Proposal)'];
  const eps = episodesOf(o);
  if (eps.length > 0) {
    out.push('', 'hand-offs:', ...eps.map((e) => `  ${isoTime(e.at)}  ${e.from ?? '-'} -> ${e.to}, due ${isoTime(e.dueAt)}: ${e.decision ? `${e.decision} ${isoTime(e.decidedAt ?? 0)}${e.reason ? ` (${e.reason})` : ''}` : 'waiting'}${e.intro ? `; intro: ${e.intro}` : ''}`));
  }
  if (sales.quotes.length > 0) {
    out.push('', 'quotes:', ...sales.quotes.map((q) => `  ${q.discountPct} % off, ${q.termMonths} months (term rules allow ${q.allowedPct} %): ${q.status.replace('_', ' ')}${q.decidedBy ? ` by ${q.decidedBy}` : ''}${q.reason ? ` (${q.reason})` : ''}`));
  }
  if (sales.loss) out.push('', `lost to: ${LOSS_REASON_NAMES[sales.loss.reason]}${sales.loss.note ? ` (${sales.loss.note})` : ''}`);
  if (sales.credit) out.push('', 'credit:', ...sales.credit.map((c) => `  ${c.role} ${c.person}: ${c.pct} %, ${money(c.arrCents)} ARR`));
  if (o.status === 'open') out.push('', ...talkTrackText(renderTalkTrack(o, s, names)));
  return out;
}
