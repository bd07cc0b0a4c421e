import { html } from 'hono/html';
import { page, type Page } from './layout.js';

export interface ConsentView {
  clientName: string;
  redirectHost: string;
  redirectOrigin: string;
  email: string;
  /** The sign-in provider: "Google", or the issuer's host. */
  issuerHost: string;
  odooHost: string;
  odooDb: string;
  /** The sealed consent value the form posts back. */
  consent: string;
  /** In google mode, the Odoo user that Odoo's "Sign in with Google" signed in. */
  googleOdoo?: { login: string; name?: string | undefined } | undefined;
  /** The Odoo user of the link cookie, when one already contains this person's key. */
  linked?: { login: string; name?: string | undefined } | undefined;
  loginValue: string;
  /** Pre-filled only in the demo, where the keys are public. */
  apiKeyValue?: string | undefined;
  error?: string | undefined;
}

/** Renders the consent page: which client, which Odoo person, and the person's own API key. */
export function consentPage(view: ConsentView): Page {
  const error =
    view.error === undefined ? '' : html`<p class="error" role="alert">${view.error}</p>`;
  const content = html`<h1>Allow ${view.clientName} to read Odoo as you?</h1>
    <p class="notice">
      Only allow this if you started connecting an assistant just now. It will receive access at
      <strong>${view.redirectHost}</strong>.
    </p>
    <dl>
      <dt>Client</dt>
      <dd>"${view.clientName}" (the name it gives itself), returning to ${view.redirectHost}</dd>
      <dt>Signed in as</dt>
      <dd>${view.email}, with ${view.issuerHost}</dd>
      <dt>Odoo</dt>
      <dd>${view.odooHost}, database ${view.odooDb}</dd>
      <dt>Odoo person</dt>
      <dd>${odooPerson(view)}</dd>
    </dl>
    <p>
      ${view.clientName} will see exactly what you can see in Odoo, and nothing you cannot. It can
      read, not change.
    </p>
    ${error}
    <form method="post" action="/consent">
      <input type="hidden" name="consent" value="${view.consent}" />
      ${view.linked === undefined && view.googleOdoo === undefined ? keyFields(view) : ''}
      <div class="actions">
        <button class="primary" type="submit" name="action" value="allow">Allow</button>
        <button type="submit" name="action" value="deny">Deny</button>
      </div>
    </form>`;
  return page(`Allow ${view.clientName}?`, content, [view.redirectOrigin]);
}

function odooPerson(view: ConsentView) {
  if (view.googleOdoo !== undefined) {
    const name = view.googleOdoo.name === undefined ? '' : `${view.googleOdoo.name}, `;
    return html`${name}login ${view.googleOdoo.login}, signed in to Odoo with your Google account`;
  }
  if (view.linked !== undefined) {
    const name = view.linked.name === undefined ? '' : `${view.linked.name}, `;
    return html`${name}login ${view.linked.login}, with the API key saved in this browser
      <form method="post" action="/consent">
        <input type="hidden" name="consent" value="${view.consent}" />
        <button class="link" type="submit" name="action" value="forget">Use another API key</button>
      </form>`;
  }
  return html`the owner of the API key you paste below, whose Odoo login or email must be
  ${view.email}`;
}

function keyFields(view: ConsentView) {
  return html`<label for="login">Odoo login</label>
    <input id="login" name="login" type="text" autocomplete="username" value="${view.loginValue}" />
    <p class="hint">Usually your email. Change it only if your Odoo login is something else.</p>
    <label for="api_key">Odoo API key</label>
    <input
      id="api_key"
      name="api_key"
      type="password"
      autocomplete="off"
      spellcheck="false"
      value="${view.apiKeyValue ?? ''}"
    />
    <p class="hint">
      In Odoo, open your avatar › Preferences (My Profile when the Employees app is installed) ›
      Account Security › New API Key, and paste the key here. It is kept only sealed, inside the
      tokens the bridge issues to this client and in a cookie of this browser.
    </p>`;
}
