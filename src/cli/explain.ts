// `tierwise explain ACCOUNT`: state, every signal with its evidence, stage, score breakdown,
// qualification and the offer (target tier, prorated price, ROI, route, message).
import type { Command } from 'commander';
import type { Offer, PricedOption } from '../core/offers/offer.ts';
import type { Evaluation } from '../core/scoring/evaluate.ts';
import { STAGE_NAMES } from '../core/scoring/stage.ts';
import type { AccountState } from '../core/state/types.ts';
import { EXIT, money, printJson, table } from './output.ts';
import { addScoringOptions, isoTime, momentJson, momentLine, withScoring, type ScoringFlags } from './score.ts';
import { ownerLabel, ownerOpportunity, resolveOwner } from '../app/owners.ts';
import { toPlaybookSettings } from '../config/playbooks-schema.ts';

export function registerExplain(program: Command): void {
  addScoringOptions(program.command('explain')
    .description('why an account scores what it does: signals with evidence, stage, score, qualification, offer')
    .argument('<account>', 'account id'))
    .action(async (account: string, flags: ScoringFlags) => {
      await withScoring(flags, async ({ engine, now, store, moment, cfg }) => {
        const ev = engine.explain(account, now);
        const state = engine.states.get(account);
        if (!ev || !state) {
          process.stderr.write(`tierwise: no account "${account}" in the store\n`);
          process.exitCode = EXIT.problems;
          return;
        }
        const record = await store.getAccount(account);
        const name = typeof record?.traits.name === 'string' ? record.traits.name : '';
        const opp = ownerOpportunity(await store.listOpportunities({ account, status: 'open' }));
        const owner = resolveOwner(record?.traits, opp, toPlaybookSettings(cfg).team.members);
        if (flags.json) return printJson({ moment: momentJson(moment), name, owner, state: stateSummary(state), ...ev, meters: ev.meters.filter((m) => m.current > 0 || m.over > 0) });
        process.stdout.write(render(ev, state, name, now, `${momentLine(moment)}\n  owner: ${ownerLabel(owner)}`));
      });
    });
}

