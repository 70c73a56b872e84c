// The page shell: landmarks (banner, navigation, main), a skip link, and the logout form.
import { staleWarning, type Moment } from '../app/clock.ts';
import { html, type SafeHtml } from './html.ts';
import type { Session } from './session.ts';

export const NAV = [
  { href: '/', label: 'Opportunities', id: 'opportunities' },
  { href: '/pipeline', label: 'Pipeline', id: 'pipeline' },
  { href: '/revenue', label: 'Metrics', id: 'metrics' },
  { href: '/catalog', label: 'Catalog', id: 'catalog' },
  { href: '/playbooks', label: 'Playbooks', id: 'playbooks' },
  { href: '/experiments', label: 'Experiments', id: 'experiments' },
] as const;
export type NavId = (typeof NAV)[number]['id'] | 'account' | 'login';

export interface PageOptions {
  title: string;
  active: NavId;
  session?: Session;
  body: SafeHtml;
  /** load Chart.js before the page script */
  charts?: boolean;
  /** the moment the page's figures are computed at: shown with the date picker (one clock) */
  moment?: Moment;
  /** the page's path, for the date picker's form */
  path?: string;
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** "As of" bar: the moment used, where the data ends, a date picker to look back, and the stale warning. */
function momentBar(m: Moment, path: string): SafeHtml {
  const when = m.source === 'clock' ? `now (${new Date(m.now).toISOString().slice(0, 16).replace('T', ' ')} UTC)` : `the end of ${isoDay(m.now)} (UTC)`;
  const warning = staleWarning(m, (d) => `pick ${d} in the date picker`);
  return html`<form class="as-of" method="get" action="${path}" aria-label="Moment">
<p>Figures as of <strong data-moment="${new Date(m.now).toISOString()}">${when}</strong>${m.dataEnds > 0 ? html` · data ends ${isoDay(m.dataEnds)}` : ' · no events yet'}</p>
<label for="as-of">Look back to</label> <input type="date" id="as-of" name="as_of" value="${m.source === 'as_of' ? isoDay(m.now) : ''}"${m.dataEnds > 0 ? html` max="${isoDay(Math.max(m.dataEnds, m.now))}"` : ''}>
<button type="submit">Show</button>${m.source === 'as_of' ? html` <a href="${path}">Back to now</a>` : ''}
</form>${warning ? html`<p class="warn" role="note">${warning}</p>` : ''}`;
}

/** `?as_of=DAY` to carry a picked moment on links, '' at the wall clock. */
export const asOfQuery = (m: Moment | undefined, sep: '?' | '&' = '?'): string =>
  m && m.source === 'as_of' ? `${sep}as_of=${encodeURIComponent(new Date(m.now).toISOString())}` : '';

export function page(o: PageOptions): string {
  const nav = o.session
    ? html`<nav aria-label="Main"><ul>${NAV.map((n) => html`<li><a href="${n.href}${asOfQuery(o.moment)}"${n.id === o.active ? html` aria-current="page"` : ''}>${n.label}</a></li>`)}</ul>
      <form method="post" action="/logout" class="logout"><input type="hidden" name="csrf" value="${o.session.csrf}"><button type="submit">Log out <span class="muted">(${o.session.keyName || `key ${o.session.keyId}`})</span></button></form></nav>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · Tierwise</title>
<link rel="stylesheet" href="/assets/dashboard.css">
${o.charts ? html`<script src="/assets/chart.umd.min.js" defer></script>` : ''}
<script src="/assets/dashboard.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="/">Tierwise</a>${nav}</header>
<main id="main" tabindex="-1">
<h1>${o.title}</h1>
${o.moment ? momentBar(o.moment, o.path ?? '/') : ''}
${o.body}
</main>
</body>
</html>`.value;
}
