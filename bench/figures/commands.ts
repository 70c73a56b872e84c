// What a user waits for at the command line on a 1M-event store (issue 13, part 3; ADR 0007):
// `accounts --json` and `explain --as-of`, each a whole `tierwise` process (start-up included).
// Commands read the persisted state and fold only new events; an `--as-of` before the newest event
// replays from the nearest state checkpoint. The reference, measured in the same run, is the same
// `explain --as-of` on a copy of the store without checkpoints: the replay from event 0 that every
// `--as-of` was before.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { simulateWorld } from './simulate.ts';
import { repeat, tierwiseCli, type BenchContext, type Figure } from '../lib.ts';

const timed = (args: string[]): number => {
  const t = performance.now();
  tierwiseCli(args);
  return (performance.now() - t) / 1000;
};

export async function commandFigures(ctx: BenchContext): Promise<Figure[]> {
  const accounts = ctx.quick ? 1_200 : 6_000; // 6,000 accounts x 90 days: about 1.02M events
  const { world } = simulateWorld(ctx, 'commands-world', accounts, 90);
  const db = join(ctx.tmp, 'commands.db');
  tierwiseCli(['import', world.events, '--db', db, '--json']);
  const last = '2026-03-31'; // the simulated world's last day (it starts 2026-01-01, 90 days)
  const mid = '2026-03-15';
  const million = `${(world.count / 1e6).toFixed(2)}M`;
  ctx.log(`commands: ${world.count.toLocaleString('en-US')} events of ${accounts.toLocaleString('en-US')} accounts imported`);

  // the first command after an import folds the whole log once (and writes the checkpoints)
  const first = timed(['accounts', '--json', '--as-of', last, '--db', db]);
  const cps = new Database(db, { readonly: true });
  const n = (cps.prepare('SELECT count(*) AS n FROM checkpoints').get() as { n: number }).n;
  cps.close();
  ctx.log(`commands: first command after import ${first.toFixed(1)} s (folds the log, ${n} checkpoints written)`);

  const account = (JSON.parse(tierwiseCli(['accounts', '--json', '--top', '1', '--as-of', last, '--db', db])) as { accounts: { account: string }[] }).accounts[0]?.account ?? 'acc-000001';
  const accountsAt = await repeat(ctx.runs, () => timed(['accounts', '--json', '--as-of', last, '--db', db]));
  const accountsNow = await repeat(ctx.runs, () => timed(['accounts', '--json', '--db', db]));
  const explainPast = await repeat(ctx.runs, () => timed(['explain', account, '--as-of', mid, '--json', '--db', db]));

  const bare = join(ctx.tmp, 'commands-no-checkpoints.db');
  copyFileSync(db, bare);
  const w = new Database(bare);
  w.exec('DELETE FROM checkpoints; DELETE FROM checkpoint_states;');
  w.close();
  const replay = await repeat(ctx.runs, () => timed(['explain', account, '--as-of', mid, '--json', '--db', bare]));

  return [
    { name: `accounts --json on a ${million}-event store (as of its last day)`, unit: 's', ours: accountsAt.median, min: accountsAt.min, max: accountsAt.max, runs: accountsAt.runs,
      note: `${accounts.toLocaleString('en-US')} accounts, every one scored; reads the persisted state; the first command after the import folds the log once: ${first.toFixed(1)} s` },
    { name: `accounts --json on a ${million}-event store (now, stale data)`, unit: 's', ours: accountsNow.median, min: accountsNow.min, max: accountsNow.max, runs: accountsNow.runs },
    { name: `explain --as-of ${mid} on a ${million}-event store`, unit: 's', ours: explainPast.median, min: explainPast.min, max: explainPast.max, runs: explainPast.runs,
      reference: { name: 'the same without checkpoints (replay from event 0)', value: replay.median },
      note: `from the nearest of ${n} weekly checkpoints; replay from event 0: ${replay.median.toFixed(1)} s` },
  ];
}
