// The import use case: valid events go to the store in batched transactions, rejects to a sink.
import type { TierwiseEvent } from '../core/events/types.ts';
import type { EventStore } from './ports.ts';

/** An optional field set aside while its event was stored (src/sources/canonical.ts). */
export interface ImportWarning {
  line: number;
  field: string;
  value: unknown;
  why: string;
}

export type ImportItem =
  | { line: number; raw: string; event: TierwiseEvent; error?: undefined; warnings?: { field: string; value: unknown; why: string }[] }
  | { line: number; raw: string; event?: undefined; error: string };

export interface ImportStats {
  read: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** optional fields that could not be read; their events were stored without them */
  warnings: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Events per transaction of `tierwise import`. Each commit costs a WAL write of the pages it touched
 * (the dedupe index's right edge, ~10K account and usage rows), so fewer, larger commits pay that once
 * per 50,000 events; a server writing beside the import waits for one commit at most, ~0.3 s at this
 * size. docs/adr/0013-import-speed.md has the figures.
 */
export const IMPORT_BATCH = 50_000;

export interface ImportOptions {
  /** events per transaction (default IMPORT_BATCH) */
  batchSize?: number;
  onReject?: (item: { line: number; raw: string; error: string }) => void;
  onWarning?: (warning: ImportWarning) => void;
  onProgress?: (stats: ImportStats) => void;
}

export function emptyStats(): ImportStats {
  return { read: 0, accepted: 0, duplicates: 0, rejected: 0, warnings: 0, seconds: 0, eventsPerSecond: 0 };
}

export async function importItems(store: EventStore, source: AsyncIterable<ImportItem[]>, opts: ImportOptions = {}): Promise<ImportStats> {
  const batchSize = opts.batchSize ?? IMPORT_BATCH;
  const stats = emptyStats();
  const started = performance.now();
  const bulk = store.beginBulkLoad?.();
  let pending: TierwiseEvent[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const r = await store.appendEvents(pending);
    stats.accepted += r.inserted;
    stats.duplicates += r.duplicates;
    pending = [];
    stats.seconds = (performance.now() - started) / 1000;
    stats.eventsPerSecond = stats.seconds > 0 ? Math.round(stats.read / stats.seconds) : 0;
    opts.onProgress?.(stats);
  };
  try {
    for await (const items of source) {
      for (const item of items) {
        stats.read++;
        if (item.event) {
          pending.push(item.event);
          if (item.warnings) {
            for (const w of item.warnings) {
              stats.warnings++;
              opts.onWarning?.({ line: item.line, ...w });
            }
          }
          if (pending.length >= batchSize) await flush();
        } else {
          stats.rejected++;
          opts.onReject?.({ line: item.line, raw: item.raw, error: item.error });
        }
      }
    }
    await flush();
  } finally {
    // inside the measured time: the final checkpoint is part of what an import costs
    await bulk?.end();
  }
  stats.seconds = (performance.now() - started) / 1000;
  stats.eventsPerSecond = stats.seconds > 0 ? Math.round(stats.read / stats.seconds) : 0;
  return stats;
}
