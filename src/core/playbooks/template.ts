// Logic-less templates: `{{name}}` placeholders and nothing else, so config can never run code.
// Values are escaped for the medium they land in; the config layer rejects unknown names.

export const TEMPLATE_VARS = [
  'account', 'account_name', 'plan', 'plan_name', 'target', 'target_name', 'evidence', 'reasons',
  'monthly_delta', 'annual_delta', 'prorated', 'roi_multiple', 'trial_days', 'gained_features', 'feature',
  'owner', 'brief', 'term_months', 'discount_pct', 'message', 'unused_features', 'offer_name', 'offer_type', 'term_options', 'why',
] as const;
export type TemplateVar = (typeof TEMPLATE_VARS)[number];
export type TemplateVars = Partial<Record<TemplateVar, string>>;

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** The placeholder names a template uses (for config validation). */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

export type Escape = (s: string) => string;

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml: Escape = (s) => s.replace(/[&<>"']/g, (c) => HTML[c] ?? c);
/** Slack mrkdwn: only &, < and > are control characters (Slack's "escaping text" rules). */
export const escapeSlack: Escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Plain text (email text part, task titles): strip control characters, keep the rest. */
export const escapeText: Escape = (s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');

/** Fills placeholders with escaped values; the template's own text is escaped too, unknown names render empty. */
export function render(text: string, vars: TemplateVars, escape: Escape): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    out += escape(text.slice(last, m.index));
    out += escape(vars[m[1] as TemplateVar] ?? '');
    last = m.index + m[0].length;
  }
  return out + escape(text.slice(last));
}
