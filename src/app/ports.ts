// The ports: what the application needs from the outside world. Every store implementation
// passes the same contract suite (test/contract/store.contract.ts).
import type { AccountTraits, EventType, TierwiseEvent } from '../core/events/types.ts';
import type { Brief, OppStage, Opportunity } from '../core/playbooks/opportunity.ts';
import type { Step, StepStatus } from '../core/playbooks/steps.ts';
import type { Touch } from '../core/playbooks/touches.ts';
import type { OwnerRole } from '../core/playbooks/types.ts';

export interface AppendResult {
  inserted: number;
  duplicates: number;
  /**
   * the events this call stored, with the seqs they took, in seq order: only when asked for
   * (`keep`) and the store can tell without reading them back (the server's engine folds them
   * from here instead of re-reading and re-parsing the log)
   */
  stored?: StoredEvent[];
}

export interface AppendOptions {
  /** return `stored` if the store can */
  keep?: boolean;
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
  appendEvents(events: readonly TierwiseEvent[], opts?: AppendOptions): Promise<AppendResult>;
  countEvents(): Promise<number>;
  readEvents(query?: EventQuery): AsyncIterable<StoredEvent>;
  /**
   * The newest event's `ts` (epoch ms), 0 for an empty log: where the data ends, for the one-clock
   * stale-data warning (docs/adr/0011-one-clock.md). Must not scan the log (an index on ts).
   */
  latestEventTs(): Promise<number>;
  /**
   * Optional: a bulk load is starting (tierwise import). The store may trade work between commits for
   * speed, never the durability of a committed appendEvents; `end` restores the live settings and makes
   * what was loaded durable. Stores without it load the same way as live ingest.
   */
  beginBulkLoad?(): BulkLoad;
}

export interface BulkLoad {
  end(): Promise<void>;
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
  /**
   * Optional: saves states together with the seq the engine folded up to, in one transaction (on a
   * PostgreSQL node, the cursor of each partition it owns). Without it: saveStates, then the meta seq.
   */
  saveFold?(entries: readonly StateEntry[], seq: number): Promise<void>;
  /** Every meta value, by key (`tierwise db copy`). */
  listMeta(): Promise<[string, string][]>;
}

/**
 * A state checkpoint (docs/adr/0011-one-clock.md): every account's state as of `at`, so `--as-of`
 * folds from the nearest checkpoint instead of event 0. It holds exactly the events with
 * seq <= `seq`, all of them with ts < `at`; an as-of replay to T >= at folds the events with
 * seq > `seq` and ts < T on top and gets what a replay from event 0 gets.
 */
export interface CheckpointInfo { at: number; seq: number }

