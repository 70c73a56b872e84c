// One node's side of sharing the engine: each cycle it heartbeats through its PartitionLease, takes
// over the partitions it acquired (their saved states, then their events between their cursor and
// the engine's seq), and gives back what exceeds its share only after saving them. `active` is what
// the node's store view reads and saves: a partition joins it only once caught up, and leaves it
// before its lock is released, so a cursor is never saved ahead of the states it covers.
import type { Engine } from './engine.ts';
import { partitionOf } from './partitions.ts';
import type { PartitionLease, PartitionReader } from './ports.ts';

export interface CoordinatorReport { acquired: number[]; released: number[]; adoptedStates: number; caughtUp: number }

export class PartitionCoordinator {
  private readonly activeSet = new Set<number>();
  /** runs a change of partitions when no scheduler pass is under way (the pass reads engine states) */
  exclusive: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn();

  constructor(readonly lease: PartitionLease, private readonly reader: PartitionReader) {}

  get active(): number[] {
    return [...this.activeSet].sort((a, b) => a - b);
  }

  /** One heartbeat and rebalance; call it between engine cycles, never during one. */
  async sync(engine: Engine): Promise<CoordinatorReport> {
    const report: CoordinatorReport = { acquired: [], released: [], adoptedStates: 0, caughtUp: 0 };
    let r: Awaited<ReturnType<PartitionLease['rebalance']>>;
    try {
      r = await this.lease.rebalance();
    } catch (err) {
      // the lock connection broke: every partition may already be someone else's
      await this.exclusive(async () => this.forget(engine, [...this.activeSet]));
      throw err;
    }
    // a lock lost without us releasing it (connection reset): stop using those partitions at once
    const held = new Set(this.lease.held());
    const gone = [...this.activeSet].filter((p) => !held.has(p));
    if (gone.length > 0) await this.exclusive(async () => this.forget(engine, gone));
    if (r.surplus.length > 0) {
      await this.exclusive(async () => {
        await engine.save();
        this.forget(engine, r.surplus);
        await this.lease.release(r.surplus);
      });
      report.released = r.surplus;
    }
    if (r.acquired.length > 0) {
      await this.exclusive(async () => {
        const { states, cursor } = await this.reader.loadPartitions(r.acquired);
        report.adoptedStates = engine.adopt(states);
        const behind = [];
        for await (const e of this.reader.readPartitions(r.acquired, cursor, engine.seq)) behind.push(e);
        report.caughtUp = engine.foldBehind(behind);
        for (const p of r.acquired) this.activeSet.add(p);
      });
      report.acquired = r.acquired;
    }
    return report;
  }

  /** Saves, then gives every partition back (a graceful stop). */
  async close(engine: Engine): Promise<void> {
    const parts = this.active;
    if (parts.length > 0) {
      await engine.save();
      this.forget(engine, parts);
      await this.lease.release(parts);
    }
    await this.lease.close();
  }

  private forget(engine: Engine, parts: readonly number[]): void {
    const set = new Set(parts);
    for (const p of parts) this.activeSet.delete(p);
    engine.drop((account) => set.has(partitionOf(account)));
  }
}
