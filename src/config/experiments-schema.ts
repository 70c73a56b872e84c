// The `experiments:` section of tierwise.yaml: the expansion holdout. Experiments themselves are
// created with `tierwise experiment create` (or the API) and kept in the store.
import { z } from 'zod';
import type { HoldoutSetting } from '../core/experiments/types.ts';

export const experimentsConfigSchema = z.object({
  holdout: z.object({
    share: z.number().min(0).max(0.5).default(0).describe('share of accounts kept out of every play (0.05 = 5 %), so organic expansion is measured beside the plays; 0 = off'),
    salt: z.string().min(1).default('tierwise-holdout').describe('mixed into the hash of the account id: a new salt draws a new holdout'),
  }).strict().default({ share: 0, salt: 'tierwise-holdout' }),
}).strict().describe('the expansion holdout; A/B experiments on playbook steps are created with `tierwise experiment create`');

export type ExperimentsConfig = z.output<typeof experimentsConfigSchema>;

/** Off (undefined) unless a positive share is configured. */
export function toHoldoutSetting(c: ExperimentsConfig | undefined): HoldoutSetting | undefined {
  return c && c.holdout.share > 0 ? { share: c.holdout.share, salt: c.holdout.salt } : undefined;
}
