// Event lines are written byte by byte into one reusable buffer per day. Building each line as a
// template string cost more than the model itself (the concatenation, flattening it to write it,
// and the garbage), so the writer copies the constant pieces and prints the numbers in place.
// The day is put in time order by a stable placement on the second of the day: each line goes
// to the byte offset its second starts at. Several buffers (one per worker, accounts in order)
// can share one output the same way, which is how the parallel run stays byte-identical.
import { DAY_SECONDS } from './calendar.ts';

const utf8 = new TextEncoder();
/** room kept free before each line: no event line comes near it */
const LINE_ROOM = 65_536;
const EXCEEDED_TEXT = ',"exceeded":true';

export class DayBuffer {
  data = new Uint8Array(1 << 20);
  used = 0;
  starts = new Int32Array(1 << 14);
  secs = new Int32Array(1 << 14);
  n = 0;
  private out = Buffer.allocUnsafe(1 << 20);
  private readonly next = new Int32Array(DAY_SECONDS);

  get size(): number {
    return this.n;
  }

  /** Opens a line at `sec` (clamped into the day) and makes room for it. */
  open(sec: number): void {
    if (this.used + LINE_ROOM > this.data.length) {
      const grown = new Uint8Array(this.data.length * 2);
      grown.set(this.data.subarray(0, this.used));
      this.data = grown;
    }
    if (this.n === this.starts.length) {
      const s = new Int32Array(this.n * 2); s.set(this.starts); this.starts = s;
      const t = new Int32Array(this.n * 2); t.set(this.secs); this.secs = t;
    }
    this.starts[this.n] = this.used;
    this.secs[this.n] = sec < 0 ? 0 : sec >= DAY_SECONDS ? DAY_SECONDS - 1 : sec;
    this.n++;
  }

  /** Bytes of the buffered lines per second of the day, into `into` (length DAY_SECONDS). */
  secondBytes(into: Int32Array): number {
    into.fill(0);
    const { n, starts, secs } = this;
    for (let i = 0; i < n; i++) {
      const end = i + 1 < n ? starts[i + 1]! : this.used;
      into[secs[i]!]! += end - starts[i]!;
    }
    return this.used;
  }

  /**
   * Copies every line to `out` at next[its second], advancing it, in push order (so ties keep
   * push order), then empties the buffer. `next` comes from secondBytes' prefix sums.
   */
  scatter(out: Uint8Array, next: Int32Array): void {
    const { n, starts, secs, data } = this;
    for (let i = 0; i < n; i++) {
      const start = starts[i]!;
      const end = i + 1 < n ? starts[i + 1]! : this.used;
      const s = secs[i]!;
      let dst = next[s]!;
      next[s] = dst + (end - start);
      // A plain loop beats Buffer#copy / set(subarray) for lines of ~120 bytes (no view per call).
      for (let k = start; k < end; k++) out[dst++] = data[k]!;
    }
    this.n = 0;
    this.used = 0;
  }

  /**
   * The buffered lines as NDJSON bytes in time order (ties keep push order), then empties the
   * buffer. The returned view is reused: consume it before the next push.
   */
  drain(): Buffer {
    const total = this.used;
    if (this.out.length < total) this.out = Buffer.allocUnsafe(this.data.length);
    const next = this.next;
    this.secondBytes(next);
    let acc = 0;
    for (let s = 0; s < DAY_SECONDS; s++) { const b = next[s]!; next[s] = acc; acc += b; }
    this.scatter(this.out, next);
    return this.out.subarray(0, total);
  }
}

/** What the emitter needs of an account: its index (ids are derived from it) and its event counter. */
export interface EventSource { readonly index: number; seq: number }

/** Pre-encoded bytes for a constant piece of a line (event bodies, meter and feature fields). */
export const bytes = (s: string): Uint8Array => utf8.encode(s);

const TS = bytes('","ts":"');
const EXCEEDED = bytes(EXCEEDED_TEXT);
const ACCOUNT = bytes(',"account":"acc-');
const USER = bytes('","user":"acc-');

/**
 * Writes one account's events into the day buffer:
 * `{"id":"s<seed>-<account number>-<seq>","ts":"<day><time>","account":"acc-000012"[,"user":"acc-000012-u<uid>"]<body>}`.
 * The ids are printed from the account's index rather than kept as strings per account: less
 * state per account, and no string to walk char by char. Bodies start with a comma.
 */
