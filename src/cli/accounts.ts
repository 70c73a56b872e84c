// `tierwise accounts`: accounts ranked by readiness and score, with name, owner, offer and top reason.
import { planNameOf } from '../core/format.ts';
import type { Command } from 'commander';
import { ownerLabel, ownerOpportunities, resolveOwner, type OwnerView } from '../app/owners.ts';
import { STAGE_NAMES, STAGES, type Stage } from '../core/scoring/stage.ts';
import { toPlaybookSettings } from '../config/playbooks-schema.ts';
import { money, printJson, table, UsageError } from './output.ts';
import { addScoringOptions, momentJson, momentLine, withScoring, type ScoringFlags } from './score.ts';

interface AccountsFlags extends ScoringFlags { top?: string; stage?: string; segment?: string; ready?: boolean }

const stageFrom = (text: string): Stage | undefined => {
  const k = text.toLowerCase().replace(/[\s-]+/g, '_');
  return (STAGES as readonly string[]).includes(k) ? (k as Stage) : STAGES.find((s) => STAGE_NAMES[s].toLowerCase() === text.toLowerCase());
};

export interface AccountOffer { target: string; targetName: string; monthlyDelta: number; arrDelta: number; route: string }

export function registerAccounts(program: Command): void {
  addScoringOptions(program.command('accounts')
    .description('accounts ranked: ready first, then by score, with name, owner, offer and the top reason'))
    .option('--top <n>', 'how many to list', '20')
    .option('--stage <stage>', 'only this stage: initial_adoption, active_usage, power_usage, tier_ceiling')
    .option('--segment <segment>', 'only this segment: enterprise, mid_market, smb, self_serve')
    .option('--ready', 'only accounts ready for an upsell')
    .action(async (flags: AccountsFlags) => {
      const top = Number(flags.top ?? 20);
      if (!Number.isInteger(top) || top <= 0) throw new UsageError(`--top must be a positive integer, got "${flags.top}"`);
      const stage = flags.stage === undefined ? undefined : stageFrom(flags.stage);
      if (flags.stage !== undefined && !stage) throw new UsageError(`--stage must be one of ${STAGES.join(', ')}, got "${flags.stage}"`);
      const segment = flags.segment?.toLowerCase().replace(/[\s-]+/g, '_');
      await withScoring(flags, async ({ engine, store, moment, now, cfg }) => {
        // an empty --segment filters nothing, as --ready only ever asks for the ready ones
        const page = engine.page({ stage, segment: segment === '' ? undefined : segment, ready: flags.ready ? true : undefined, offset: 0, limit: top });
        const shown = engine.withWhy(page.rows);
        const members = toPlaybookSettings(cfg).team.members;
        const open = ownerOpportunities(await store.listOpportunities({ status: 'open' }));
        const rows = await Promise.all(shown.map(async (r) => {
          const rec = await store.getAccount(r.account);
          const ev = engine.explain(r.account, now);
          const o = ev?.offer;
          const offer: AccountOffer | null = o ? { target: o.target.id, targetName: o.target.name, monthlyDelta: o.price.monthly, arrDelta: o.price.arr, route: o.routing.route } : null;
          const owner: OwnerView | null = resolveOwner(rec?.traits, open.get(r.account), members);
          return { ...r, name: typeof rec?.traits.name === 'string' ? rec.traits.name : null, owner, offer };
        }));
        if (flags.json) return printJson({ moment: momentJson(moment), total: page.total, accounts: rows });
        process.stdout.write(`${momentLine(moment)}\n`);
        if (rows.length === 0) return void process.stdout.write(engine.states.size === 0 ? 'no accounts: the store holds no events yet (tierwise import FILE, or tierwise demo)\n' : 'no accounts match\n');
        process.stdout.write(`${table(['#', 'account', 'name', 'plan', 'owner', 'stage', 'score', 'ready', 'offer', 'top reason'],
          rows.map((r, i) => [i + 1, `${r.account}${r.placeholder ? ' (placeholder)' : ''}`, r.name ?? '-', planNameOf(cfg.plans, r.plan), ownerLabel(r.owner), STAGE_NAMES[r.stage], r.score, r.ready ? 'yes' : 'no',
            r.offer ? `${r.offer.targetName} +${money(r.offer.monthlyDelta)}/mo` : '-', r.ready ? r.top : (r.reasons[0] ?? r.top)]))}\n`);
        if (page.total > rows.length) process.stdout.write(`${rows.length} of ${page.total.toLocaleString('en-US')} shown (--top N for more)\n`);
      });
    });
}
