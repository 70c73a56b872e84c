// Hostile input at the edge of the sources: shapes, dates, ids, numbers, bytes (issue #19, 1/5/6/8).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCanonical } from './canonical.ts';
import { checkCanonical } from './canonical-issues.ts';
import { EVENT_LIMITS, limitIssue, MAX_QUANTITY } from './limits.ts';
import { readNdjson } from './ndjson.ts';

const ts = '2026-03-01T09:00:00Z';
const usage = (extra: Record<string, unknown> = {}) => ({ id: 'u1', ts, account: 'acme', type: 'usage', meter: 'api_calls', quantity: 3, ...extra });

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe('shape limits', () => {
  it('refuses a field nested 10,000 deep with the pointer where the limit is passed, without recursion', () => {
    const r = checkCanonical(usage({ deep: nested(10_000) }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([{ pointer: `/deep${'/a'.repeat(EVENT_LIMITS.maxDepth - 1)}`, detail: `nested deeper than ${EVENT_LIMITS.maxDepth} levels` }]);
  });

  it('refuses account traits nested 1,000 deep, a huge string, too many fields', () => {
    expect(parseCanonical({ id: 't', ts, account: 'acme', type: 'account', traits: { name: 'A', x: nested(1_000) } })).toMatchObject({ ok: false, error: expect.stringMatching(/^traits\.x(\.a)+: nested deeper than 16 levels$/) });
    expect(parseCanonical(usage({ note: 'x'.repeat(EVENT_LIMITS.maxStringChars + 1) }))).toEqual({ ok: false, error: `note: string longer than ${EVENT_LIMITS.maxStringChars} characters` });
    const wide = Object.fromEntries(Array.from({ length: EVENT_LIMITS.maxFields + 1 }, (_, i) => [`f${i}`, i]));
    expect(parseCanonical(usage({ wide }))).toEqual({ ok: false, error: `wide: object of more than ${EVENT_LIMITS.maxFields} fields` });
    expect(limitIssue(usage({ ok: nested(10) }))).toBeUndefined();
  });

  it('refuses __proto__ by name instead of letting it vanish', () => {
    const r = checkCanonical(JSON.parse('{"id":"p","ts":"2026-03-01T09:00:00Z","account":"acme","type":"session","__proto__":{"admin":true}}'));
    expect(r).toEqual({ ok: false, issues: [{ pointer: '/__proto__', detail: 'field name "__proto__" is not allowed' }] });
    // other unusual names are kept as extras
    const kept = parseCanonical(JSON.parse('{"id":"p","ts":"2026-03-01T09:00:00Z","account":"acme","type":"session","constructor":1}'));
    expect(kept).toMatchObject({ ok: true, event: { extra: { constructor: 1 } } });
    // a type named after an Object.prototype member is no type
    expect(parseCanonical({ id: 'p', ts, account: 'acme', type: 'constructor' }).ok).toBe(false);
  });

  it('says 1e309 is out of range instead of "got null"', () => {
    const r = checkCanonical(JSON.parse('{"id":"q","ts":"2026-03-01T09:00:00Z","account":"acme","type":"usage","meter":"api_calls","quantity":1e309}'));
    expect(r).toEqual({ ok: false, issues: [{ pointer: '/quantity', detail: 'number out of range (beyond ±1.8e308)' }] });
  });
});

describe('values refused instead of changed', () => {
  it('refuses days and hours that do not exist (Date.parse would roll 2026-02-30 into March)', () => {
    for (const bad of ['2026-02-30T10:00:00Z', '2026-02-29T10:00:00Z', '2026-04-31T00:00:00Z', '2026-03-01T24:00:00Z', '2026-03-01T10:60:00Z', '2026-03-01T10:00:00+25:00']) {
      expect(checkCanonical(usage({ ts: bad })), bad).toEqual({ ok: false, issues: [{ pointer: '/ts', detail: 'not a real date and time (no such day or hour)' }] });
      expect(parseCanonical(usage({ ts: bad })).ok, bad).toBe(false);
    }
    expect(parseCanonical(usage({ ts: '2028-02-29T10:00:00+01:00' }))).toMatchObject({ ok: true, event: { ts: Date.UTC(2028, 1, 29, 9) } });
  });

  it('refuses control characters in ids (NUL would merge two accounts)', () => {
    const r = checkCanonical(usage({ account: 'acme\u0000evil' }));
    expect(r).toEqual({ ok: false, issues: [{ pointer: '/account', detail: 'contains a control character (U+0000) at index 4' }] });
    expect(parseCanonical(usage({ meter: 'api\ncalls' })).ok).toBe(false);
    // `user` is optional (issue 13 part 4): a bad one is set aside with a warning, the event is kept
    expect(parseCanonical(usage({ user: 'u\u007f' }))).toMatchObject({ ok: true, warnings: [{ field: 'user', value: 'u\u007f' }] });
    expect(parseCanonical(usage({ account: 'Café Ünïcode' })).ok).toBe(true);
  });

  it(`bounds quantities and money at ${MAX_QUANTITY} (two 1e308 usages summed to Infinity)`, () => {
    expect(checkCanonical(usage({ quantity: 1e308 }))).toEqual({ ok: false, issues: [{ pointer: '/quantity', detail: `at most ${MAX_QUANTITY}` }] });
    expect(parseCanonical(usage({ quantity: MAX_QUANTITY })).ok).toBe(true);
    expect(parseCanonical({ id: 'i', ts, account: 'a', type: 'invoice', invoice: 'in', status: 'paid', amount: 1e15 }).ok).toBe(false);
  });
});

describe('NDJSON bytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tw-limits-'));
  const read = async (bytes: Buffer) => {
    const file = join(dir, `f${Math.random().toString(36).slice(2)}.ndjson`);
    writeFileSync(file, bytes);
    const out = [];
    for await (const items of readNdjson(file)) out.push(...items);
    return out;
  };
  const line = (id: string) => JSON.stringify(usage({ id }));

  it('keeps the first line of a file that starts with a BOM', async () => {
    const items = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${line('a')}\n${line('b')}\n`)]));
    expect(items.map((i) => i.event?.id)).toEqual(['a', 'b']);
  });

  it('refuses a line that is not UTF-8, naming line and byte, and keeps the others and their numbers', async () => {
    const bad = Buffer.from(line('bad'));
    bad[bad.indexOf('api_calls')] = 0xff;
    const items = await read(Buffer.concat([Buffer.from(`${line('a')}\n\n`), bad, Buffer.from(`\n${line('c')}`)]));
    expect(items.map((i) => [i.line, i.event?.id ?? i.error])).toEqual([
      [1, 'a'],
      [3, `not valid UTF-8 (byte ${bad.indexOf(0xff) + 1} of the line)`],
      [4, 'c'],
    ]);
  });

  it('names the line nested 5,000 deep', async () => {
    const deep = `{"id":"d","ts":"${ts}","account":"acme","type":"session","x":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    const items = await read(Buffer.from(`${line('a')}\n${deep}\n${line('b')}\n`));
    expect(items.map((i) => [i.line, i.event?.id ?? i.error])).toEqual([[1, 'a'], [2, 'x.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0: nested deeper than 16 levels'], [3, 'b']]);
  });
});
