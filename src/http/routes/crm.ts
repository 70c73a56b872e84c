// Closing comes back from the CRM (docs/crm.md): a HubSpot webhook (deal.propertyChange on
// dealstage, signed X-HubSpot-Signature-v3) or a Salesforce outbound message (SOAP, Opportunity)
// moves the Tierwise opportunity to won or lost, with the CRM's loss reason.
import type { Context, Hono } from 'hono';
import { closeOpportunityById } from '../../app/opportunity-actions.ts';
import { hubspotDeal, verifyHubspotV3 } from '../../channels/hubspot.ts';
import { OUTBOUND_ACK, parseOutboundMessage } from '../../channels/salesforce.ts';
import { readBody } from '../body.ts';
import type { ServerContext } from '../context.ts';
import { HttpProblem } from '../problem.ts';
import { exclusive } from './route-helpers.ts';
import { timingSafeEqual } from 'node:crypto';

const MAX_BODY = 1_000_000;

interface Closed { opportunity: string; outcome: 'won' | 'lost' | 'already_closed' | 'unknown' }

async function close(ctx: ServerContext, id: string, won: boolean, detail: string): Promise<Closed> {
  const o = await ctx.playbookDeps.store.getOpportunity(id);
  if (!o) return { opportunity: id, outcome: 'unknown' };
  if (o.status !== 'open') return { opportunity: id, outcome: 'already_closed' };
  await exclusive(ctx, () => closeOpportunityById(ctx.playbookDeps, id, won, ctx.now(), detail));
  return { opportunity: id, outcome: won ? 'won' : 'lost' };
}

const sameSecret = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function registerCrmRoutes(app: Hono, ctx: ServerContext): void {
  app.post('/webhooks/hubspot', async (c: Context) => {
    const s = ctx.crm.hubspot;
    if (!s?.clientSecret) throw new HttpProblem('crm_not_configured', 'configure crm.hubspot and its client secret (HUBSPOT_CLIENT_SECRET) to receive HubSpot webhooks');
    const body = (await readBody(c, { maxBytes: MAX_BODY, tooLarge: 'payload_too_large' })).toString('utf8');
    const check = verifyHubspotV3({
      secret: s.clientSecret, method: c.req.method, url: s.webhookUrl ?? c.req.url, body,
      signature: c.req.header('x-hubspot-signature-v3'), timestamp: c.req.header('x-hubspot-request-timestamp'), now: ctx.now(),
    });
    if (!check.ok) throw new HttpProblem('signature_invalid', check.reason);
    let events: unknown;
    try {
      events = JSON.parse(body);
    } catch {
      throw new HttpProblem('invalid_json', 'the body is not JSON');
    }
    if (!Array.isArray(events)) throw new HttpProblem('invalid_request', 'expected HubSpot\'s array of webhook events');
    const results: Closed[] = [];
    for (const e of events as Record<string, unknown>[]) {
      if (e['subscriptionType'] !== 'deal.propertyChange' || e['propertyName'] !== 'dealstage') continue;
      const value = String(e['propertyValue'] ?? '');
      const won = value === s.stages.closed_won;
      if (!won && value !== s.stages.closed_lost) continue;
      // The event names HubSpot's deal id; the deal names the Tierwise opportunity and the reason.
      const deal = await hubspotDeal(s, String(e['objectId'])).catch((err: unknown) => {
        throw new HttpProblem('internal', `HubSpot deal ${String(e['objectId'])} could not be read: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      });
      if (!deal.opportunity) continue;
      const why = won ? `closed won in HubSpot (deal ${String(e['objectId'])})` : `closed lost in HubSpot (deal ${String(e['objectId'])}): ${deal.lossReason ?? 'no reason given'}`;
      results.push(await close(ctx, deal.opportunity, won, why));
    }
    return c.json({ received: true, results });
  });

  app.post('/webhooks/salesforce', async (c: Context) => {
    const s = ctx.crm.salesforce;
    if (!s?.outboundToken) throw new HttpProblem('crm_not_configured', 'configure crm.salesforce and its outbound message token (SALESFORCE_OUTBOUND_TOKEN) to receive outbound messages');
    // Outbound messages are not signed: the endpoint URL carries a secret and the org id is checked.
    if (!sameSecret(c.req.query('token') ?? '', s.outboundToken)) throw new HttpProblem('unauthorized', 'the outbound message endpoint URL needs ?token= with the configured secret');
    const xml = (await readBody(c, { maxBytes: MAX_BODY, tooLarge: 'payload_too_large' })).toString('utf8');
    const msg = await parseOutboundMessage(xml, s).catch((err: unknown) => {
      throw new HttpProblem('invalid_request', `not a Salesforce outbound message: ${err instanceof Error ? err.message : String(err)}`);
    });
    // Salesforce sends 15- or 18-character ids; compare the 15-character prefix.
    if (s.organizationId && msg.organizationId.slice(0, 15) !== s.organizationId.slice(0, 15)) throw new HttpProblem('forbidden', `outbound message from organization ${msg.organizationId}, not the configured one`);
    for (const n of msg.notifications) {
      if (!n.opportunity || !n.isClosed) continue;
      await close(ctx, n.opportunity, n.isWon, n.isWon ? `closed won in Salesforce (${n.salesforceId})` : `closed lost in Salesforce (${n.salesforceId}): ${n.lossReason ?? 'no reason given'}`);
    }
    return c.body(OUTBOUND_ACK, 200, { 'content-type': 'text/xml; charset=utf-8' });
  });
}