export interface CheckpointStore {
  /**
   * Saves a checkpoint with the states of the accounts changed since the previous one (an account
   * missing here is as it was in an earlier checkpoint), atomically. Saving an `at` again replaces it.
   */
  saveCheckpoint(cp: CheckpointInfo, entries: readonly StateEntry[]): Promise<void>;
  /** The newest checkpoint with at <= t (pass Infinity for the newest of all), or undefined. */
  findCheckpoint(t: number): Promise<CheckpointInfo | undefined>;
  /** The states as of checkpoint `at`: for each account, its entry in the newest checkpoint at or before `at`, by account. */
  loadCheckpoint(at: number): AsyncIterable<StateEntry>;
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

/** A CSM / AE task raised by a playbook step (the `task` channel). */
export interface TaskRecord {
  id: string;
  account: string;
  opportunity: string;
  playbook: string;
  role: OwnerRole;
  owner?: string;
  title: string;
  body: string;
  brief: Brief;
  createdAt: number;
  dueAt: number;
  status: 'open' | 'done';
}

export type OutboxChannel = 'email' | 'webhook' | 'slack' | 'hubspot' | 'salesforce';

/** A message waiting for delivery: at-least-once, keyed by its idempotency key (DESIGN §6). */
export interface OutboxMessage {
  key: string;
  channel: OutboxChannel;
  account: string;
  opportunity?: string;
  step?: string;
  /** the rendered message, JSON: what the channel sends */
  payload: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  nextAt: number;
  createdAt: number;
  deliveredAt?: number;
  lastError?: string;
}

/** A trial of a higher tier, or of one add-on module: an entitlement overlay on the account for N days. */
export interface TrialRecord {
  id: string;
  account: string;
  /** the tier tried; for a module trial, the account's own plan */
  plan: string;
  /** the add-on module tried (absent: a tier trial) */
  addon?: string;
  fromPlan: string;
  startedAt: number;
  endsAt: number;
  status: 'active' | 'converted' | 'expired' | 'ended';
  endedAt?: number;
  opportunity?: string;
  user?: string;
}

/** Everything one scheduler step (or one decide call) changes, written in one transaction. */
export interface PlaybookWrite {
  /** pending steps of these opportunities become canceled, before `steps` are written */
  cancelSteps?: { opportunity: string; reason: string; at: number }[];
  opportunities?: Opportunity[];
  steps?: Step[];
  /** inserted unless a message with the same key exists (idempotency) */
  enqueue?: OutboxMessage[];
  /** delivery progress: replaces the message with the same key */
  outboxUpdates?: OutboxMessage[];
  touches?: Touch[];
  tasks?: TaskRecord[];
  trials?: TrialRecord[];
}

export interface OpportunityQuery { account?: string; status?: Opportunity['status']; stage?: OppStage; owner?: string }
export interface StepQuery { opportunity?: string; account?: string; status?: StepStatus; /** pending steps whose notBefore <= this */ dueBy?: number; limit?: number }
export interface OutboxQuery { status?: OutboxMessage['status']; /** nextAt <= this */ dueBy?: number; account?: string; limit?: number }

/** Outbox messages per delivery state: `retrying` are pending messages that failed at least once. */
export interface OutboxCounts { pending: number; retrying: number; dead: number; delivered: number }

/**
 * The sales motion (manual source, qualification, hand-offs, quotes, loss, credit: src/core/sales) lives
 * in the opportunity itself and needs no method of its own (docs/adr/0008-sales-motion.md).
 */
export interface PlaybookStore {
  /** Applies every part atomically: all of it or none of it survives a crash. */
  commitPlaybook(w: PlaybookWrite): Promise<void>;
  getOpportunity(id: string): Promise<Opportunity | undefined>;
  /** newest first */
  listOpportunities(q?: OpportunityQuery): Promise<Opportunity[]>;
  /** by notBefore, then id */
  listSteps(q?: StepQuery): Promise<Step[]>;
  /** the account's touches at or after `since`, oldest first */
  listTouches(account: string, since: number): Promise<Touch[]>;
  getTouch(id: string): Promise<Touch | undefined>;
  /** by nextAt, then key */
  listOutbox(q?: OutboxQuery): Promise<OutboxMessage[]>;
  countOutbox(): Promise<OutboxCounts>;
  /**
   * Puts dead letters back to pending, atomically: attempts reset to 0, due at once (nextAt = createdAt),
   * the last error kept until the next try. Keys that are not dead are left as they are. Returns the
   * messages requeued, by key.
   */
  requeueDead(keys: readonly string[] | 'all'): Promise<OutboxMessage[]>;
  listTasks(q?: { account?: string; owner?: string; status?: TaskRecord['status'] }): Promise<TaskRecord[]>;
  listTrials(q?: { account?: string; status?: TrialRecord['status'] }): Promise<TrialRecord[]>;
}

/**
 * A node's claim on a share of the account partitions (several nodes on one PostgreSQL store).
 * Ownership is exclusive: at most one live node holds a partition.
 */
export interface PartitionLease {
  readonly node: string;
  readonly partitions: number;
  /**
   * A heartbeat: counts the live nodes, takes free partitions up to this node's fair share, and
   * says which of its partitions it holds beyond that share (to save, then release).
   */
  rebalance(): Promise<{ acquired: number[]; surplus: number[] }>;
  release(parts: readonly number[]): Promise<void>;
  /** every partition this node holds right now */
  held(): readonly number[];
  close(): Promise<void>;
}

/** What a node's engine needs beyond the store: its partitions' states and events. */
export interface PartitionReader {
  /** the saved states of these partitions, and the lowest of their fold cursors */
  loadPartitions(parts: readonly number[]): Promise<{ states: StateEntry[]; cursor: number }>;
  /** these partitions' events with afterSeq < seq <= uptoSeq, in seq order */
  readPartitions(parts: readonly number[], afterSeq: number, uptoSeq: number): AsyncIterable<StoredEvent>;
}

export interface Store extends EventStore, AccountStore, StateStore, CheckpointStore, KeyStore, PlaybookStore {
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  close(): Promise<void>;
}
