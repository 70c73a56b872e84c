// What the playbook use cases share: the store, the catalog, the engine settings and the playbooks.
import { createHash } from 'node:crypto';
import type { Catalog } from '../core/catalog/types.ts';
import { planNameOf } from '../core/format.ts';
import type { EngineSettings } from '../core/scoring/settings.ts';
import type { Playbook, PlaybookSettings } from '../core/playbooks/types.ts';
import { DEFAULT_SALES } from '../core/sales/defaults.ts';
import type { SalesSettings } from '../core/sales/types.ts';
import type { Store } from './ports.ts';

export interface PlaybookDeps {
  store: Store;
  catalog: Catalog;
  settings: EngineSettings;
  playbooks: PlaybookSettings;
  /** send in-app prompts and CRM tasks to the product's webhook too */
  webhook?: { inApp: boolean; tasks: boolean };
  /** the account trait that holds the email recipient (channels.email.to_trait) */
  emailTrait?: string;
  /** the sales-assisted motion (`sales:`); the seeds' defaults without it */
  sales?: SalesSettings;
}

export const salesOfDeps = (deps: PlaybookDeps): SalesSettings => deps.sales ?? DEFAULT_SALES;

/** A stable, header-safe idempotency key for anything with a deterministic id. */
export function idempotencyKey(kind: string, id: string): string {
  return `tw_${kind}_${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;
}

export function playbookOf(deps: PlaybookDeps, id: string): Playbook | undefined {
  return deps.playbooks.playbooks.find((p) => p.id === id);
}

/** The plan's display name ("Basic"), or its id when the catalog no longer has it. */
export function planName(deps: PlaybookDeps, plan: string): string {
  return planNameOf(deps.catalog.plans, plan, plan);
}

/** What the talk track needs to name plans and features the way a person reads them. */
export function namesOf(deps: PlaybookDeps, account?: string): { plan: (id: string) => string; feature: (id: string) => string; account?: string } {
  const features = new Map(deps.catalog.features.map((f) => [f.id, f.name]));
  return { plan: (p) => planName(deps, p), feature: (f) => features.get(f) ?? f, ...(account ? { account } : {}) };
}

export function rankOf(catalog: Catalog): (plan: string) => number | undefined {
  const ranks = new Map(catalog.plans.map((p) => [p.id, p.rank]));
  return (plan) => ranks.get(plan);
}
