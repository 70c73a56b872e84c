// Dates as the simulator needs them: whole UTC days from the start, with ISO strings built
// from a precomputed table because 10M+ Date#toISOString calls would dominate the run time.

export const DAY_MS = 86_400_000;
export const DAY_SECONDS = 86_400;

/** Parses YYYY-MM-DD as UTC midnight; undefined when it is not a real calendar date. */
export function parseStartDate(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms;
}

/** Floors an epoch-ms instant to its UTC midnight. */
export function utcMidnight(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export interface SimDay {
  index: number;
  /** epoch ms of this day's UTC midnight */
  ms: number;
  /** "2026-01-05T" */
  prefix: string;
  /** ISO date "2026-01-05" */
  date: string;
  /** 0 = Sunday .. 6 = Saturday */
  dow: number;
  weekend: boolean;
  /** 1..31 */
  dom: number;
  /** year * 12 + month: the key of a monthly billing/reset period */
  monthKey: number;
}

export function simDay(startMs: number, index: number): SimDay {
  const ms = startMs + index * DAY_MS;
  const d = new Date(ms);
  const iso = d.toISOString();
  const dow = d.getUTCDay();
  return {
    index, ms, prefix: iso.slice(0, 11), date: iso.slice(0, 10), dow,
    weekend: dow === 0 || dow === 6, dom: d.getUTCDate(), monthKey: d.getUTCFullYear() * 12 + d.getUTCMonth(),
  };
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isoInstant(ms: number): string {
  return new Date(ms).toISOString();
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

let timeTable: string[] | undefined;

/** "HH:MM:SS.000Z" for every second of a day, built once on first use. */
export function timeOfDay(sec: number): string {
  if (!timeTable) {
    timeTable = new Array<string>(DAY_SECONDS);
    for (let s = 0; s < DAY_SECONDS; s++) {
      timeTable[s] = `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}.000Z`;
    }
  }
  return timeTable[sec] ?? '00:00:00.000Z';
}
