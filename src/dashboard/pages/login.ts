// The login form: an admin API key opens a session (the key itself is never stored in the cookie).
import { html, type SafeHtml } from '../html.ts';

export function loginBody(error: string | undefined, csrf: string): SafeHtml {
  return html`<form method="post" action="/login" class="login">
<input type="hidden" name="csrf" value="${csrf}">
${error ? html`<p class="error" role="alert" id="login-error">${error}</p>` : ''}
<label for="key">Admin API key</label>
<input id="key" name="key" type="password" autocomplete="current-password" required spellcheck="false"${error ? html` aria-invalid="true" aria-describedby="login-error"` : ''}>
<p class="sub">Create one with <code>tierwise keys create --scope admin</code>.</p>
<button type="submit">Log in</button>
</form>`;
}
