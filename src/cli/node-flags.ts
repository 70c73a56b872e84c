// The knobs `tierwise serve` and `tierwise worker` share: the node's name and the engine's and
// scheduler's cadence.
import type { Command } from 'commander';
import { UsageError } from './output.ts';

export interface NodeFlags { node?: string; cycleMs?: string; playbookMs?: string; deliverMs?: string; saveMs?: string }

export function nodeOptions(cmd: Command): Command {
  return cmd
    .option('--node <id>', 'this node\'s name among several on one PostgreSQL store (default: host-pid-random)')
    .option('--cycle-ms <n>', 'fold new events and rescore at least every n ms (a commit by this server starts a cycle at once)', '500')
    .option('--playbook-ms <n>', 'run a scheduler pass every n ms', '60000')
    .option('--deliver-ms <n>', 'deliver the outbox every n ms', '5000')
    .option('--save-ms <n>', 'save engine states (and, on PostgreSQL, partition cursors) every n ms', '30000');
}

const ms = (flag: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 10 || n > 86_400_000) throw new UsageError(`${flag} must be a whole number of milliseconds from 10 to 86400000, got "${v}"`);
  return n;
};

export function nodeSettings(f: NodeFlags): { nodeId?: string; engineCycleMs?: number; playbookRunMs?: number; deliverMs?: number; saveMs?: number } {
  const out: ReturnType<typeof nodeSettings> = {};
  if (f.node !== undefined) {
    if (!/^[\w.:-]{1,100}$/.test(f.node)) throw new UsageError(`--node must be 1-100 letters, digits, '.', ':', '_' or '-', got "${f.node}"`);
    out.nodeId = f.node;
  }
  const c = ms('--cycle-ms', f.cycleMs);
  const p = ms('--playbook-ms', f.playbookMs);
  const d = ms('--deliver-ms', f.deliverMs);
  if (c !== undefined) out.engineCycleMs = c;
  if (p !== undefined) out.playbookRunMs = p;
  if (d !== undefined) out.deliverMs = d;
  const v = ms('--save-ms', f.saveMs);
  if (v !== undefined) out.saveMs = v;
  return out;
}

/** SIGTERM / SIGINT: stop gracefully once; a second signal exits at once. */
export function onStopSignals(name: string, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) {
      process.stderr.write(`tierwise: ${signal} again, exiting now\n`);
      process.exit(130);
    }
    stopping = true;
    process.stderr.write(`tierwise ${name}: ${signal}, shutting down\n`);
    stop().then(() => process.exit(0), (err: unknown) => {
      process.stderr.write(`tierwise ${name}: shutdown failed: ${String(err)}\n`);
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}
