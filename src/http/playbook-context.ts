// The playbook use cases' dependencies from the server's config, as `tierwise run` builds them.
import type { PlaybookDeps } from '../app/playbook-deps.ts';
import type { Store } from '../app/ports.ts';
import { toCatalog } from '../config/catalog-from-config.ts';
import { toEngineSettings } from '../config/engine-schema.ts';
import { toChannelSettings, toPlaybookSettings, type ChannelSettings } from '../config/playbooks-schema.ts';
import { toSalesSettings } from '../config/sales-schema.ts';
import type { TierwiseConfig } from '../config/schema.ts';

export function playbookDepsFor(store: Store, cfg: TierwiseConfig, channels: ChannelSettings = toChannelSettings(cfg.channels)): PlaybookDeps {
  return {
    store, catalog: toCatalog(cfg), settings: toEngineSettings(cfg), playbooks: toPlaybookSettings(cfg), sales: toSalesSettings(cfg),
    webhook: { inApp: channels.webhook !== undefined, tasks: channels.webhook?.tasks ?? false },
    ...(cfg.channels?.email ? { emailTrait: cfg.channels.email.to_trait } : {}),
  };
}
