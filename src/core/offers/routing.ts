// Who makes the offer and through which channels (seed 000, seed 004, DESIGN §4):
// product-led for small ARR deltas, a CSM for mid-size ones (owning < $10K, AE assisting above),
// an AE from $50K with a CSM hand-off; channels by segment.
import { wholeDollars } from '../format.ts';
import type { OfferSettings, Route, Segment } from '../scoring/settings.ts';

export interface Routing {
  route: Route;
  segment: Segment;
  channels: string[];
  /** who helps the owner: an AE on larger CSM deals */
  assist: 'ae' | null;
  /** AE-led deals: the CSM hands over with full context within the SLA */
  handoff: { from: 'csm'; to: 'ae'; slaHours: number } | null;
  reason: string;
}

const HANDOFF_SLA_HOURS = 48;
const HUMAN_CHANNELS = new Set(['csm_call', 'call', 'executive_email']);

export function segmentOf(segment: string, employees: number, cfg: OfferSettings): Segment {
  const s = segment.toLowerCase().replace(/[\s-]+/g, '_');
  if (s === 'enterprise' || s === 'mid_market' || s === 'smb' || s === 'self_serve') return s;
  if (s === 'midmarket') return 'mid_market';
  if (s === 'selfserve') return 'self_serve';
  const t = cfg.segmentByEmployees;
  return employees >= t.enterprise ? 'enterprise' : employees >= t.midMarket ? 'mid_market' : employees >= t.smb ? 'smb' : 'self_serve';
}

const dollars = wholeDollars;

export function routeOf(arrDelta: number, segment: Segment, cfg: OfferSettings): Routing {
  const r = cfg.routing;
  const channels = cfg.channels[segment] ?? [];
  if (arrDelta >= r.aeMinArr) {
    return { route: 'ae', segment, channels, assist: null, handoff: { from: 'csm', to: 'ae', slaHours: HANDOFF_SLA_HOURS },
      reason: `ARR delta ${dollars(arrDelta)} >= ${dollars(r.aeMinArr)}: an AE leads, the CSM hands over with full context` };
  }
  if (arrDelta >= r.productLedMaxArr) {
    const assist = arrDelta >= r.csmOwnsMaxArr ? 'ae' : null;
    return { route: 'csm', segment, channels, assist, handoff: null,
      reason: `ARR delta ${dollars(arrDelta)}: the CSM owns it${assist ? `, an AE assists above ${dollars(r.csmOwnsMaxArr)}` : ''}` };
  }
  // no human in a product-led motion: keep the segment's self-serve channels only
  const selfServe = channels.filter((c) => !HUMAN_CHANNELS.has(c));
  return { route: 'product_led', segment, channels: [...new Set(['in_app', 'email', ...selfServe])], assist: null, handoff: null,
    reason: `ARR delta ${dollars(arrDelta)} < ${dollars(r.productLedMaxArr)}: product-led` };
}
