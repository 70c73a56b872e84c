// The page shell: landmarks (banner, navigation, main), a skip link, and the logout form.
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
}

export function page(o: PageOptions): string {
  const nav = o.session
    ? html`<nav aria-label="Main"><ul>${NAV.map((n) => html`<li><a href="${n.href}"${n.id === o.active ? html` aria-current="page"` : ''}>${n.label}</a></li>`)}</ul>
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
${o.body}
</main>
</body>
</html>`.value;
}
