import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { writeEventFile } from '../helpers/event-lines.ts';
import { tierwise } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tierwise-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BAD = {
  17: '{"id": "x17", "ts": "2026-01-01T00:00:00Z", "account": "a", "type": "usage", "meter": "api_calls", "quantity": -3}',
  500: '{not json',
  999: '{"id": "x999", "ts": "yesterday", "account": "a", "type": "session"}',
};

describe('tierwise import (NDJSON)', () => {
  const file = join(dir, 'events.ndjson');
  const db = join(dir, 'store.db');

  it('stores 997 of 1,000 lines and writes the 3 rejects with their line numbers', async () => {
    await writeEventFile(file, 1000, BAD);
    const r = tierwise(['import', file, '--db', db, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.total).toMatchObject({ read: 1000, accepted: 997, duplicates: 0, rejected: 3 });
    const rejects = readFileSync(`${file}.rejects.ndjson`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects.map((x) => x.line)).toEqual([17, 500, 999]);
    expect(rejects[0].error).toMatch(/quantity.*>= 0/);
    expect(rejects[1].error).toMatch(/invalid JSON/);
    expect(rejects[2].error).toMatch(/ts: an ISO-8601 timestamp/);
    expect(rejects[1].raw).toBe('{not json');
    const store = openSqliteStore(db);
    expect(await store.countEvents()).toBe(997);
    await store.close();
  });

  it('imports nothing new the second time and reports 997 duplicates', () => {
    const r = tierwise(['import', file, '--db', db, '--json']);
    expect(JSON.parse(r.stdout).total).toMatchObject({ read: 1000, accepted: 0, duplicates: 997, rejected: 3 });
  });

  it('prints a human summary and exits 0 when every line is good', async () => {
    const good = join(dir, 'good.ndjson');
    await writeEventFile(good, 50);
    const r = tierwise(['import', good, '--db', join(dir, 'good.db')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/accepted/);
    expect(r.stdout).toMatch(/50/);
    expect(existsSync(`${good}.rejects.ndjson`)).toBe(false);
  });

  it('names each kind of bad line precisely', () => {
    const f = join(dir, 'bad.ndjson');
    const ts = '2026-01-01T00:00:00Z';
    writeFileSync(f, [
      JSON.stringify({ id: 'u1', ts, account: 'a', type: 'teleport' }),
      JSON.stringify({ id: 'u2', ts, account: 'a', type: 'usage', quantity: 3 }),
      JSON.stringify({ id: 'u3', ts, account: 'a', type: 'usage', meter: 'api_calls', quantity: 'many' }),
      JSON.stringify({ id: 'u4', ts: '2026-13-45T99:00:00Z', account: 'a', type: 'session' }),
      JSON.stringify({ id: 'u5', ts: '2026-01-01T00:00:00', account: 'a', type: 'session' }),
      JSON.stringify({ ts, account: 'a', type: 'session' }),
      '[1,2]',
      '',
      JSON.stringify({ id: 'ok', ts, account: 'a', type: 'nps', score: 9, survey: 'q3' }),
    ].join('\n'));
    const r = tierwise(['import', f, '--db', join(dir, 'bad.db'), '--json']);
    expect(r.code).toBe(1);
    const errors = readFileSync(`${f}.rejects.ndjson`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(errors[0].error).toMatch(/unknown type "teleport"/);
    expect(errors[1].error).toMatch(/meter: expected string, missing/);
    expect(errors[2].error).toMatch(/quantity: expected number, got "many"/);
    expect(errors[3].error).toMatch(/ts: not a real date/);
    expect(errors[4].error).toMatch(/ts: an ISO-8601 timestamp with a zone/);
    expect(errors[5].error).toMatch(/id: expected string, missing/);
    expect(errors[6].error).toMatch(/expected a JSON object/);
    expect(JSON.parse(r.stdout).total).toMatchObject({ read: 8, accepted: 1, rejected: 7 });
  });

  it('refuses a missing file or a bad config before touching the store', () => {
    const db2 = join(dir, 'untouched.db');
    expect(tierwise(['import', join(dir, 'nope.ndjson'), '--db', db2]).code).toBe(2);
    const badCfg = join(dir, 'bad.yaml');
    writeFileSync(badCfg, 'version: 1\nmeters: {}\nplans: []\n');
    const r = tierwise(['import', file, '--db', db2, '--config', badCfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plans: at least one plan/);
    expect(existsSync(db2)).toBe(false);
  });

  it('--db :memory: is the in-memory store, not a file named ":memory:"', () => {
    const r = tierwise(['import', file, '--db', ':memory:', '--json'], {}, dir);
    expect(JSON.parse(r.stdout)).toMatchObject({ total: { accepted: 997 } });
    expect(existsSync(join(dir, ':memory:'))).toBe(false);
  });
});

describe('tierwise import (CSV)', () => {
  it('imports accounts and subscriptions with the documented columns, idempotently', async () => {
    const accounts = join(dir, 'accounts.csv');
    const subs = join(dir, 'subscriptions.csv');
    const db = join(dir, 'csv.db');
    writeFileSync(accounts, 'account,ts,name,employees,segment,region\nacme,2026-01-01T00:00:00Z,Acme,40,smb,emea\nglobex,2026-01-01T00:00:00Z,"Globex, Inc",900,enterprise,amer\n');
    writeFileSync(subs, 'account,ts,plan,interval,mrr,status,seats\nacme,2026-01-02T00:00:00Z,basic,month,29900,active,5\nglobex,2026-01-02T00:00:00Z,pro,year,62417,active,\nglobex,2026-02-01T00:00:00Z,pro,quarterly,62417,active,\nglobex,2026-02-02T00:00:00Z,pro,year,lots,active,\n');
    const r = tierwise(['import', accounts, subs, '--db', db, '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.files[0]).toMatchObject({ read: 2, accepted: 2, rejected: 0 });
    expect(out.files[1]).toMatchObject({ read: 4, accepted: 2, rejected: 2 });
    const rejects = readFileSync(`${subs}.rejects.ndjson`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects.map((x) => x.line)).toEqual([4, 5]);
    expect(rejects[0].error).toMatch(/interval/);
    expect(rejects[1].error).toMatch(/mrr: expected a number/);
    const store = openSqliteStore(db);
    expect((await store.getAccount('globex'))?.traits).toEqual({ name: 'Globex, Inc', employees: 900, segment: 'enterprise', region: 'amer' });
    await store.close();
    const again = JSON.parse(tierwise(['import', accounts, subs, '--db', db, '--json']).stdout);
    expect(again.total).toMatchObject({ accepted: 0, duplicates: 4 });
  });

  it('rejects a CSV whose header lacks a required column, naming it', () => {
    const f = join(dir, 'nomrr.csv');
    writeFileSync(f, 'account,ts,plan,interval,status\nacme,2026-01-02T00:00:00Z,basic,month,active\n');
    const r = tierwise(['import', f, '--db', join(dir, 'nomrr.db')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/lacks column mrr/);
  });
});

describe('tierwise import: a bad optional field never drops an event', () => {
  const ts = '2026-01-01T00:00:00Z';

  it('stores every event with date-only traits and an unparseable optional field, and reports the warnings with line numbers', async () => {
    const f = join(dir, 'traits.ndjson');
    const db = join(dir, 'traits.db');
    writeFileSync(f, [
      JSON.stringify({ id: 't1', ts, account: 'acme', type: 'account', traits: { name: 'Acme', segment: 'smb', renewal_at: '2026-06-24' } }),
      JSON.stringify({ id: 't2', ts, account: 'globex', type: 'account', traits: { name: 'Globex', renewal_at: 'next spring', employees: 'forty' } }),
      JSON.stringify({ id: 't3', ts, account: 'acme', type: 'subscription', plan: 'basic', interval: 'month', mrr: 29900, status: 'active', seats: 'five' }),
      JSON.stringify({ id: 't4', ts, account: 'acme', user: 'u1', type: 'usage', meter: 'api_calls', quantity: 10 }),
    ].join('\n'));
    const r = tierwise(['import', f, '--db', db, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.total).toMatchObject({ read: 4, accepted: 4, rejected: 0, warnings: 3 });
    const warnings = readFileSync(`${f}.warnings.ndjson`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(warnings).toEqual([
      { file: f, line: 2, field: 'traits.employees', value: 'forty', why: 'expected number, got "forty"' },
      { file: f, line: 2, field: 'traits.renewal_at', value: 'next spring', why: expect.stringMatching(/expected a date \(2026-06-24/) },
      { file: f, line: 3, field: 'seats', value: 'five', why: 'expected number, got "five"' },
    ]);
    expect(out.files[0].firstWarnings).toEqual(warnings);
    expect(existsSync(`${f}.rejects.ndjson`)).toBe(false);
    const store = openSqliteStore(db);
    expect(await store.countEvents()).toBe(4);
    expect((await store.getAccount('acme'))?.traits).toMatchObject({ name: 'Acme', segment: 'smb', renewal_at: '2026-06-24T00:00:00Z' });
    expect((await store.getAccount('globex'))?.traits).toEqual({ name: 'Globex' });
    await store.close();

    const human = tierwise(['import', f, '--db', join(dir, 'traits-human.db')]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/warnings/);
    expect(human.stdout).toContain(`3 warning(s) in ${f}`);
    expect(human.stdout).toContain(`${f}:2: traits.renewal_at "next spring": expected a date`);
    expect(human.stdout).toContain(`${f}:3: seats "five": expected number`);
  });

  it('reads calendar dates in an accounts CSV and names the column of a value it cannot read', async () => {
    const f = join(dir, 'renewals.csv');
    const db = join(dir, 'renewals.db');
    writeFileSync(f, 'account,ts,name,employees,renewal_at\nacme,2026-01-01T00:00:00Z,Acme,40,2026-06-24\nglobex,2026-01-01T00:00:00Z,Globex,many,24/06/2026\n');
    const r = tierwise(['import', f, '--db', db, '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.total).toMatchObject({ read: 2, accepted: 2, rejected: 0, warnings: 2 });
    expect(out.files[0].firstWarnings.map((w: { line: number; field: string; value: unknown }) => [w.line, w.field, w.value])).toEqual([[3, 'employees', 'many'], [3, 'renewal_at', '24/06/2026']]);
    const store = openSqliteStore(db);
    expect((await store.getAccount('acme'))?.traits).toMatchObject({ employees: 40, renewal_at: '2026-06-24T00:00:00Z' });
    expect((await store.getAccount('globex'))?.traits).toEqual({ name: 'Globex' });
    await store.close();
  });
});
