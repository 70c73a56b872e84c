// `tierwise db copy`: moves a whole store into another one (SQLite into PostgreSQL), through the
// ports only, then proves it by counting both sides. Events keep their seqs: the target starts
// empty and appends them in the source's order, so saved states and cursors still line up.
import type { Store, StoredEvent } from './ports.ts';

export interface StoreCounts {
  events: number;
  accounts: number;
  states: number;
  meta: number;
  keys: number;
  opportunities: number;
  steps: number;
  outbox: number;
  touches: number;
  tasks: number;
  trials: number;
}

export class CopyError extends Error {
  readonly code = 'copy_failed';
  constructor(message: string, readonly source?: StoreCounts, readonly target?: StoreCounts) {
    super(message);
    this.name = 'CopyError';
  }
}

export async function countStore(s: Store): Promise<StoreCounts> {
  let states = 0;
  for await (const _ of s.loadAllStates()) states++;
  const accounts = await s.listAccounts();
  let touches = 0;
  for (const a of accounts) touches += (await s.listTouches(a.id, Number.MIN_SAFE_INTEGER)).length;
  const o = await s.countOutbox();
  return {
    events: await s.countEvents(), accounts: accounts.length, states, meta: (await s.listMeta()).length, keys: (await s.listKeys()).length,
    opportunities: (await s.listOpportunities()).length, steps: (await s.listSteps()).length, outbox: o.pending + o.retrying + o.dead + o.delivered,
    touches, tasks: (await s.listTasks()).length, trials: (await s.listTrials()).length,
  };
}

export interface CopyReport { source: StoreCounts; target: StoreCounts; seconds: number }

const PAGE = 50_000;

export async function copyStore(from: Store, to: Store, opts: { onEvents?: (copied: number, total: number) => void } = {}): Promise<CopyReport> {
  const started = performance.now();
  const already = await to.countEvents();
  if (already > 0) throw new CopyError(`the target already holds ${already.toLocaleString('en-US')} events; copy into an empty store`);
  const source = await countStore(from);

  let copied = 0;
  let page: StoredEvent[] = [];
  const flush = async () => {
    if (page.length === 0) return;
    const first = page[0] as StoredEvent;
    if (first.seq !== copied + 1) throw new CopyError(`the source's seqs have a gap before ${first.seq}; it is not a store Tierwise wrote`);
    await to.appendEvents(page.map((e) => e.event));
    copied += page.length;
    page = [];
    opts.onEvents?.(copied, source.events);
  };
  for await (const e of from.readEvents()) {
    page.push(e);
    if (page.length >= PAGE) await flush();
  }
  await flush();

  let states = [];
  for await (const s of from.loadAllStates()) {
    states.push(s);
    if (states.length >= PAGE) { await to.saveStates(states); states = []; }
  }
  await to.saveStates(states);
  for (const [k, v] of await from.listMeta()) await to.setMeta(k, v);
  const have = new Set((await to.listKeys()).map((k) => k.id));
  for (const k of await from.listKeys()) if (!have.has(k.id)) await to.insertKey(k);

  const touches = [];
  for (const a of await from.listAccounts()) touches.push(...await from.listTouches(a.id, Number.MIN_SAFE_INTEGER));
  await to.commitPlaybook({
    opportunities: await from.listOpportunities(), steps: await from.listSteps(), enqueue: await from.listOutbox(),
    touches, tasks: await from.listTasks(), trials: await from.listTrials(),
  });

  const target = await countStore(to);
  const off = (Object.keys(source) as (keyof StoreCounts)[]).filter((k) => source[k] !== target[k]);
  if (off.length > 0) {
    throw new CopyError(`counts differ after the copy: ${off.map((k) => `${k} ${source[k]} in the source, ${target[k]} in the target`).join('; ')}`, source, target);
  }
  return { source, target, seconds: (performance.now() - started) / 1000 };
}
