// Which candidate to recommend (seed 001's five expansion types, seed 002's add-ons bridging the tiers):
// the cheapest offer that fully covers the observed needs with headroom; the tier when the add-ons
// cost as much or more, or leave a need uncovered; a longer term when the only need is the renewal.
import { dollars } from '../format.ts';
import type { Need } from './needs.ts';
import { MULTI_YEAR_MONTHS } from './terms.ts';
import { movesPlan, type OfferOption } from './options.ts';

export interface Recommendation { chosen: OfferOption; why: string }

const cheapest = (xs: readonly OfferOption[]): OfferOption | undefined => [...xs].sort((a, b) => a.price.monthly - b.price.monthly || a.items.length - b.items.length)[0];
const mo = (o: OfferOption): string => `${dollars(o.price.monthly)}/mo`;

export function recommend(options: readonly OfferOption[], needs: readonly Need[]): Recommendation | null {
  const expansion = needs.filter((n) => n.kind !== 'term');
  const labels = new Map(needs.map((n) => [n.id, n.label]));
  if (expansion.length === 0) {
    const terms = options.filter((o) => o.type === 'term');
    if (needs.some((n) => n.kind === 'term') && terms.length > 0) {
      const chosen = terms.find((o) => (o.term?.months ?? 0) >= MULTI_YEAR_MONTHS) ?? terms[terms.length - 1]!;
      return { chosen, why: `a healthy account at its renewal: ${chosen.name} commits ${dollars(chosen.term?.committed ?? 0)} over ${chosen.term?.months} months` };
    }
    const tier = options.find(movesPlan);
    return tier ? { chosen: tier, why: `no limit or paywall need observed: the next tier, ${tier.name}` } : null;
  }
  const extras = cheapest(options.filter((o) => !movesPlan(o) && o.type !== 'term' && o.fullyCovers));
  const tier = cheapest(options.filter((o) => movesPlan(o) && o.fullyCovers));
  if (extras && (!tier || extras.price.monthly < tier.price.monthly)) {
    return { chosen: extras, why: `${extras.name} covers every need for ${mo(extras)}${tier ? `, less than ${tier.name} at ${mo(tier)}` : ''}` };
  }
  if (tier) {
    if (extras) return { chosen: tier, why: `${tier.name} covers every need for ${mo(tier)}; add-ons would cost ${mo(extras)} (${extras.name})` };
    const best = [...options].filter((o) => !movesPlan(o) && o.type !== 'term').sort((a, b) => b.covered.length - a.covered.length)[0];
    const left = best ? best.uncovered : expansion.map((n) => n.id);
    return { chosen: tier, why: `${tier.name} covers every need; no add-on covers ${left.map((id) => labels.get(id) ?? id).join('; ')}` };
  }
  const partial = [...options].filter((o) => o.type !== 'term').sort((a, b) => b.covered.length - a.covered.length || a.price.monthly - b.price.monthly)[0];
  if (!partial) return null;
  return { chosen: partial, why: `nothing covers every need; ${partial.name} covers the most, still short on ${partial.uncovered.map((id) => labels.get(id) ?? id).join('; ')}` };
}
