// HubSpot through its official client (@hubspot/api-client 13, CRM API v3): a deal upserted by the
// Tierwise opportunity id (POST /crm/v3/objects/deals/batch/upsert with idProperty), a task and a
// note associated with it (POST /crm/v3/objects/tasks, /notes; association types 216 and 214),
// each created once per key (searched first). And the way back: a deal looked up from a webhook's
// objectId, and the v3 request signature checked (docs/crm.md).
import { Client } from '@hubspot/api-client';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DeliveryError, type Transport } from '../app/delivery.ts';
import type { CrmActivity, CrmPayload } from '../app/crm-sync.ts';
import type { HubspotSettings } from '../config/crm-schema.ts';

const TASK_TO_DEAL = 216;
const NOTE_TO_DEAL = 214;

export function hubspotClient(s: HubspotSettings): Client {
  // Retries belong to the outbox (backoff, dead letter), not to the client.
  return new Client({ accessToken: s.token, numberOfApiCallRetries: 0, ...(s.baseUrl ? { basePath: s.baseUrl } : {}) });
}

/** A 4xx other than 408/429 will not get better: dead letter at once. */
function deliveryError(err: unknown): DeliveryError {
  const code = (err as { code?: unknown }).code;
  const status = typeof code === 'number' ? code : undefined;
  const body = (err as { body?: { message?: string } }).body;
  const why = body?.message ?? (err instanceof Error ? err.message.split('\n')[0] : String(err));
  if (status === undefined) return new DeliveryError(`HubSpot unreachable: ${why}`);
  return new DeliveryError(`HubSpot answered ${status}: ${why}`, status >= 400 && status < 500 && status !== 408 && status !== 429);
}

export function hubspotTransport(s: HubspotSettings): Transport {
  const client = hubspotClient(s);
  const owner = (id: string | undefined): Record<string, string> => {
    const o = id !== undefined ? s.owners[id] : undefined;
    return o ? { hubspot_owner_id: o } : {};
  };

  async function activity(a: CrmActivity): Promise<void> {
    const deal = await client.crm.deals.basicApi.getById(a.opportunity, ['dealname'], undefined, undefined, false, s.externalIdProperty).catch((err: unknown) => {
      // The deal's own message may still be waiting for a retry: try again later, not a dead letter.
      if ((err as { code?: unknown }).code === 404) throw new DeliveryError(`HubSpot has no deal with ${s.externalIdProperty} = ${a.opportunity} yet`);
      throw err;
    });
    const search = { filterGroups: [{ filters: [{ propertyName: s.activityKeyProperty, operator: 'EQ' as never, value: a.key }] }], properties: [s.activityKeyProperty], limit: 1 };
    const found = a.kind === 'task' ? await client.crm.objects.tasks.searchApi.doSearch(search) : await client.crm.objects.notes.searchApi.doSearch(search);
    if (found.total > 0) return;
    const type = a.kind === 'task' ? TASK_TO_DEAL : NOTE_TO_DEAL;
    const associations = [{ to: { id: deal.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: type }] }];
    const properties = a.kind === 'task'
      ? { hs_timestamp: new Date(a.at).toISOString(), hs_task_subject: a.subject, hs_task_body: a.body, hs_task_status: 'NOT_STARTED', hs_task_priority: 'HIGH', hs_task_type: 'TODO', [s.activityKeyProperty]: a.key, ...owner(a.owner) }
      : { hs_timestamp: new Date(a.at).toISOString(), hs_note_body: a.body, [s.activityKeyProperty]: a.key, ...owner(a.owner) };
    if (a.kind === 'task') await client.crm.objects.tasks.basicApi.create({ properties, associations });
    else await client.crm.objects.notes.basicApi.create({ properties, associations });
  }

  return {
    async send(_m, payload) {
      const p = payload as CrmPayload;
      try {
        if (p.kind === 'deal') {
          await client.crm.deals.batchApi.upsert({
            inputs: [{
              idProperty: s.externalIdProperty, id: p.opportunity,
              properties: {
                dealname: p.name, pipeline: s.pipeline, dealstage: s.stages[p.stage], amount: (p.amountCents / 100).toFixed(2),
                closedate: `${p.closeDate}T00:00:00.000Z`, description: p.description, [s.externalIdProperty]: p.opportunity, ...owner(p.owner),
              },
            }],
          });
        } else {
          await activity(p);
        }
      } catch (err) {
        if (err instanceof DeliveryError) throw err;
        throw deliveryError(err);
      }
    },
  };
}

/**
 * X-HubSpot-Signature-v3: base64 HMAC-SHA256 with the app's client secret over
 * method + URI + body + timestamp; timestamps older than 5 minutes are refused (HubSpot's rule).
 */
export function verifyHubspotV3(o: { secret: string; method: string; url: string; body: string; signature: string | undefined; timestamp: string | undefined; now: number }): { ok: true } | { ok: false; reason: string } {
  if (!o.signature || !o.timestamp) return { ok: false, reason: 'missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp' };
  const ts = Number(o.timestamp);
  if (!Number.isFinite(ts) || Math.abs(o.now - ts) > 300_000) return { ok: false, reason: 'X-HubSpot-Request-Timestamp is more than 5 minutes away' };
  // HubSpot decodes these URL-encoded characters in the URI before signing.
  const uri = o.url.replace(/%3A/gi, ':').replace(/%2F/gi, '/').replace(/%3F/gi, '?').replace(/%40/gi, '@').replace(/%21/gi, '!').replace(/%24/gi, '$').replace(/%27/gi, "'").replace(/%28/gi, '(').replace(/%29/gi, ')').replace(/%2A/gi, '*').replace(/%2C/gi, ',').replace(/%3B/gi, ';');
  const want = createHmac('sha256', o.secret).update(`${o.method}${uri}${o.body}${o.timestamp}`).digest();
  const got = Buffer.from(o.signature, 'base64');
  return want.length === got.length && timingSafeEqual(want, got) ? { ok: true } : { ok: false, reason: 'X-HubSpot-Signature-v3 does not match' };
}

/** The Tierwise opportunity behind a HubSpot deal id, with its stage and loss reason. */
export async function hubspotDeal(s: HubspotSettings, dealId: string): Promise<{ opportunity?: string; stage?: string; lossReason?: string }> {
  const deal = await hubspotClient(s).crm.deals.basicApi.getById(dealId, [s.externalIdProperty, 'dealstage', s.lossReasonProperty]);
  const p = deal.properties;
  const opportunity = p[s.externalIdProperty] ?? undefined;
  const stage = p['dealstage'] ?? undefined;
  const lossReason = p[s.lossReasonProperty] ?? undefined;
  return { ...(opportunity ? { opportunity } : {}), ...(stage ? { stage } : {}), ...(lossReason ? { lossReason } : {}) };
}