export class Emitter {
  count = 0;
  private prefix = new Uint8Array(11);
  private readonly idHead: Uint8Array;
  constructor(readonly buffer: DayBuffer, seed: number) {
    this.idHead = bytes(`"id":"s${seed}-`);
  }

  /** @param prefix the day's "2026-01-05T" */
  setDay(prefix: string): void {
    this.prefix = utf8.encode(prefix);
  }

  line(a: EventSource, sec: number, body: Uint8Array): void {
    this.begin(a, sec);
    this.copy(body);
    this.end();
  }

  /** A rare event whose body is built on the spot (tickets, invoices, plans, traits). */
  lineText(a: EventSource, sec: number, body: string, uid = -1): void {
    this.begin(a, sec);
    if (uid >= 0) this.user(a, uid);
    this.str(body);
    this.end();
  }

  userLine(a: EventSource, sec: number, uid: number, body: Uint8Array): void {
    this.begin(a, sec);
    this.user(a, uid);
    this.copy(body);
    this.end();
  }

  /** A usage event: `usageBody` ends with `"quantity":`. */
  usage(a: EventSource, sec: number, usageBody: Uint8Array, quantity: number, exceeded: boolean): void {
    this.begin(a, sec);
    this.copy(usageBody);
    this.num(quantity, 1);
    if (exceeded) this.copy(EXCEEDED);
    this.end();
  }

  private begin(a: EventSource, sec: number): void {
    this.count++;
    // Follow-ups (a feature used minutes after a session) may spill past midnight: keep them in their day.
    if (sec >= DAY_SECONDS) sec = DAY_SECONDS - 1;
    const b = this.buffer;
    b.open(sec);
    this.byte(123);
    this.copy(this.idHead);
    this.num(a.index + 1, 1);
    this.byte(45);
    this.num(a.seq++, 1);
    this.copy(TS);
    this.copy(this.prefix);
    const d = b.data;
    let p = b.used;
    const s = b.secs[b.n - 1]!;
    const h = (s / 3600) | 0;
    const m = ((s / 60) | 0) % 60;
    const x = s % 60;
    d[p++] = 48 + ((h / 10) | 0); d[p++] = 48 + (h % 10); d[p++] = 58;
    d[p++] = 48 + ((m / 10) | 0); d[p++] = 48 + (m % 10); d[p++] = 58;
    d[p++] = 48 + ((x / 10) | 0); d[p++] = 48 + (x % 10);
    d[p++] = 46; d[p++] = 48; d[p++] = 48; d[p++] = 48; d[p++] = 90; d[p++] = 34;
    b.used = p;
    this.copy(ACCOUNT);
    this.num(a.index + 1, 6);
    this.byte(34);
  }

  /** `,"user":"acc-000012-u<uid>"` after the account field */
  private user(a: EventSource, uid: number): void {
    this.buffer.used--; // reopen the account field's closing quote
    this.copy(USER);
    this.num(a.index + 1, 6);
    this.byte(45);
    this.byte(117);
    this.num(uid, 1);
    this.byte(34);
  }

  private end(): void {
    const b = this.buffer;
    b.data[b.used++] = 125;
    b.data[b.used++] = 10;
  }

  private byte(c: number): void {
    const b = this.buffer;
    b.data[b.used++] = c;
  }

  private copy(src: Uint8Array): void {
    const b = this.buffer;
    const d = b.data;
    let p = b.used;
    for (let i = 0; i < src.length; i++) d[p++] = src[i]!;
    b.used = p;
  }

  /** ASCII char by char; anything else through the UTF-8 encoder. */
  private str(s: string): void {
    const b = this.buffer;
    const d = b.data;
    let p = b.used;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128) {
        b.used = p + utf8.encodeInto(s.slice(i), d.subarray(p)).written;
        return;
      }
      d[p++] = c;
    }
    b.used = p;
  }

  /** As String(x) prints it (zero-padded to `width`); small non-negative integers without making the string. */
  private num(x: number, width: number): void {
    if (!(x >= 0 && x < 2_147_483_648 && Number.isInteger(x))) { this.str(String(x).padStart(width, '0')); return; }
    const b = this.buffer;
    const d = b.data;
    let v = x | 0;
    let digits = 1;
    for (let t = v; t >= 10; t = (t / 10) | 0) digits++;
    if (digits < width) digits = width;
    const start = b.used;
    let p = start + digits;
    b.used = p;
    do { d[--p] = 48 + (v % 10); v = (v / 10) | 0; } while (p > start);
  }
}
