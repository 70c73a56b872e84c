// Versioned schema migrations for the PostgreSQL store, applied on open (or by `tierwise db migrate`),
// one transaction each, under an advisory lock so that nodes starting together apply each one once.
// Shapes follow the SQLite store (src/adapters/sqlite/migrations.ts); what differs is said where.
// Text columns use the "C" collation: byte order, as SQLite sorts, whatever the database locale.
export const PG_MIGRATIONS: readonly string[] = [
  // 1: the event log, its aggregates, engine state, meta, API keys.
  // seq is assigned by the appender while it holds the event_seq row lock, so seqs are gap-free and
  // become visible in order: a reader following seq > cursor never skips a late commit (ADR 0007).
  // part is the account's partition (src/app/partitions.ts), so a node reads only what it owns.
  `
  CREATE TABLE event_seq (
    id   int PRIMARY KEY CHECK (id = 1),
    last bigint NOT NULL
  );
  INSERT INTO event_seq VALUES (1, 0);

  CREATE TABLE events (
    seq     bigint PRIMARY KEY,
    id      text COLLATE "C"     NOT NULL,
    ts      bigint   NOT NULL,
    account text COLLATE "C"     NOT NULL,
    type    text COLLATE "C"     NOT NULL,
    part    smallint NOT NULL,
    body    text COLLATE "C"     NOT NULL
  );
  CREATE UNIQUE INDEX events_dedupe ON events (ts, id);
  CREATE INDEX events_part ON events (part, seq);
  CREATE INDEX events_account ON events (account, seq);

  CREATE TABLE accounts (
    id          text COLLATE "C" PRIMARY KEY,
    traits      jsonb   NOT NULL DEFAULT '{}',
    traits_ts   bigint,
    placeholder boolean NOT NULL,
    first_seen  bigint  NOT NULL,
    last_seen   bigint  NOT NULL
  );

  CREATE TABLE usage_daily (
    account text COLLATE "C"   NOT NULL,
    meter   text COLLATE "C"   NOT NULL,
    day     text COLLATE "C"   NOT NULL,
    sum     double precision NOT NULL,
    last    double precision NOT NULL,
    last_ts bigint NOT NULL,
    events  integer NOT NULL,
    PRIMARY KEY (account, meter, day)
  );

  CREATE TABLE states (
    account text COLLATE "C" PRIMARY KEY,
    part    smallint NOT NULL,
    state   text COLLATE "C"     NOT NULL,
    seq     bigint   NOT NULL
  );
  CREATE INDEX states_part ON states (part, account);

  CREATE TABLE meta (
    key   text COLLATE "C" PRIMARY KEY,
    value text COLLATE "C" NOT NULL
  );

  CREATE TABLE api_keys (
    id         text COLLATE "C" PRIMARY KEY,
    name       text COLLATE "C"   NOT NULL,
    scope      text COLLATE "C"   NOT NULL,
    hash       text COLLATE "C"   NOT NULL,
    created_at bigint NOT NULL,
    revoked_at bigint
  );
  `,
  // 2: playbooks. As in SQLite each row keeps its record as JSON text; the columns are what queries
  // filter on. claimed_until is the lease a node takes on due work (FOR UPDATE SKIP LOCKED).
  `
  CREATE TABLE pb_opportunities (
    id        text COLLATE "C" PRIMARY KEY,
    account   text COLLATE "C"   NOT NULL,
    status    text COLLATE "C"   NOT NULL,
    stage     text COLLATE "C"   NOT NULL,
    owner     text COLLATE "C",
    opened_at bigint NOT NULL,
    body      text COLLATE "C"   NOT NULL
  );
  CREATE INDEX pb_opportunities_account ON pb_opportunities (account);
  CREATE INDEX pb_opportunities_status ON pb_opportunities (status, opened_at);

  CREATE TABLE pb_steps (
    id            text COLLATE "C" PRIMARY KEY,
    opportunity   text COLLATE "C"   NOT NULL,
    account       text COLLATE "C"   NOT NULL,
    part          smallint NOT NULL,
    status        text COLLATE "C"   NOT NULL,
    not_before    bigint NOT NULL,
    claimed_until timestamptz,
    claimed_by    text COLLATE "C",
    body          text COLLATE "C"   NOT NULL
  );
  CREATE INDEX pb_steps_due ON pb_steps (status, not_before);
  CREATE INDEX pb_steps_opportunity ON pb_steps (opportunity);

  CREATE TABLE pb_outbox (
    key           text COLLATE "C" PRIMARY KEY,
    account       text COLLATE "C"    NOT NULL,
    status        text COLLATE "C"    NOT NULL,
    attempts      integer NOT NULL,
    next_at       bigint  NOT NULL,
    claimed_until timestamptz,
    claimed_by    text COLLATE "C",
    body          text COLLATE "C"    NOT NULL
  );
  CREATE INDEX pb_outbox_due ON pb_outbox (status, next_at);

  CREATE TABLE pb_touches (
    id      text COLLATE "C" PRIMARY KEY,
    account text COLLATE "C"   NOT NULL,
    at      bigint NOT NULL,
    body    text COLLATE "C"   NOT NULL
  );
  CREATE INDEX pb_touches_account ON pb_touches (account, at);

  CREATE TABLE pb_tasks (
    id         text COLLATE "C" PRIMARY KEY,
    account    text COLLATE "C"   NOT NULL,
    owner      text COLLATE "C",
    status     text COLLATE "C"   NOT NULL,
    created_at bigint NOT NULL,
    body       text COLLATE "C"   NOT NULL
  );

  CREATE TABLE pb_trials (
    id         text COLLATE "C" PRIMARY KEY,
    account    text COLLATE "C"   NOT NULL,
    status     text COLLATE "C"   NOT NULL,
    started_at bigint NOT NULL,
    body       text COLLATE "C"   NOT NULL
  );
  `,
  // 3: several nodes. A partition's fold cursor (the seq its saved states reached) and who holds it;
  // ownership itself is a session advisory lock, so a dead node's partitions free up with its
  // connection. nodes: each node's lock connection (backend pid and start), so that the others see
  // at once, in pg_stat_activity, when it is gone, and how many share the work.
  `
  CREATE TABLE partitions (
    part  smallint PRIMARY KEY,
    seq   bigint NOT NULL DEFAULT 0,
    owner text COLLATE "C"
  );
  INSERT INTO partitions (part) SELECT generate_series(0, 63);

  CREATE TABLE nodes (
    id            text COLLATE "C" PRIMARY KEY,
    pid           integer     NOT NULL,
    backend_start timestamptz NOT NULL,
    seen_at       timestamptz NOT NULL
  );
  `,
  // 4: state checkpoints (docs/adr/0011-one-clock.md), as in SQLite: each checkpoint keeps only the
  // accounts changed since the one before; an account's state as of `at` is its newest row at or before it.
  `
  CREATE TABLE checkpoints (
    at  bigint PRIMARY KEY,
    seq bigint NOT NULL
  );
  CREATE TABLE checkpoint_states (
    account text COLLATE "C" NOT NULL,
    at      bigint NOT NULL,
    seq     bigint NOT NULL,
    state   text COLLATE "C" NOT NULL,
    PRIMARY KEY (account, at)
  );
  `,
];
