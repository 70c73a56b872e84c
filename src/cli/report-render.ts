// Text and CSV renderings of the upsell reports (`tierwise report ...`). Money in the text is
// dollars; CSV keeps cents and fractions, one row per line of the text table.
import type { UpsellReportWithChecks } from '../app/reports.ts';
import type { Conversion, Distribution } from '../core/metrics/upsell-types.ts';
import type { OfferType } from '../core/offers/options.ts';
import { money, table } from './output.ts';
import { isoTime } from './score.ts';

export const REPORTS = ['funnel', 'attribution', 'activation', 'pipeline', 'forecast'] as const;
export type ReportKind = (typeof REPORTS)[number];

const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
/** below this many offers a conversion rate says nothing (its 95 % interval spans tens of points) */
export const MIN_OFFERS = 10;
const rateOf = (x: number | null, n: number): string => (n > 0 && n < MIN_OFFERS ? `too few (n=${n})` : pct(x));
const days = (d: Distribution): string => (d.count === 0 ? '-' : `median ${d.medianDays} d, mean ${d.meanDays} d, p90 ${d.p90Days} d (n=${d.count})`);

/** The rows behind each report: a header and cells, shared by the text table and the CSV. */
export function rowsOf(kind: ReportKind, r: UpsellReportWithChecks, csv: boolean): { head: string[]; rows: (string | number)[][] } {
  const m = (c: number): string | number => (csv ? c : money(c));
  const f = (x: number | null): string | number => (csv ? (x ?? '') : pct(x));
  const conv = (dim: string, list: Conversion[]): (string | number)[][] => list.map((c) => [dim, c.key, c.offers, c.upsells, csv ? f(c.conversion) : rateOf(c.conversion, c.offers), m(c.expansionMrr)]);
  switch (kind) {
    case 'funnel':
      return { head: ['stage', 'reached', 'to next'], rows: r.funnel.map((s) => [csv ? s.stage : s.name, s.reached, f(s.toNext)]) };
    case 'attribution': {
      const a = r.attribution;
      return {
        head: ['by', 'key', 'offers', 'upsells', 'conversion', 'expansion MRR'],
        rows: [...conv('signal', a.bySignal), ...conv('channel', a.byChannel), ...conv('segment', a.bySegment), ...conv('route', a.byRoute), ...conv('playbook', a.byPlaybook),
          ...conv('offer type', a.byOfferType.map((c) => ({ ...c, key: OFFER_TYPE_NAMES[c.key as OfferType] ?? c.key }))),
          ...a.lastTouch.map((l) => ['last touch', l.channel, '', l.upsells, '', m(l.expansionMrr)])],
      };
    }
    case 'activation':
      return {
        head: ['days', 'eligible', 'activated', 'rate', 'feature depth', 'unused'],
        rows: r.activation.horizons.map((h) => [h.days, h.eligible, h.activated, f(h.rate), f(h.featureDepth), h.unused.length]),
      };
    case 'pipeline':
      return {
        head: ['stage', 'open', 'ARR delta', 'median age (d)', '<=7 d', '8-30 d', '31-90 d', '>90 d', 'stale', 'unowned'],
        rows: r.pipeline.stages.map((s) => [csv ? s.stage : s.name, s.open, m(s.arrDeltaCents), s.age.medianDays ?? '-', ...s.byAge.map((n) => n), s.stale, s.unowned]),
      };
    case 'forecast':
      return {
        head: ['stage', 'exposures', 'won within a period', 'prior', 'P'],
        rows: r.forecast.stages.map((s) => [s.stage, s.exposures, s.wins, f(s.prior), f(s.probability)]),
      };
  }
}

