// What the dashboard needs, handed over by the composition root (compose.ts): it imports app/ and
// core/ only, so the server's context arrives as these plain parameters.
import type { Engine } from '../app/engine.ts';
import type { Moments } from '../app/moments.ts';
import type { Store } from '../app/ports.ts';
import type { Finding } from '../core/catalog/check.ts';
import type { Catalog } from '../core/catalog/types.ts';
import type { OppStage } from '../core/playbooks/opportunity.ts';
import type { Playbook, TeamMember } from '../core/playbooks/types.ts';
import type { HoldoutSetting } from '../core/experiments/types.ts';
import type { SalesSettings } from '../core/sales/types.ts';

/** The pipeline actions a CSM takes on an account's page; provided when playbooks (T4) are wired. */
export interface DashboardActions {
  startTrial(account: string, now: number, by: string): Promise<string>;
  moveStage(opportunity: string, stage: OppStage, now: number, by: string): Promise<string>;
  handOff(opportunity: string, to: string, now: number, by: string): Promise<string>;
  close(opportunity: string, won: boolean, now: number, by: string, lossReason?: string): Promise<string>;
  /** raise an opportunity by hand (src/app/sales.ts) */
  createOpportunity?(account: string, input: { offer: string; source: string; note?: string }, now: number, by: string): Promise<string>;
  qualify?(opportunity: string, answers: Record<string, { met: boolean; note?: string }>, now: number, by: string): Promise<string>;
}

export interface DashboardDeps {
  store: Store;
  catalog: Catalog;
  /** the catalog check's findings for the configured catalog */
  findings: readonly Finding[];
  /** the server's signal engine, if it runs one (ranked accounts, explain) */
  engine: () => Engine | undefined;
  /** epoch ms */
  now: () => number;
  /** engines at a moment picked on the page (`?as_of=`), shared with the HTTP API; without it pages show the wall clock */
  moments?: Moments;
  /** the config's team, so owners read as the CLI and the API show them */
  team?: readonly TeamMember[];
  playbooks?: readonly Playbook[];
  /** the expansion holdout (`experiments.holdout`), when configured */
  holdout?: HoldoutSetting;
  actions?: DashboardActions;
  /** qualification, talk tracks, objections (`sales:`) */
  sales?: SalesSettings;
  /** sessions end after this long without a request (default 12 h) */
  sessionIdleMs?: number;
  /** always mark the cookie Secure (behind a TLS-terminating proxy); otherwise only on https URLs */
  secureCookies?: boolean;
  /** honour X-Forwarded-Proto/-Host/-For (http.trust_proxy): Secure cookies and per-address login limits behind a proxy */
  trustProxy?: boolean;
  /** login attempts per client address (http.login_rate_limit); per_minute 0 disables */
  loginRate?: { perMinute: number; burst: number };
  /** seconds between refreshes of the opportunities list (default 5) */
  refreshSeconds?: number;
}
