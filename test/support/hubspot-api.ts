// A local stand-in for HubSpot's CRM API v3 that checks every request against the documented shapes
// (developers.hubspot.com/docs/api/crm/deals, /tasks, /notes, /crm/v3/objects/{type}/search,
// batch upsert with idProperty) and keeps deals, tasks and notes so that upserts behave as HubSpot's.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface HubspotRecord { id: string; properties: Record<string, string>; associations: { to: { id: string }; types: { associationCategory: string; associationTypeId: number }[] }[] }

export interface HubspotMock {
  url: string;
  deals: Map<string, HubspotRecord>;
  tasks: HubspotRecord[];
  notes: HubspotRecord[];
  requests: { method: string; path: string }[];
  /** answer the next N requests with this status (429, 500...) */
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
}

const DEAL_STAGES = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'];

export async function startHubspotMock(token: string, externalId = 'tierwise_opportunity_id', keyProperty = 'tierwise_key'): Promise<HubspotMock> {
  const deals = new Map<string, HubspotRecord>();
  const tasks: HubspotRecord[] = [];
  const notes: HubspotRecord[] = [];
  const requests: { method: string; path: string }[] = [];
  let failures: { status: number; left: number } | undefined;
  let nextId = 9000;
  const now = () => new Date().toISOString();
  const asObject = (r: HubspotRecord) => ({ id: r.id, properties: r.properties, createdAt: now(), updatedAt: now(), archived: false });

  const body = (req: IncomingMessage) => new Promise<unknown>((resolve, reject) => {
    let s = '';
    req.on('data', (d: Buffer) => { s += d.toString(); });
    req.on('end', () => { try { resolve(s ? JSON.parse(s) : undefined); } catch (e) { reject(e); } });
  });
  const invalid = (message: string) => ({ status: 400, json: { status: 'error', message, category: 'VALIDATION_ERROR', correlationId: 'mock' } });
  const strings = (props: unknown): props is Record<string, string> => typeof props === 'object' && props !== null && Object.values(props).every((v) => typeof v === 'string');

  async function handle(req: IncomingMessage): Promise<{ status: number; json?: unknown }> {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method ?? '', path: u.pathname });
    if (req.headers.authorization !== `Bearer ${token}`) return { status: 401, json: { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' } };
    if (failures && failures.left > 0) {
      failures.left--;
      return { status: failures.status, json: { status: 'error', message: 'try later', category: 'RATE_LIMITS' } };
    }
    if (req.method !== 'GET' && !String(req.headers['content-type']).startsWith('application/json')) return invalid('Content-Type must be application/json');
    const b = req.method === 'GET' ? undefined : (await body(req)) as Record<string, unknown>;

    if (req.method === 'POST' && u.pathname === '/crm/v3/objects/deals/batch/upsert') {
      const inputs = b?.['inputs'];
      if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > 100) return invalid('inputs: 1-100 items');
      const results = [];
      for (const input of inputs as Record<string, unknown>[]) {
        if (input['idProperty'] !== externalId || typeof input['id'] !== 'string') return invalid(`idProperty must be the unique property ${externalId}, with an id`);
        const p = input['properties'];
        if (!strings(p)) return invalid('properties: every value is a string');
        if (!p['dealname'] || !p['pipeline'] || !DEAL_STAGES.includes(p['dealstage'] ?? '')) return invalid(`dealstage ${p['dealstage']} is not a stage of pipeline ${p['pipeline']}`);
        if (!/^-?\d+(\.\d+)?$/.test(p['amount'] ?? '')) return invalid('amount must be a number');
        if (Number.isNaN(Date.parse(p['closedate'] ?? ''))) return invalid('closedate must be a date');
        const existing = deals.get(input['id']);
        const rec = existing ?? { id: String(++nextId), properties: {}, associations: [] };
        rec.properties = { ...rec.properties, ...p, [externalId]: input['id'] };
        deals.set(input['id'], rec);
        results.push({ ...asObject(rec), new: !existing });
      }
      return { status: 200, json: { status: 'COMPLETE', results, startedAt: now(), completedAt: now() } };
    }
    const dealGet = /^\/crm\/v3\/objects\/deals\/([^/]+)$/.exec(u.pathname);
    if (req.method === 'GET' && dealGet) {
      const id = decodeURIComponent(dealGet[1] as string);
      const rec = u.searchParams.get('idProperty') === externalId ? deals.get(id) : [...deals.values()].find((d) => d.id === id);
      if (!rec) return { status: 404, json: { status: 'error', message: 'Object not found', category: 'OBJECT_NOT_FOUND' } };
      const wanted = u.searchParams.getAll('properties').flatMap((p) => p.split(',')).filter(Boolean);
      const props = wanted.length ? Object.fromEntries(wanted.map((k) => [k, rec.properties[k] ?? null])) : rec.properties;
      return { status: 200, json: { ...asObject(rec), properties: props } };
    }
    const search = /^\/crm\/v3\/objects\/(tasks|notes)\/search$/.exec(u.pathname);
    if (req.method === 'POST' && search) {
      const f = (b?.['filterGroups'] as { filters?: { propertyName?: string; operator?: string; value?: string }[] }[] | undefined)?.[0]?.filters?.[0];
      if (!f || f.operator !== 'EQ' || typeof f.propertyName !== 'string') return invalid('filterGroups[0].filters[0] with propertyName, operator EQ and value');
      const list = search[1] === 'tasks' ? tasks : notes;
      const hits = list.filter((r) => r.properties[f.propertyName as string] === f.value);
      return { status: 200, json: { total: hits.length, results: hits.map(asObject) } };
    }
    const create = /^\/crm\/v3\/objects\/(tasks|notes)$/.exec(u.pathname);
    if (req.method === 'POST' && create) {
      const p = b?.['properties'];
      if (!strings(p) || !p['hs_timestamp'] || !p[keyProperty]) return invalid('properties.hs_timestamp and the key property are required');
      if (create[1] === 'tasks' && (!p['hs_task_subject'] || !['NOT_STARTED', 'COMPLETED'].includes(p['hs_task_status'] ?? ''))) return invalid('a task needs hs_task_subject and hs_task_status');
      if (create[1] === 'notes' && !p['hs_note_body']) return invalid('a note needs hs_note_body');
      const assoc = b?.['associations'] as HubspotRecord['associations'] | undefined;
      const wantType = create[1] === 'tasks' ? 216 : 214;
      const a = assoc?.[0];
      if (!a || !deals.size || ![...deals.values()].some((d) => d.id === a.to.id) || a.types[0]?.associationCategory !== 'HUBSPOT_DEFINED' || a.types[0]?.associationTypeId !== wantType) {
        return invalid(`associations: to an existing deal with HUBSPOT_DEFINED type ${wantType}`);
      }
      const rec = { id: String(++nextId), properties: p, associations: assoc ?? [] };
      (create[1] === 'tasks' ? tasks : notes).push(rec);
      return { status: 201, json: asObject(rec) };
    }
    return { status: 404, json: { status: 'error', message: `no route ${req.method} ${u.pathname}`, category: 'OBJECT_NOT_FOUND' } };
  }

  const server: Server = createServer((req, res) => {
    handle(req).then((r) => {
      res.writeHead(r.status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(r.json === undefined ? '' : JSON.stringify(r.json));
    }, (err: unknown) => {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', message: String(err), category: 'VALIDATION_ERROR' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  return {
    url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`,
    deals, tasks, notes, requests,
    failNext(status, times = 1) { failures = { status, left: times }; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
