// One clock (docs/adr/0011-one-clock.md): every surface computes from the same moment, the wall
// clock unless the user asks for another one (`--as-of`, `?as_of=`, the dashboard's date picker),
// and says which one it used. When the data ends well before that moment, it says so too: a store
// whose events stopped in August scored "now" in December shows every account idle.

const DAY_MS = 86_400_000;

/** The newest event older than this before the moment makes the answer "stale" (and says so). */
export const STALE_AFTER_DAYS = 3;

export type MomentSource = 'clock' | 'as_of';

export interface Moment {
  /** epoch ms every figure is computed at */
  now: number;
  /** the wall clock, or a moment the user asked for */
  source: MomentSource;
  /** the newest event's time in the store, 0 when it holds none */
  dataEnds: number;
  /** set when the newest event is more than STALE_AFTER_DAYS before `now` */
  stale: StaleData | null;
}

export interface StaleData {
  /** whole days between the newest event and the moment */
  days: number;
  /** the moment to pass instead: the end of the data's last day, YYYY-MM-DD */
  suggest: string;
}

/** A YYYY-MM-DD date means the end of that day (UTC); a full timestamp means that instant. */
export function parseAsOf(text: string): number | undefined {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const t = Date.parse(day ? `${text}T00:00:00Z` : text);
  if (!Number.isFinite(t)) return undefined;
  return day ? t + DAY_MS - 1 : t;
}

/** What a bad `--as-of` / `?as_of=` value gets told. */
export const asOfExpectation = (name: string, text: string): string =>
  `${name} must be a date (YYYY-MM-DD, meaning the end of that day, UTC) or an ISO timestamp, got "${text}"`;

/**
 * The moment a command or request computes at: `asOf` when given, else `clock` (the wall clock,
 * read by the caller: the app layer never reads it itself, so tests can pin it).
 */
export function resolveMoment(opts: { asOf?: number | undefined; clock: number; dataEnds: number }): Moment {
  const now = opts.asOf ?? opts.clock;
  const source: MomentSource = opts.asOf === undefined ? 'clock' : 'as_of';
  const gap = now - opts.dataEnds;
  const stale = opts.dataEnds > 0 && gap > STALE_AFTER_DAYS * DAY_MS
    ? { days: Math.floor(gap / DAY_MS), suggest: new Date(opts.dataEnds).toISOString().slice(0, 10) }
    : null;
  return { now, source, dataEnds: opts.dataEnds, stale };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The moment as JSON answers carry it (`moment` field of CLI --json output and HTTP read routes). */
export function momentJson(m: Moment): { now: string; source: MomentSource; dataEnds: string | null; stale: StaleData | null } {
  return { now: iso(m.now), source: m.source, dataEnds: m.dataEnds > 0 ? iso(m.dataEnds) : null, stale: m.stale };
}

/** "as of 2026-08-29T23:59:59.999Z (--as-of)" / "as of now, 2026-12-02T11:40:00.000Z". */
export function momentLabel(m: Moment): string {
  return m.source === 'clock' ? `as of now, ${iso(m.now)}` : `as of ${iso(m.now)}`;
}

/**
 * The stale-data warning, or null: "data ends 2026-08-29, 95 days before this moment; scoring as of
 * now gives every account a stale picture; pass --as-of 2026-08-29". `how` names the way to ask for
 * another moment on this surface (`--as-of`, `?as_of=`, the date picker).
 */
export function staleWarning(m: Moment, how: (day: string) => string): string | null {
  if (!m.stale) return null;
  const when = m.source === 'clock' ? 'scoring as of now' : `scoring as of ${iso(m.now).slice(0, 10)}`;
  return `data ends ${m.stale.suggest}, ${m.stale.days} days before this moment; ${when} gives every account a stale picture (no recent usage); ${how(m.stale.suggest)}`;
}