export function renderCsv(kind: ReportKind, r: UpsellReportWithChecks): string {
  const { head, rows } = rowsOf(kind, r, true);
  const cell = (c: string | number): string => (typeof c === 'string' && /[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : String(c));
  return [head.map((h) => h.replaceAll(' ', '_').toLowerCase()), ...rows].map((row) => row.map(cell).join(',')).join('\n') + '\n';
}

/** what a person reads for each offer type */
export const OFFER_TYPE_NAMES: Record<OfferType, string> = {
  tier: 'tier upgrade', seats: 'seats', volume: 'volume pack', addon: 'add-on module', support: 'support level', term: 'longer term', bundle: 'bundle',
};

/** The funnel per offer type: opportunities, each stage reached, offers, upsells, conversion, expansion MRR. */
function byTypeLines(r: UpsellReportWithChecks): string[] {
  if (r.byOfferType.length === 0) return [];
  const stages = r.funnel.map((s) => s.name);
  return ['', 'by offer type:', table(['  offer type', ...stages, 'conversion', 'expansion MRR'], r.byOfferType.map((t) => [
    `  ${OFFER_TYPE_NAMES[t.type]}`, ...t.funnel.map((s) => s.reached), rateOf(t.conversion, t.offers), money(t.expansionMrr),
  ]))];
}

function footer(kind: ReportKind, r: UpsellReportWithChecks): string[] {
  const h = r.headline;
  switch (kind) {
    case 'funnel': return [
      `offers (reached Outreach Sent): ${h.offers}   upsells: ${h.upsells}   conversion: ${rateOf(h.conversion, h.offers)}   close rate: ${pct(h.closeRate)}   open: ${h.open} of ${h.opportunities}`,
      `(an upsell here is an opportunity won after an offer; \`tierwise metrics\` counts every expansion, offered or not)`,
      `organic upgrades (won before any outreach, not counted as offers): ${h.organicWins}`,
      `expansion MRR from upsells: ${money(h.expansionMrr)}   average upsell: ${h.averageUpsellMrr === null ? '-' : `${money(h.averageUpsellMrr)} MRR (${money(h.averageUpsellMrr * 12)} ARR)`}   (${h.realizedFromSubscriptions} of ${h.upsells} from subscription changes, the rest quoted)`,
      `time to upsell (opened -> won): ${days(h.timeToUpsell)}`,
      ...byTypeLines(r),
      `first outreach -> won: ${days(h.outreachToUpsell)}`,
      `discounts above ${r.discounts.thresholdPct}%: ${r.discounts.discounted} of ${r.discounts.upsells} upsells (${pct(r.discounts.share)}); on terms under ${r.discounts.multiYearMonths} months: ${r.discounts.outsidePolicy.length}${r.discounts.outsidePolicy.length ? ` (${r.discounts.outsidePolicy.slice(0, 5).join(', ')}${r.discounts.outsidePolicy.length > 5 ? ', ...' : ''})` : ''}`,
    ];
    case 'attribution': {
      const c = r.credit;
      return [
        'signal and playbook: first trigger; channel: every channel that reached the offer; last touch: the channel before the win',
        `credit split (CSM ${Math.round(c.split.csm * 100)}% / AE ${Math.round(c.split.ae * 100)}% when both worked it):`,
        c.people.length === 0 ? '  -' : table(['  person', 'role', 'upsells', 'shared', 'credited ARR'], c.people.map((p) => [`  ${p.person}`, p.role, p.upsells, p.shared, money(p.creditedArrCents)])),
        `product-led (no CSM or AE): ${c.productLed.upsells} upsells, ${money(c.productLed.arrCents)} ARR`,
      ];
    }
    case 'activation': {
      const a = r.activation;
      const late = a.horizons[0];
      return [
        `upgrades: ${a.upsells} (${a.limitsOnly} added no feature, only limits: not measured here)`,
        `time to first use of a gained feature: ${days(a.timeToFirstUse)}`,
        ...(late && late.unused.length > 0 ? [`unused at ${late.days} days (intervene): ${late.unused.slice(0, 10).join(', ')}${late.unused.length > 10 ? ', ...' : ''}`] : []),
      ];
    }
    case 'pipeline': return [
      `open: ${r.pipeline.open}, ${money(r.pipeline.arrDeltaCents)} ARR delta; stale = no change in ${r.pipeline.staleDays} days`,
      `hand-offs past their SLA: ${r.pipeline.overdueHandoffs.length === 0 ? 'none' : r.pipeline.overdueHandoffs.slice(0, 10).join(', ')}`,
    ];
    case 'forecast': {
      const fc = r.forecast;
      const chk = r.forecastChecks;
      return [
        `expected expansion MRR in the next ${fc.periodDays} days: ${money(fc.expectedMrr)} (of ${money(fc.pipelineMrr)} MRR open in ${fc.open} opportunities; learnt from ${fc.windows} past periods, prior worth ${fc.priorWeight} exposures)`,
        ...fc.lines.slice(0, 10).map((l) => `  ${l.opportunity}  ${l.stage}  ${money(l.monthlyDeltaCents)} x ${pct(l.probability)} = ${money(l.expectedMrr)}`),
        chk.checks.length === 0 ? 'past forecasts: none yet (needs a full period of history)' : `past forecasts (${chk.checks.length}): mean absolute error ${money(chk.meanAbsError ?? 0)}, bias ${money(chk.bias ?? 0)} (positive = too high)`,
        ...chk.checks.slice(-6).map((c) => `  as of ${isoTime(c.asOf).slice(0, 10)}: expected ${money(c.expectedMrr)}, won ${money(c.actualMrr)} (${c.wins} wins of ${c.open} open)`),
      ];
    }
  }
}

export function renderText(kind: ReportKind, r: UpsellReportWithChecks): string {
  const { head, rows } = rowsOf(kind, r, false);
  return [`${kind} as of ${isoTime(r.now)}`, table(head, rows), '', ...footer(kind, r)].join('\n') + '\n';
}
