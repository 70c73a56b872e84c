import type { Command } from 'commander';
import { AppError } from '../app/errors.ts';
import { API_KEY_SCOPES, createApiKey, revokeApiKey } from '../app/keys.ts';
import type { ApiKeyScope } from '../app/ports.ts';
import { EXIT, printJson, table, UsageError } from './output.ts';
import { storeOptions, withStore, type StoreFlags } from './with-store.ts';

const iso = (ms: number | undefined): string => (ms === undefined ? '' : new Date(ms).toISOString());

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('API keys for the HTTP server: ingest (write-only) or admin');

  storeOptions(keys.command('create')
    .description('create a key; it is printed once and only its hash is kept')
    .requiredOption('--scope <scope>', 'ingest or admin')
    .option('--name <name>', 'a label for the key', ''))
    .action(async (flags: StoreFlags & { scope: string; name: string }) => {
      if (!(API_KEY_SCOPES as readonly string[]).includes(flags.scope)) throw new UsageError(`--scope must be ingest or admin, got "${flags.scope}"`);
      const created = await withStore(flags, (s) => createApiKey(s, flags.scope as ApiKeyScope, flags.name, Date.now()));
      if (flags.json) printJson({ id: created.record.id, name: created.record.name, scope: created.record.scope, key: created.key });
      else process.stdout.write(`${created.key}\n`);
      process.stderr.write(`tierwise: created ${created.record.scope} key ${created.record.id}; store it now, it is not shown again\n`);
    });

  storeOptions(keys.command('list').description('list keys (ids, names, scopes; never the secrets)'))
    .action(async (flags: StoreFlags) => {
      const list = await withStore(flags, (s) => s.listKeys());
      if (flags.json) {
        printJson(list.map(({ hash: _h, ...k }) => ({ ...k, createdAt: iso(k.createdAt), ...(k.revokedAt !== undefined ? { revokedAt: iso(k.revokedAt) } : {}) })));
        return;
      }
      if (list.length === 0) {
        process.stdout.write('no API keys; create one with `tierwise keys create --scope ingest`\n');
        return;
      }
      process.stdout.write(`${table(['id', 'name', 'scope', 'created', 'revoked'], list.map((k) => [k.id, k.name, k.scope, iso(k.createdAt), iso(k.revokedAt)]))}\n`);
    });

  storeOptions(keys.command('revoke').description('revoke a key; requests with it get 401 from then on').argument('<id>', 'the key id (see keys list)'))
    .action(async (id: string, flags: StoreFlags) => {
      try {
        const k = await withStore(flags, (s) => revokeApiKey(s, id, Date.now()));
        if (flags.json) printJson({ id: k.id, revokedAt: iso(k.revokedAt) });
        else process.stdout.write(`revoked ${k.id}\n`);
      } catch (err) {
        if (err instanceof AppError) {
          process.stderr.write(`tierwise: ${err.message}\n`);
          process.exitCode = EXIT.problems;
          return;
        }
        throw err;
      }
    });
}
