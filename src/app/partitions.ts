// Accounts split into partitions by a stable hash, so several nodes can share the engine's work:
// every event, state and step of one account lives in one partition, owned by one node at a time.
export const PARTITIONS = 64;

/** FNV-1a over the UTF-16 code units: stable across processes, versions and machines. */
export function partitionOf(account: string, partitions = PARTITIONS): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < account.length; i++) {
    h ^= account.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}
