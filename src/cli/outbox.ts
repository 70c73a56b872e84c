// `tierwise outbox`: the delivery queue (pending, retrying, dead letters, delivered) and
// `tierwise outbox retry`: dead letters back to pending, so the next `tierwise run` delivers them
// with their original idempotency key.
import type { Command } from 'commander';
import type { OutboxCounts, OutboxMessage } from '../app/ports.ts';
import type { TierwiseConfig } from '../config/schema.ts';
import { EXIT, printJson, table, UsageError } from './output.ts';
import { storeOptions, withStore, type StoreFlags } from './with-store.ts';

export const OUTBOX_STATES = ['pending', 'retrying', 'dead', 'delivered'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** `retrying`: a pending message that failed at least once (it waits for its backoff). */
export const stateOf = (m: OutboxMessage): OutboxState => (m.status === 'pending' && m.attempts > 0 ? 'retrying' : m.status);

const iso = (ms: number | undefined): string | null => (ms === undefined || ms <= 0 ? null : new Date(ms).toISOString());

export function summaryLine(c: OutboxCounts): string {
  return `outbox: ${OUTBOX_STATES.map((s) => `${c[s].toLocaleString('en-US')} ${s}`).join(', ')}`;
}

function view(m: OutboxMessage) {
  let payload: unknown = m.payload;
  try { payload = JSON.parse(m.payload); } catch { /* kept as the stored text */ }
  const live = m.status === 'pending';
  return {
    key: m.key, channel: m.channel, account: m.account, opportunity: m.opportunity ?? null, step: m.step ?? null,
    status: stateOf(m), attempts: m.attempts, nextAttemptAt: live ? iso(m.nextAt) : null, createdAt: iso(m.createdAt),
    deliveredAt: iso(m.deliveredAt), lastError: m.lastError ?? null, payload,
  };
}

/** Pending messages of a channel the config does not set up: nothing will send them until it does. */
function unconfigured(messages: readonly OutboxMessage[], channels: TierwiseConfig['channels']): { channel: string; pending: number; why: string }[] {
  const out: { channel: string; pending: number; why: string }[] = [];
  for (const channel of ['email', 'webhook', 'slack'] as const) {
    if (channels?.[channel] !== undefined) continue;
    const pending = messages.filter((m) => m.channel === channel && m.status === 'pending').length;
    const what = channel === 'email' ? 'no SMTP server' : channel === 'webhook' ? 'no webhook URL' : 'no Slack webhook';
    if (pending > 0) out.push({ channel, pending, why: `${what} is configured (channels.${channel} in tierwise.yaml, docs/playbooks.md); \`tierwise run\` would dead-letter them, \`tierwise outbox retry\` brings them back once it is set` });
  }
  return out;
}

export function registerOutbox(program: Command): void {
  const outbox = storeOptions(program.command('outbox')
    .description('the delivery outbox: messages with channel, account, attempts, next attempt and last error, and counts per status')
    .option('--status <status>', `only ${OUTBOX_STATES.join(', ')} (retrying: pending after a failed try)`)
    .option('--account <id>', 'only this account\'s messages')
    .option('--limit <n>', 'at most this many messages, by next attempt', '100')
    .addHelpText('after', `
Statuses: pending (not tried yet), retrying (failed, waiting for its backoff), dead (the dead letter:
out of attempts or a permanent failure), delivered. \`tierwise outbox retry KEY|--all-dead\` puts dead
letters back to pending; the next \`tierwise run\` delivers them with the same idempotency key.`))
    .action(async (flags: StoreFlags & { status?: string; account?: string; limit: string }) => {
      const status = flags.status as OutboxState | undefined;
      if (status !== undefined && !OUTBOX_STATES.includes(status)) throw new UsageError(`--status must be one of ${OUTBOX_STATES.join(', ')}, got "${flags.status}"`);
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit <= 0) throw new UsageError(`--limit must be a positive whole number, got "${flags.limit}"`);
      await withStore(flags, async (store, cfg) => {
        const counts = await store.countOutbox();
        const stored = status === 'retrying' || status === 'pending' ? 'pending' : status;
        const all = (await store.listOutbox({ ...(stored ? { status: stored } : {}), ...(flags.account ? { account: flags.account } : {}) }))
          .filter((m) => status === undefined || stateOf(m) === status);
        const shown = all.slice(0, limit);
        const waiting = unconfigured(all, cfg.channels);
        if (flags.json) return printJson({ counts, total: all.length, messages: shown.map(view), waiting });
        const lines = [summaryLine(counts)];
        for (const w of waiting) lines.push(`${w.pending.toLocaleString('en-US')} pending ${w.channel} message(s) wait: ${w.why}`);
        if (shown.length === 0) lines.push(`no ${status ?? ''}${status ? ' ' : ''}messages${flags.account ? ` for ${flags.account}` : ''}`);
        else {
          lines.push('', table(['key', 'channel', 'account', 'status', 'attempts', 'next attempt', 'last error'], shown.map((m) => {
            const v = view(m);
            return [v.key, v.channel, v.account, v.status, v.attempts, v.nextAttemptAt ?? '-', v.lastError ?? '-'];
          })));
          if (all.length > shown.length) lines.push(`(${shown.length} of ${all.length}; use --status, --account or --limit)`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });

  storeOptions(outbox.command('retry [key]')
    .description('put a dead letter (or --all-dead) back to pending with its attempts reset; the next `tierwise run` delivers it')
    .option('--all-dead', 'every dead letter'))
    .action(async (key: string | undefined, _opts: unknown, cmd: Command) => {
      // --db, -c and --json are also the parent's options: commander gives them to `outbox` wherever they stand
      const flags = cmd.optsWithGlobals<StoreFlags & { allDead?: boolean }>();
      if (key === undefined && !flags.allDead) throw new UsageError('outbox retry needs a message key or --all-dead');
      if (key !== undefined && flags.allDead) throw new UsageError('give a message key or --all-dead, not both');
      await withStore(flags, async (store) => {
        const requeued = await store.requeueDead(flags.allDead ? 'all' : [key!]);
        if (flags.json) printJson({ requeued: requeued.map(view) });
        if (key !== undefined && requeued.length === 0) {
          const m = (await store.listOutbox({})).find((x) => x.key === key);
          process.stderr.write(`tierwise: ${m ? `message ${key} is ${stateOf(m)}, not dead: nothing to retry` : `no outbox message with key "${key}"`}\n`);
          process.exitCode = EXIT.problems;
          return;
        }
        if (flags.json) return;
        process.stdout.write(requeued.length === 0 ? 'no dead letters to retry\n'
          : `${requeued.length} dead letter${requeued.length === 1 ? '' : 's'} back to pending; the next \`tierwise run\` delivers ${requeued.length === 1 ? 'it' : 'them'}:\n`
            + requeued.map((m) => `  ${m.key}  ${m.channel}  ${m.account}\n`).join(''));
      });
    });
}
