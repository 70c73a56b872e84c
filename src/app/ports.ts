// The ports: what the application needs from the outside world. Every store implementation
// passes the same contract suite (test/contract/store.contract.ts).
import type { AccountTraits, EventType, TierwiseEvent } from '../core/events/types.ts';

export interface AppendResult {
  inserted: number;
  duplicates: number;
}

export interface StoredEvent {
  /** the store's append order, 1-based, gap-free per store */
  seq: number;
  event: TierwiseEvent;
}

export interface EventQuery {
  account?: string;
  types?: readonly EventType[];
  /** inclusive, epoch ms */
  from?: number;
  /** exclusive, epoch ms */
  to?: number;
  /** only events appended after this seq */
  afterSeq?: number;
  limit?: number;
}

export interface AccountRecord {
  id: string;
  traits: AccountTraits;
  /** true while no `account` event has described it: created by another event type */
  placeholder: boolean;
  firstSeen: number;
  lastSeen: number;
}

/** One day of one meter: counters are summed, gauges keep the latest level. */
export interface UsageDay {
  account: string;
  meter: string;
  /** YYYY-MM-DD, UTC */
  day: string;
  sum: number;
  last: number;
  lastTs: number;
  events: number;
}

export interface EventStore {
  /** Appends the events not seen before (by id), atomically with the aggregates they change. */
  appendEvents(events: readonly TierwiseEvent[]): Promise<AppendResult>;
  countEvents(): Promise<number>;
  readEvents(query?: EventQuery): AsyncIterable<StoredEvent>;
}

export interface AccountStore {
  getAccount(id: string): Promise<AccountRecord | undefined>;
  listAccounts(): Promise<AccountRecord[]>;
  countAccounts(): Promise<number>;
  usageDays(account: string, meter?: string): Promise<UsageDay[]>;
}

/** Persisted per-account engine state, so a restart does not replay the whole log. */
export interface StateEntry {
  account: string;
  /** the serialized state, as produced by the core's serializer */
  state: string;
  /** the seq of the last event folded into it */
  seq: number;
}

export interface StateStore {
  loadState(account: string): Promise<StateEntry | undefined>;
  loadAllStates(): AsyncIterable<StateEntry>;
  /** Upserts all entries atomically. */
  saveStates(entries: readonly StateEntry[]): Promise<void>;
  /** Small named values, such as the last seq the engine folded. */
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
}

export type ApiKeyScope = 'ingest' | 'admin';

/** An API key as stored: only the sha256 of its secret part, never the key itself. */
export interface ApiKeyRecord {
  /** the public part of the key, also its primary key */
  id: string;
  name: string;
  scope: ApiKeyScope;
  /** hex sha256 of the secret part */
  hash: string;
  /** epoch ms */
  createdAt: number;
  revokedAt?: number;
}

export interface KeyStore {
  /** Adds a key; a second key with the same id is an error. */
  insertKey(key: ApiKeyRecord): Promise<void>;
  getKey(id: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, revoked ones included, oldest first. */
  listKeys(): Promise<ApiKeyRecord[]>;
  /** Marks a key revoked; false when there is no such key or it was already revoked. */
  revokeKey(id: string, at: number): Promise<boolean>;
}

export interface Store extends EventStore, AccountStore, StateStore, KeyStore {
  readonly kind: 'memory' | 'sqlite';
  close(): Promise<void>;
}
