// The drop-in upgrade prompt: renders a decided prompt (title, why now, the plan comparison, the
// price, the trial, the CTA) and reports what the user did. DOM only when called, so importing the
// SDK in Node costs nothing. Text goes in with textContent: nothing from the server is parsed as HTML.
import type { Decision, Prompt, PromptAction, PromptRecord } from './types.ts';

export type ShownDecision = Extract<Decision, { show: true }>;

export interface UpgradePromptOptions {
  /** records shown / clicked / dismissed (a TierwiseClient) */
  client?: { recordOutcome(promptId: string, action: PromptAction): Promise<PromptRecord> };
  /** after the CTA is clicked and recorded: open checkout, the plan page... */
  onCta?: (decision: ShownDecision) => void;
  /** after "Not now" is recorded; the element has already been removed */
  onDismiss?: (decision: ShownDecision) => void;
  /** display names for feature and meter ids the server sends */
  labels?: { features?: Record<string, string>; meters?: Record<string, string> };
  /** cents -> text (default: USD with 2 decimals) */
  formatMoney?: (cents: number) => string;
  /** the text of the dismiss button (default "Not now") */
  dismissText?: string;
  document?: Document;
}

const usd = (cents: number): string => `${cents < 0 ? '-' : ''}$${(Math.abs(cents) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const limitText = (n: number | null): string => (n === null ? 'Unlimited' : n.toLocaleString('en-US'));

/** The prompt as a DOM element (class names `tw-*` for styling); `shown` is recorded once it is built. */
export function renderUpgradePrompt(decision: ShownDecision, o: UpgradePromptOptions = {}): HTMLElement {
  const doc = o.document ?? document;
  const p: Prompt = decision.prompt;
  const money = o.formatMoney ?? usd;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] => {
    const e = doc.createElement(tag);
    e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const root = el('section', 'tw-prompt');
  root.setAttribute('role', 'dialog');
  root.setAttribute('aria-label', p.title);
  root.dataset['promptId'] = decision.id;
  root.append(el('h2', 'tw-title', p.title), el('p', 'tw-body', p.body));
  if (p.reasons.length > 0) {
    const ul = el('ul', 'tw-reasons');
    for (const r of p.reasons) ul.append(el('li', '', r));
    root.append(ul);
  }

  const table = el('table', 'tw-compare');
  const head = el('tr', '');
  head.append(el('th', '', ''), el('th', 'tw-now', 'Now'), el('th', 'tw-target', p.target.name));
  table.append(head);
  const row = (label: string, now: string, then: string): void => {
    const tr = el('tr', '');
    tr.append(el('td', '', label), el('td', 'tw-now', now), el('td', 'tw-target', then));
    table.append(tr);
  };
  for (const l of p.comparison.limits) row(o.labels?.meters?.[l.meter] ?? l.meter, `${limitText(l.from)} (using ${l.observed.toLocaleString('en-US')})`, limitText(l.to));
  for (const f of p.comparison.gainedFeatures) row(o.labels?.features?.[f] ?? f, '—', 'Included');
  root.append(table);

  const price = el('p', 'tw-price', `${money(p.price.monthlyDeltaCents)} more a month`);
  if (p.price.annualDeltaCents !== null) price.textContent += ` (${money(p.price.annualDeltaCents)} a year)`;
  root.append(price);
  if (p.price.proratedNowCents !== null) root.append(el('p', 'tw-prorated', `${money(p.price.proratedNowCents)} today for the rest of this billing period`));
  if (p.trial) root.append(el('p', 'tw-trial', `Try ${p.target.name} free for ${p.trial.days} days.`));

  const cta = el('button', 'tw-cta', p.cta);
  cta.type = 'button';
  const dismiss = el('button', 'tw-dismiss', o.dismissText ?? 'Not now');
  dismiss.type = 'button';
  const actions = el('div', 'tw-actions');
  actions.append(cta, dismiss);
  root.append(actions);

  const record = (action: PromptAction): Promise<unknown> => (o.client ? o.client.recordOutcome(decision.id, action).catch(() => undefined) : Promise.resolve());
  cta.addEventListener('click', () => {
    cta.disabled = true;
    void record('clicked').then(() => {
      root.dispatchEvent(new CustomEvent('tierwise-cta', { bubbles: true, composed: true, detail: decision }));
      o.onCta?.(decision);
    });
  });
  dismiss.addEventListener('click', () => {
    root.remove();
    void record('dismissed').then(() => {
      o.onDismiss?.(decision);
    });
  });
  void record('shown');
  return root;
}

const STYLE = `
:host { display: block; font: 14px/1.4 system-ui, sans-serif; }
.tw-prompt { border: 1px solid #d0d7de; border-radius: 8px; padding: 16px; max-width: 480px; background: #fff; color: #1f2328; }
.tw-title { font-size: 18px; margin: 0 0 8px; }
.tw-compare { border-collapse: collapse; width: 100%; margin: 8px 0; }
.tw-compare th, .tw-compare td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaeef2; }
.tw-target { font-weight: 600; }
.tw-actions { display: flex; gap: 8px; margin-top: 12px; }
.tw-cta { background: #1f6feb; color: #fff; border: 0; border-radius: 6px; padding: 8px 14px; cursor: pointer; }
.tw-dismiss { background: none; border: 0; color: #57606a; cursor: pointer; }
`;

/**
 * Registers `<tierwise-upgrade>` (or `tag`): set its `decision` (and `options`) property and it
 * renders the prompt in its shadow root, with default styles. Call once, in a browser.
 */
export function defineUpgradeElement(tag = 'tierwise-upgrade'): void {
  if (customElements.get(tag)) return;
  customElements.define(tag, class extends HTMLElement {
    private current: ShownDecision | undefined;
    options: UpgradePromptOptions = {};
    get decision(): ShownDecision | undefined {
      return this.current;
    }
    set decision(d: ShownDecision | undefined) {
      this.current = d;
      const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      shadow.replaceChildren();
      if (!d) return;
      const style = document.createElement('style');
      style.textContent = STYLE;
      shadow.append(style, renderUpgradePrompt(d, { ...this.options, onDismiss: (x) => {
        this.remove();
        this.options.onDismiss?.(x);
      } }));
    }
  });
}
