// The entitlements of one account as of `now`: the engine's state (plan, add-ons, units, meters)
// and the store's trials, handed to the pure computation. Active and just-ended trials both count
// by their times, so a trial past its end grants nothing even before `tierwise run` expires it.
import { entitlements, type Entitlements, type TrialGrant } from '../core/entitlements/entitlements.ts';
import { limitUsage } from '../core/entitlements/usage.ts';
import type { Engine } from './engine.ts';
import { AppError } from './errors.ts';
import type { PlaybookDeps } from './playbook-deps.ts';

export async function entitlementsFor(deps: PlaybookDeps, engine: Engine, account: string, now: number): Promise<Entitlements> {
  const s = engine.states.get(account);
  if (!s) throw new AppError('not_found', `no account "${account}"`);
  if (!s.plan) throw new AppError('not_found', `account "${account}" has no plan yet (no subscription event)`);
  if (!deps.catalog.plans.some((p) => p.id === s.plan)) throw new AppError('not_found', `account "${account}" is on plan "${s.plan}", which the catalog does not list`);
  const trials: TrialGrant[] = (await deps.store.listTrials({ account, status: 'active' }))
    .map((t) => ({ id: t.id, plan: t.plan, ...(t.addon ? { addon: t.addon } : {}), startedAt: t.startedAt, endsAt: t.endsAt }));
  return entitlements(deps.catalog, { account, plan: s.plan, holdings: s, trials, usage: limitUsage(deps.catalog, s.meters, now), now });
}
