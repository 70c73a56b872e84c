// Event lines are built as strings straight away: at 10M+ events an object per event and a
// JSON.stringify per event would cost more than the whole model. A day's lines are then put in
// time order with a stable counting sort on the second of the day.
import { DAY_SECONDS, timeOfDay } from './calendar.ts';

export class DayBuffer {
  private secs = new Int32Array(1 << 14);
  private lines: string[] = [];
  private readonly counts = new Int32Array(DAY_SECONDS + 1);

  get size(): number {
    return this.lines.length;
  }

  push(sec: number, line: string): void {
    const n = this.lines.length;
    if (n === this.secs.length) {
      const grown = new Int32Array(n * 2);
      grown.set(this.secs);
      this.secs = grown;
    }
    this.secs[n] = sec < 0 ? 0 : sec >= DAY_SECONDS ? DAY_SECONDS - 1 : sec;
    this.lines.push(line);
  }

  /** The buffered lines as NDJSON in time order (ties keep push order), then empties the buffer. */
  drain(): string {
    const n = this.lines.length;
    if (n === 0) return '';
    const counts = this.counts;
    counts.fill(0);
    const secs = this.secs;
    for (let i = 0; i < n; i++) counts[(secs[i] ?? 0) + 1]!++;
    for (let s = 1; s <= DAY_SECONDS; s++) counts[s]! += counts[s - 1]!;
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[counts[secs[i] ?? 0]!++] = this.lines[i] ?? '';
    this.lines = [];
    return `${out.join('\n')}\n`;
  }
}

/** Writes one account's events into the day buffer with ids `s<seed>-<account index>-<n>`. */
export class Emitter {
  prefix = '';
  count = 0;
  constructor(readonly buffer: DayBuffer) {}

  setDay(prefix: string): void {
    this.prefix = prefix;
  }

  /**
   * `head` is the account's `"id":"s7-12-` start, `seq` its running event number, `tail` the
   * account and user fields, `body` the type and its fields (each starting with a comma).
   */
  line(sec: number, head: string, seq: number, tail: string, body: string): void {
    this.count++;
    this.buffer.push(sec, `{${head}${seq}","ts":"${this.prefix}${timeOfDay(sec)}"${tail}${body}}`);
  }
}
