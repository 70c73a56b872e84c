// Versioned schema migrations, applied on open inside one transaction each (PRAGMA user_version).
// Write-rate notes (docs/adr/0002-event-store.md): events are a rowid table appended in seq order;
// the dedupe index leads with ts, so inserts land near the right edge of the B-tree instead of at
// random places (a unique index on the random id alone measured ~6x slower on 2M events).
/** the event types the partial indexes leave out: per-account telemetry, most of the log */
export const TELEMETRY_TYPES = ['usage', 'session', 'feature'] as const;
/**
 * The business events: the condition of the partial indexes. A query uses a partial index only when
 * its WHERE holds this very term (SQLite does not infer it from `type IN (...)`), so readEvents adds
 * it verbatim.
 */
export const BUSINESS_EVENTS = `type NOT IN (${TELEMETRY_TYPES.map((t) => `'${t}'`).join(', ')})`;

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE events (
    seq     INTEGER PRIMARY KEY,
    id      TEXT    NOT NULL,
    ts      INTEGER NOT NULL,
    account TEXT    NOT NULL,
    type    TEXT    NOT NULL,
    body    TEXT    NOT NULL
  );
  CREATE UNIQUE INDEX events_dedupe ON events (ts, id);

  CREATE TABLE accounts (
    id          TEXT PRIMARY KEY,
    traits      TEXT    NOT NULL DEFAULT '{}',
    traits_ts   INTEGER,
    placeholder INTEGER NOT NULL,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE usage_daily (
    account TEXT    NOT NULL,
    meter   TEXT    NOT NULL,
    day     TEXT    NOT NULL,
    sum     REAL    NOT NULL,
    last    REAL    NOT NULL,
    last_ts INTEGER NOT NULL,
    events  INTEGER NOT NULL,
    PRIMARY KEY (account, meter, day)
  ) WITHOUT ROWID;

  CREATE TABLE states (
    account TEXT PRIMARY KEY,
    state   TEXT    NOT NULL,
    seq     INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 2: API keys for the HTTP server; only the sha256 of each secret is kept.
  `
  CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    name       TEXT    NOT NULL,
    scope      TEXT    NOT NULL,
    hash       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) WITHOUT ROWID;
  `,
  // 3: playbooks. Each row keeps its record as JSON; the columns are what queries filter on.
  `
  CREATE TABLE pb_opportunities (
    id        TEXT PRIMARY KEY,
    account   TEXT    NOT NULL,
    status    TEXT    NOT NULL,
    stage     TEXT    NOT NULL,
    owner     TEXT,
    opened_at INTEGER NOT NULL,
    body      TEXT    NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX pb_opportunities_account ON pb_opportunities (account);
  CREATE INDEX pb_opportunities_status ON pb_opportunities (status, opened_at);

  CREATE TABLE pb_steps (
    id          TEXT PRIMARY KEY,
    opportunity TEXT    NOT NULL,
    account     TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    not_before  INTEGER NOT NULL,
    body        TEXT    NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX pb_steps_due ON pb_steps (status, not_before);
  CREATE INDEX pb_steps_opportunity ON pb_steps (opportunity);

  CREATE TABLE pb_outbox (
    key     TEXT PRIMARY KEY,
    account TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    next_at INTEGER NOT NULL,
    body    TEXT    NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX pb_outbox_due ON pb_outbox (status, next_at);

  CREATE TABLE pb_touches (
    id      TEXT PRIMARY KEY,
    account TEXT    NOT NULL,
    at      INTEGER NOT NULL,
    body    TEXT    NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX pb_touches_account ON pb_touches (account, at);

  CREATE TABLE pb_tasks (
    id         TEXT PRIMARY KEY,
    account    TEXT    NOT NULL,
    owner      TEXT,
    status     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    body       TEXT    NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE pb_trials (
    id         TEXT PRIMARY KEY,
    account    TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    started_at INTEGER NOT NULL,
    body       TEXT    NOT NULL
  ) WITHOUT ROWID;
  `,
  // 4: state checkpoints (docs/adr/0011-one-clock.md): an as-of replay starts from the newest
  // checkpoint at or before its moment. Each checkpoint holds only the accounts changed since the
  // one before, so an account's state as of `at` is its row with the greatest at <= `at`.
  `
  CREATE TABLE checkpoints (
    at  INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL
  );
  CREATE TABLE checkpoint_states (
    account TEXT    NOT NULL,
    at      INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    state   TEXT    NOT NULL,
    PRIMARY KEY (account, at)
  ) WITHOUT ROWID;
  `,
  // 5: one account's history (the dashboard's timeline: billing, team, tickets, NPS, plan changes,
  // paywalls, prompts) read through an index instead of a scan of the log. Partial: the telemetry
  // types that make up ~90 % of the events are left out, so an append pays for the index only on the
  // rare business events (docs/adr/0002-event-store.md, "One account's history").
  `CREATE INDEX events_history ON events (account, ts) WHERE ${BUSINESS_EVENTS};`,
  // 6: the business events of some types across accounts, in seq order (revenue metrics read every
  // subscription event). Each type's entries grow at their right edge, as seqs only grow: cheap appends.
  `CREATE INDEX events_by_type ON events (type, seq) WHERE ${BUSINESS_EVENTS};`,
];