function stateSummary(s: AccountState) {
  return {
    plan: s.plan, interval: s.interval, status: s.status, mrr: s.mrr, segment: s.segment, employees: s.employees, members: s.members,
    integrations: s.integrations, openTickets: Object.keys(s.openTickets).length, pastDueInvoices: s.pastDue.length, nps: s.nps < 0 ? null : s.nps,
    firstSeen: isoTime(s.firstTs), lastSeen: isoTime(s.lastTs), events: s.events, renewalAt: s.renewalTs > 0 ? isoTime(s.renewalTs) : null,
    offersShown: s.offersShown, declines: s.declines,
  };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

function render(ev: Evaluation, s: AccountState, name: string, now: number, header: string): string {
  const out: string[] = [];
  out.push(`${ev.account}${name ? `  ${name}` : ''}   ${header}`);
  if (ev.placeholder) out.push('  PLACEHOLDER: no account event has described this account yet; it was created by its other events');
  if (ev.unknownPlan) out.push(`  plan "${ev.plan}" is not in the catalog`);
  out.push(`  plan ${s.plan || '-'} (${s.interval || '-'}, ${s.status || '-'}), MRR ${money(s.mrr)}, ${s.members} members, ${ev.activeUsers} active users, segment ${s.segment || '-'}, ${s.events.toLocaleString('en-US')} events since ${isoTime(s.firstTs).slice(0, 10)}`);
  if (ev.adoption !== null) out.push(`  adoption of the current plan's features: ${pct(ev.adoption)}`);
  const meters = ev.meters.filter((m) => m.current > 0 || m.over > 0);
  if (meters.length > 0) {
    out.push('', 'meters:');
    out.push(table(['meter', 'current', 'limit', 'util', 'sustained', 'over', 'days to 100%'], meters.map((m) => [
      m.id, Math.round(m.current * 100) / 100, Number.isFinite(m.limit) ? m.limit : 'unlimited', Number.isFinite(m.limit) ? pct(m.util) : '-',
      `${m.sustainedDays} d`, m.over, m.daysTo100 === null ? '-' : m.daysTo100])).replace(/^/gm, '  '));
  }
  const unmapped = Object.entries(ev.unmapped);
  if (unmapped.length > 0) out.push(`  unmapped (not in the catalog): ${unmapped.map(([k, n]) => `${k} x${n}`).join(', ')}`);
  out.push('', 'signals:');
  if (ev.signals.length === 0) out.push('  none');
  for (const sig of ev.signals) out.push(`  ${sig.kind === 'positive' ? '+' : '-'} ${sig.id.padEnd(17)} ${sig.strength.toFixed(2)}  ${sig.evidence.sentence}`);
  out.push('', `stage: ${STAGE_NAMES[ev.stage.stage]} (${ev.stage.rule})`);
  out.push('', `score: ${ev.score.score}/100`);
  for (const c of ev.score.contributions) out.push(`  ${c.points >= 0 ? '+' : ''}${c.points.toFixed(1).padStart(5)}  ${c.id} (strength ${c.strength.toFixed(2)} x weight ${c.weight})`);
  out.push('', `qualification: ${ev.qualification.ready ? 'READY' : 'not ready'}`);
  for (const c of ev.qualification.checks) out.push(`  ${c.ok ? 'ok ' : 'NO '} ${c.reason}`);
  if (ev.propensity) {
    out.push('', `propensity: ${(ev.propensity.probability * 100).toFixed(1)}% chance of expanding within ${ev.propensity.horizonDays} days (the trained model; what moved it, in log-odds against the average account):`);
    for (const c of ev.propensity.contributions) out.push(`  ${c.logOdds >= 0 ? '+' : ''}${c.logOdds.toFixed(2).padStart(5)}  ${c.name} = ${c.value}`);
  }
  out.push('', `priority: ${ev.priority.value} - ${ev.priority.reason}`);
  if (ev.offer) out.push('', ...offerLines(ev.offer));
  return `${out.join('\n')}\n`;
}

const signed = (c: number): string => (c < 0 ? `-${money(-c)}` : `+${money(c)}`);

/** The recommendation and its alternatives side by side: price, what each covers, ROI. */
export function offerLines(o: Offer): string[] {
  const out: string[] = [];
  out.push(`offer: ${o.name} (${o.type})${o.covers ? '' : ` - best available; still short on ${o.shortfalls.join('; ')}`}`);
  out.push(`  why: ${o.why}`);
  if (o.needs.length > 0) {
    out.push('  needs:');
    for (const n of o.needs) out.push(`    - ${n.label}`);
  }
  const label = new Map(o.needs.map((n) => [n.id, n.label.split(':')[0]!.replace(/ \(met the paywall\)$/, '')]));
  const row = (x: PricedOption | Offer, mark: string): (string | number)[] => [
    `${mark} ${x.name}`, x.type, `${signed(x.price.monthly)}/mo`, x.price.annual === null ? '-' : `${signed(x.price.annual)}/yr`, signed(x.price.arr),
    x.proration ? signed(x.proration.net) : '-',
    x.covered.map((id) => label.get(id) ?? id).join(', ') || '-',
    x.roi.multiple === null || x.roi.annualValue === 0 ? '-' : `${x.roi.multiple}x`,
  ];
  out.push(table(['option', 'type', 'monthly', 'annual', 'ARR delta', 'prorated now', 'covers', 'ROI'], [row(o, '*'), ...o.alternatives.map((a) => row(a, ' '))]).replace(/^/gm, '  '));
  if (o.term) out.push(`  term: ${o.term.name}, ${o.term.discountPct}% off, ${money(o.term.annual)} a year, ${money(o.term.committed)} committed over ${o.term.months} months`);
  if (o.proration) out.push(`  taking it now: ${money(o.proration.net)} prorated (credit -${money(-o.proration.credit)}, charge ${money(o.proration.charge)}, ${Math.round(o.proration.remainingSeconds / 86400)} of ${Math.round(o.proration.periodSeconds / 86400)} days left)`);
  if (o.roi.lines.length > 0) {
    out.push(`  ROI: ${money(o.roi.annualValue)} a year of value vs ${money(o.roi.annualCost)} a year${o.roi.multiple !== null ? ` = ${o.roi.multiple}x` : ''}`);
    for (const l of o.roi.lines) out.push(`    ${l.sentence}`);
  }
  for (const n of o.notes) out.push(`  left out: ${n}`);
  if (o.trial.days > 0) out.push(`  trial: ${o.trial.days} days of ${o.plan.name}`);
  out.push(`  route: ${o.routing.route}${o.routing.assist ? ` (+${o.routing.assist})` : ''} via ${o.routing.channels.join(', ')} - ${o.routing.reason}`);
  if (o.routing.handoff) out.push(`  hand-off: ${o.routing.handoff.from} -> ${o.routing.handoff.to} within ${o.routing.handoff.slaHours} h, with this explanation`);
  out.push(`  message: ${o.message}`);
  return out;
}
