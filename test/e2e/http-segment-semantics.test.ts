// Segment's own semantics, driven as Segment documents its HTTP Tracking API (raw HTTP) and through
// the real RudderStack Node client: dedupe by messageId whatever the timestamps, Segment's
// timestamp rules (skew correction, zone-less = UTC whatever TZ the server runs in), non-ISO
// times refused with their pointer, and ignored messages that say why.
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import type { TierwiseEvent } from '../../src/core/events/types.ts';
import { startServer } from '../../src/http/server.ts';
import { listening, tierwise, tierwiseAsync } from './cli.ts';
import { testConfig, useServer } from './http-helpers.ts';

const NOW0 = Date.parse('2026-03-01T10:00:30Z');
let clock = NOW0;
const live = useServer((store) => startServer({ store, config: testConfig(), port: 0, host: '127.0.0.1', now: () => clock }));

const send = (path: string, body: unknown) => fetch(`${live.server.url}${path}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${live.keys.ingest}:`).toString('base64')}` },
  body: JSON.stringify(body),
});

async function eventsOf(account: string): Promise<TierwiseEvent[]> {
  const out: TierwiseEvent[] = [];
  for await (const r of live.store.readEvents({ account })) out.push(r.event);
  return out;
}

describe('Segment dedupe by messageId', () => {
  it('a message without timestamp or originalTimestamp posted twice 1 s apart is stored once, at its first receive time', async () => {
    const msg = { messageId: 'nots-1', userId: 'u1', event: 'API Call', properties: { count: 4 }, context: { groupId: 'dd1' } };
    clock = NOW0;
    expect(await (await send('/v1/track', msg)).json()).toMatchObject({ success: true, accepted: 1 });
    clock = NOW0 + 1_000;
    expect((await send('/v1/track', msg)).status).toBe(200);
    const events = await eventsOf('dd1');
    expect(events).toHaveLength(1);
    expect(events[0]?.ts).toBe(NOW0);
    expect((await live.store.usageDays('dd1', 'api_calls'))[0]?.sum).toBe(4);
  });

  it('the same messageId with a timestamp 1 ms apart (in one batch and in a later one) is stored once', async () => {
    const a = { type: 'track', messageId: 'ms-1', timestamp: '2026-03-01T09:00:00.000Z', userId: 'u1', event: 'API Call', context: { groupId: 'dd2' } };
    const b = { ...a, timestamp: '2026-03-01T09:00:00.001Z' };
    expect((await send('/v1/batch', { batch: [a, b] })).status).toBe(200);
    expect((await send('/v1/batch', { batch: [{ ...a, timestamp: '2026-03-01T09:00:00.002Z' }] })).status).toBe(200);
    const events = await eventsOf('dd2');
    expect(events.map((e) => e.ts)).toEqual([Date.parse(a.timestamp)]);
  });

  it('a message without messageId re-sent unchanged 1 s later is stored once (its content is its id)', async () => {
    const msg = { type: 'track', userId: 'u1', event: 'API Call', context: { groupId: 'dd3' } };
    clock = NOW0;
    await send('/v1/batch', { batch: [msg] });
    clock = NOW0 + 1_000;
    await send('/v1/batch', { batch: [msg] });
    expect(await eventsOf('dd3')).toHaveLength(1);
  });
});

describe('Segment timestamps', () => {
  it('without timestamp: receivedAt - (sentAt - originalTimestamp), per message or from the batch sentAt', async () => {
    clock = NOW0;
    // The device clock is 5 minutes fast: it says it sent at 10:05:30 what it recorded at 10:05:00.
    const own = { type: 'track', messageId: 'sk-1', originalTimestamp: '2026-03-01T10:05:00Z', sentAt: '2026-03-01T10:05:30Z', userId: 'u1', event: 'API Call', context: { groupId: 'sk' } };
    const fromBatch = { type: 'track', messageId: 'sk-2', originalTimestamp: '2026-03-01T10:04:00Z', userId: 'u1', event: 'API Call', context: { groupId: 'sk' } };
    const withTs = { ...fromBatch, messageId: 'sk-3', timestamp: '2026-03-01T08:00:00Z' };
    expect((await send('/v1/batch', { batch: [own, fromBatch, withTs], sentAt: '2026-03-01T10:05:30Z' })).status).toBe(200);
    const ts = Object.fromEntries((await eventsOf('sk')).map((e) => [e.id, new Date(e.ts).toISOString()]));
    expect(ts).toEqual({ 'sk-1': '2026-03-01T10:00:00.000Z', 'sk-2': '2026-03-01T09:59:00.000Z', 'sk-3': '2026-03-01T08:00:00.000Z' });
  });

  it('the real RudderStack client on a device clock months off: the event lands at the server\'s receive time', async () => {
    clock = NOW0;
    const rudder = new RudderAnalytics(live.keys.ingest, { dataPlaneUrl: live.server.url, flushAt: 10, flushInterval: 50, logLevel: 'error', retryCount: 0, errorHandler: () => undefined });
    rudder.track({ userId: 'r1', event: 'API Call', properties: { count: 2 }, context: { groupId: 'sk-rudder' } } as never);
    await new Promise<void>((resolve, reject) => rudder.flush((err) => (err ? reject(err) : resolve())));
    const [e] = await eventsOf('sk-rudder');
    // originalTimestamp and sentAt come from this machine's clock (not 2026-03-01): only the
    // difference between them (milliseconds) is kept, taken off the server's receive time.
    expect(e && NOW0 - e.ts).toBeGreaterThanOrEqual(0);
    expect(e && NOW0 - e.ts).toBeLessThan(10_000);
  }, 20_000);

  it('refuses a time that is not ISO-8601 with its pointer; keeps the rest of the batch', async () => {
    const good = { type: 'track', messageId: 'iso-1', timestamp: '2026-03-01T08:00:00+02:00', userId: 'u1', event: 'API Call', context: { groupId: 'iso' } };
    const bad = { ...good, messageId: 'iso-2', timestamp: 'Jan 16 2026' };
    const badOrig = { ...good, messageId: 'iso-3', timestamp: undefined, originalTimestamp: '16/01/2026 10:00' };
    const res = await send('/v1/batch', { batch: [good, bad, badOrig] });
    const body = await res.json() as { accepted: number; rejected: number; errors: { pointer: string; detail: string }[] };
    expect(body).toMatchObject({ accepted: 1, rejected: 2 });
    expect(body.errors.map((e) => e.pointer)).toEqual(['/batch/1/timestamp', '/batch/2/originalTimestamp']);
    expect(body.errors[0]?.detail).toContain('"Jan 16 2026"');
    expect((await eventsOf('iso')).map((e) => e.ts)).toEqual([Date.parse('2026-03-01T06:00:00Z')]);
  });
});

describe('accepted but ignored messages say why', () => {
  it('identify without traits Tierwise uses and an unmapped track event come back with reasons; identify with traits.company is used', async () => {
    const res = await send('/v1/batch', {
      batch: [
        { type: 'identify', messageId: 'ig-1', userId: 'u7', traits: { email: 'x@y.test' } },
        { type: 'track', messageId: 'ig-2', userId: 'u7', event: 'Logged In', context: { groupId: 'ig' } },
        { type: 'identify', messageId: 'ig-3', userId: 'u8', traits: { email: 'z@y.test', company: { id: 'ig', name: 'Igloo', employee_count: '42' } } },
        { type: 'track', messageId: 'ig-4', userId: 'u8', event: 'API Call' },
      ],
    });
    expect(await res.json()).toEqual({
      success: true, accepted: 2, rejected: 0, errors: [], warnings: [], ignored: 2,
      ignored_reasons: [
        { pointer: '/batch/0', reason: expect.stringContaining('identify: no trait Tierwise uses') },
        { pointer: '/batch/1', reason: 'track "Logged In": not mapped in segment.track (tierwise.yaml)' },
      ],
    });
    expect(await live.store.getAccount('ig')).toMatchObject({ placeholder: false, traits: { name: 'Igloo', employees: 42 } });
    // The identify taught the server u8's account: the track call after it found it.
    expect((await eventsOf('ig')).map((e) => e.type).sort()).toEqual(['account', 'usage']);
  });
});

describe('zone-less times are UTC whatever the server\'s TZ', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tierwise-segtz-'));
  const db = join(dir, 'tw.db');
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('tierwise serve under TZ=America/New_York stores 2026-03-01T10:00:00 as 10:00 UTC', async () => {
    const created = tierwise(['keys', 'create', '--scope', 'ingest', '--name', 'tz', '--db', db, '--json']);
    const { key } = JSON.parse(created.stdout) as { key: string };
    child = tierwiseAsync(['serve', '--port', '0', '--host', '127.0.0.1', '--db', db, '--no-engine'], { TZ: 'America/New_York' });
    const { url } = await listening(child);
    const auth = { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`, 'content-type': 'application/json' };
    const batch = [
      { type: 'group', messageId: 'tz-1', groupId: 'tz', timestamp: '2026-03-01T10:00:00', traits: { name: 'TZ' } },
      { type: 'group', messageId: 'tz-2', groupId: 'tz', timestamp: '2026-07-01 10:00:00.250', traits: { name: 'TZ' } },
    ];
    expect((await fetch(`${url}/v1/batch`, { method: 'POST', headers: auth, body: JSON.stringify({ batch }) })).status).toBe(200);
    const store = openSqliteStore(db);
    const ts: Record<string, string> = {};
    for await (const r of store.readEvents({ account: 'tz' })) ts[r.event.id] = new Date(r.event.ts).toISOString();
    await store.close();
    expect(ts).toEqual({ 'tz-1': '2026-03-01T10:00:00.000Z', 'tz-2': '2026-07-01T10:00:00.250Z' });
  }, 120_000);
});
