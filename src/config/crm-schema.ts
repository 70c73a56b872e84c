// The `crm:` section of tierwise.yaml: hand-off of CSM / AE opportunities into HubSpot or Salesforce
// (docs/crm.md). Secrets are named by environment variable, never written in the file.
import { z } from 'zod';
import { OPP_STAGES, type OppStage } from '../core/playbooks/opportunity.ts';

const stageMap = z.partialRecord(z.enum(OPP_STAGES), z.string().min(1));
const owners = z.record(z.string().min(1), z.string().min(1))
  .describe('team member id (team.csms / team.aes) -> the CRM user id that owns the deal');

export const crmConfigSchema = z.object({
  hubspot: z.object({
    token_env: z.string().default('HUBSPOT_ACCESS_TOKEN').describe('env var holding the private app access token (scopes crm.objects.deals.read/write)'),
    client_secret_env: z.string().default('HUBSPOT_CLIENT_SECRET').describe('env var holding the app client secret that signs webhooks (X-HubSpot-Signature-v3)'),
    base_url: z.string().url().optional().describe('the API base (default https://api.hubapi.com)'),
    webhook_url: z.string().url().optional().describe('the public URL HubSpot calls for /webhooks/hubspot (the v3 signature covers it; default: the URL the request arrived at)'),
    pipeline: z.string().min(1).default('default'),
    stages: stageMap.default({}).describe('Tierwise stage -> HubSpot dealstage id (defaults: the default sales pipeline)'),
    owners: owners.default({}),
    external_id_property: z.string().min(1).default('tierwise_opportunity_id').describe('a deal property with unique values: the idempotency key of the upsert'),
    activity_key_property: z.string().min(1).default('tierwise_key').describe('a task and note property: a task or note is created once per key'),
    loss_reason_property: z.string().min(1).default('closed_lost_reason'),
    close_in_days: z.number().int().positive().default(30).describe('expected close date of an open deal: opened + this many days'),
  }).strict().optional(),
  salesforce: z.object({
    instance_url: z.string().url().describe('e.g. https://yourorg.my.salesforce.com'),
    access_token_env: z.string().default('SALESFORCE_ACCESS_TOKEN'),
    api_version: z.string().regex(/^\d+\.\d$/).default('62.0'),
    organization_id: z.string().min(15).optional().describe('outbound messages from any other org are refused'),
    outbound_token_env: z.string().default('SALESFORCE_OUTBOUND_TOKEN').describe('env var holding the secret in the outbound message endpoint URL (?token=...)'),
    stages: stageMap.default({}).describe('Tierwise stage -> Opportunity StageName (defaults: the standard sales process)'),
    owners: owners.default({}),
    external_id_field: z.string().min(1).default('Tierwise_Opportunity_Id__c').describe('an External ID, Unique field on Opportunity'),
    task_key_field: z.string().min(1).default('Tierwise_Key__c').describe('an External ID, Unique field on Task'),
    loss_reason_field: z.string().min(1).default('Loss_Reason__c'),
    close_in_days: z.number().int().positive().default(30),
  }).strict().optional(),
}).strict();

export type CrmConfig = z.output<typeof crmConfigSchema>;

export const HUBSPOT_DEFAULT_STAGES: Record<OppStage, string> = {
  trigger_identified: 'appointmentscheduled', qualified: 'qualifiedtobuy', outreach_sent: 'presentationscheduled',
  engaged: 'decisionmakerboughtin', proposal: 'contractsent', closed_won: 'closedwon', closed_lost: 'closedlost',
};
export const SALESFORCE_DEFAULT_STAGES: Record<OppStage, string> = {
  trigger_identified: 'Prospecting', qualified: 'Qualification', outreach_sent: 'Needs Analysis',
  engaged: 'Value Proposition', proposal: 'Proposal/Price Quote', closed_won: 'Closed Won', closed_lost: 'Closed Lost',
};

export interface HubspotSettings {
  token: string;
  clientSecret?: string | undefined;
  baseUrl?: string | undefined;
  webhookUrl?: string | undefined;
  pipeline: string;
  stages: Record<OppStage, string>;
  owners: Record<string, string>;
  externalIdProperty: string;
  activityKeyProperty: string;
  lossReasonProperty: string;
  closeInDays: number;
}

export interface SalesforceSettings {
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
  organizationId?: string | undefined;
  outboundToken?: string | undefined;
  stages: Record<OppStage, string>;
  owners: Record<string, string>;
  externalIdField: string;
  taskKeyField: string;
  lossReasonField: string;
  closeInDays: number;
}

export interface CrmSettings {
  hubspot?: HubspotSettings;
  salesforce?: SalesforceSettings;
}

/** The CRMs the playbook runner syncs opportunities into. */
export function crmSystems(s: CrmSettings): { system: 'hubspot' | 'salesforce'; closeInDays: number }[] {
  return [
    ...(s.hubspot ? [{ system: 'hubspot' as const, closeInDays: s.hubspot.closeInDays }] : []),
    ...(s.salesforce ? [{ system: 'salesforce' as const, closeInDays: s.salesforce.closeInDays }] : []),
  ];
}

/** The configured CRMs whose secrets are in the environment (a CRM without its token is off). */
export function toCrmSettings(c: CrmConfig | undefined, env: Record<string, string | undefined> = process.env): CrmSettings {
  const out: CrmSettings = {};
  const h = c?.hubspot;
  const token = h ? env[h.token_env] : undefined;
  if (h && token) {
    out.hubspot = {
      token, clientSecret: env[h.client_secret_env], baseUrl: h.base_url, webhookUrl: h.webhook_url, pipeline: h.pipeline,
      stages: { ...HUBSPOT_DEFAULT_STAGES, ...h.stages }, owners: h.owners, externalIdProperty: h.external_id_property,
      activityKeyProperty: h.activity_key_property, lossReasonProperty: h.loss_reason_property, closeInDays: h.close_in_days,
    };
  }
  const s = c?.salesforce;
  const accessToken = s ? env[s.access_token_env] : undefined;
  if (s && accessToken) {
    out.salesforce = {
      instanceUrl: s.instance_url, accessToken, apiVersion: s.api_version, organizationId: s.organization_id, outboundToken: env[s.outbound_token_env],
      stages: { ...SALESFORCE_DEFAULT_STAGES, ...s.stages }, owners: s.owners, externalIdField: s.external_id_field,
      taskKeyField: s.task_key_field, lossReasonField: s.loss_reason_field, closeInDays: s.close_in_days,
    };
  }
  return out;
}
