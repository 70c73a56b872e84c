#!/usr/bin/env node
// The reference for the HTTP ingest figure: the least a server can do and still keep the ingest
// contract (durable before 2xx), on node:http, driven by the same client as `tierwise serve`.
// It reads the body, JSON.parses it (--parse 1), checks each event has a string id, ts and account,
// appends the body's bytes to one file and acknowledges after fdatasync, in groups (every request
// that arrives during a write + fdatasync goes in the next one). No dedupe, no aggregates, no
// engine, no schema: what this reaches on a machine is the ceiling for the contract there.
//   node bench/http-reference-server.mjs FILE [--parse 1|0]
// Prints "listening on http://127.0.0.1:PORT" when ready; SIGTERM closes it.
import { createServer } from 'node:http';
import { closeSync, fdatasync, openSync, write } from 'node:fs';

const file = process.argv[2];
if (!file) throw new Error('usage: http-reference-server.mjs FILE [--parse 1|0]');
const i = process.argv.indexOf('--parse');
const PARSE = i < 0 || process.argv[i + 1] !== '0';
const fd = openSync(file, 'a');

let pending = [];
let writing = false;
function flush() {
  if (writing || pending.length === 0) return;
  writing = true;
  const group = pending;
  pending = [];
  const buf = Buffer.concat(group.map((g) => g.buf));
  write(fd, buf, 0, buf.length, null, (err) => {
    if (err) return done(group, err);
    fdatasync(fd, (err2) => done(group, err2));
  });
}
function done(group, err) {
  for (const g of group) {
    if (err) { g.res.writeHead(500).end(); continue; }
    g.res.writeHead(200, { 'content-type': 'application/json' }).end(`{"accepted":${g.n}}`);
  }
  writing = false;
  flush();
}

function check(body) {
  const events = JSON.parse(body.toString('utf8'));
  if (!Array.isArray(events)) throw new Error('not an array');
  for (const e of events) {
    if (typeof e?.id !== 'string' || typeof e.ts !== 'string' || typeof e.account !== 'string') throw new Error('an event without id, ts or account');
  }
  return events.length;
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    let n = 0;
    if (PARSE) {
      try { n = check(body); } catch (err) { res.writeHead(400).end(String(err)); return; }
    }
    pending.push({ buf: Buffer.concat([body, Buffer.from('\n')]), res, n });
    flush();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.once('SIGTERM', () => {
  server.close(() => { closeSync(fd); process.exit(0); });
  server.closeIdleConnections();
});
