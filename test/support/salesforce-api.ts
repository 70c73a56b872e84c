// A local stand-in for the Salesforce REST API (v62.0) that checks each request against the
// documented shapes (developer.salesforce.com/docs/atlas.en-us.api_rest: "Insert or Update (Upsert)
// a Record Using an External ID", "Query"), with Opportunity's required fields and the standard sales
// process's StageName picklist, and keeps records so that upserts behave as Salesforce's.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export type SfRecord = Record<string, unknown> & { Id: string };

export interface SalesforceMock {
  url: string;
  opportunities: Map<string, SfRecord>;
  tasks: Map<string, SfRecord>;
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

const STAGES = ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];

export async function startSalesforceMock(token: string, version = '62.0', extField = 'Tierwise_Opportunity_Id__c', taskKey = 'Tierwise_Key__c'): Promise<SalesforceMock> {
  const opportunities = new Map<string, SfRecord>();
  const tasks = new Map<string, SfRecord>();
  const requests: { method: string; path: string }[] = [];
  let n = 0;
  const base = `/services/data/v${version}`;
  const error = (status: number, errorCode: string, message: string, fields: string[] = []) => ({ status, json: [{ message, errorCode, fields }] });
  const body = (req: IncomingMessage) => new Promise<Record<string, unknown>>((resolve, reject) => {
    let s = '';
    req.on('data', (d: Buffer) => { s += d.toString(); });
    req.on('end', () => { try { resolve(s ? JSON.parse(s) as Record<string, unknown> : {}); } catch (e) { reject(e); } });
  });

  async function handle(req: IncomingMessage): Promise<{ status: number; json?: unknown }> {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method ?? '', path: decodeURIComponent(u.pathname) });
    if (req.headers.authorization !== `Bearer ${token}`) return error(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    const upsert = new RegExp(`^${base.replace(/\./g, '\\.')}/sobjects/(Opportunity|Task)/([^/]+)/([^/]+)$`).exec(decodeURIComponent(u.pathname));
    if (req.method === 'PATCH' && upsert) {
      const [, type, field, value] = upsert as unknown as [string, string, string, string];
      if (!String(req.headers['content-type']).startsWith('application/json')) return error(415, 'UNSUPPORTED_MEDIA_TYPE', 'application/json expected');
      const b = await body(req);
      if (field in b) return error(400, 'INVALID_FIELD', `${field} is in the URL; it must not be in the body`, [field]);
      const store = type === 'Opportunity' ? opportunities : tasks;
      if (type === 'Opportunity') {
        if (field !== extField) return error(404, 'NOT_FOUND', `${field} is not an External ID field on Opportunity`);
        const existing = store.get(value);
        const merged = { ...existing, ...b };
        if (!merged['Name'] || !merged['CloseDate'] || !merged['StageName']) return error(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Name, StageName, CloseDate]', ['Name', 'StageName', 'CloseDate']);
        if (!STAGES.includes(String(b['StageName'] ?? merged['StageName']))) return error(400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `Stage: bad value for restricted picklist field: ${String(b['StageName'])}`, ['StageName']);
        if (b['Amount'] !== undefined && typeof b['Amount'] !== 'number') return error(400, 'JSON_PARSER_ERROR', 'Amount: expected a number', ['Amount']);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(String(merged['CloseDate']))) return error(400, 'JSON_PARSER_ERROR', 'CloseDate: expected YYYY-MM-DD', ['CloseDate']);
      } else {
        if (field !== taskKey) return error(404, 'NOT_FOUND', `${field} is not an External ID field on Task`);
        const what = String(b['WhatId'] ?? '');
        if (![...opportunities.values()].some((o) => o.Id === what)) return error(400, 'FIELD_INTEGRITY_EXCEPTION', 'WhatId: id value of incorrect type or not found', ['WhatId']);
        if (!b['Subject']) return error(400, 'REQUIRED_FIELD_MISSING', 'Subject is required', ['Subject']);
      }
      const existing = store.get(value);
      if (existing) {
        store.set(value, { ...existing, ...b });
        return { status: 204 };
      }
      const Id = `${type === 'Opportunity' ? '006' : '00T'}${String(++n).padStart(15, '0')}`;
      store.set(value, { ...b, [field]: value, Id });
      return { status: 201, json: { id: Id, success: true, errors: [], created: true } };
    }
    if (req.method === 'GET' && u.pathname === `${base}/query`) {
      const q = u.searchParams.get('q') ?? '';
      const m = new RegExp(`^SELECT Id FROM Opportunity WHERE ${extField} = '([^']+)'`).exec(q);
      if (!m) return error(400, 'MALFORMED_QUERY', `unexpected query: ${q}`);
      const rec = opportunities.get(m[1] as string);
      const records = rec ? [{ attributes: { type: 'Opportunity', url: `${base}/sobjects/Opportunity/${rec.Id}` }, Id: rec.Id }] : [];
      return { status: 200, json: { totalSize: records.length, done: true, records } };
    }
    return error(404, 'NOT_FOUND', `The requested resource does not exist: ${req.method} ${u.pathname}`);
  }

  const server: Server = createServer((req, res) => {
    handle(req).then((r) => {
      res.writeHead(r.status, r.json === undefined ? {} : { 'content-type': 'application/json;charset=UTF-8' });
      res.end(r.json === undefined ? undefined : JSON.stringify(r.json));
    }, (err: unknown) => {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify([{ message: String(err), errorCode: 'JSON_PARSER_ERROR' }]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  return {
    url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`,
    opportunities, tasks, requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
