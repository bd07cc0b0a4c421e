import type { IncomingMessage, ServerResponse } from 'node:http';
import { html } from 'hono/html';
import type Provider from 'oidc-provider';
import { page } from '../../http/pages/layout.js';
import type { IssuerPerson } from './provider.js';

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?\/?(?:\?.*)?$/;
const MAX_FORM_BYTES = 4096;

/**
 * Serves the issuer's own pages: the sign-in page lists the people as buttons labelled with
 * their email, and consent is granted at once, since the issuer stands in for Google, whose
 * consent screen is not what the bridge tests. Returns false for paths that are not its own.
 */
export async function handleInteraction(
  provider: Provider,
  people: Map<string, IssuerPerson>,
  mountPath: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const match = INTERACTION_PATH.exec(path);
  if (match === null) {
    return false;
  }
  // interactionDetails reads the interaction cookie, whose path is the full URL path.
  const uid = match[1]!;
  if (match[2] !== undefined && req.method === 'POST') {
    await finishLogin(provider, people, req, res);
    return true;
  }
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    await sendPage(res, 400, 'Sign-in expired', html`<h1>This sign-in has expired</h1>`, []);
    return true;
  }
  if (details.prompt.name === 'login') {
    await sendLoginPage(res, people, mountPath, uid, redirectOrigins(details.params.redirect_uri));
    return true;
  }
  await grantConsent(provider, details, req, res);
  return true;
}

async function finishLogin(
  provider: Provider,
  people: Map<string, IssuerPerson>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const sub = form.get('sub') ?? '';
  if (!people.has(sub)) {
    await sendPage(res, 400, 'Unknown person', html`<h1>Unknown person</h1>`, []);
    return;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: sub } },
    {
      mergeWithLastSubmission: false,
    },
  );
}

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

async function grantConsent(
  provider: Provider,
  details: InteractionDetails,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
  };
  const existing =
    details.grantId === undefined ? undefined : await provider.Grant.find(details.grantId);
  const grant =
    existing ??
    new provider.Grant({
      accountId: details.session?.accountId ?? '',
      clientId: String(details.params.client_id),
    });
  if (missing.missingOIDCScope !== undefined) {
    grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  }
  if (missing.missingOIDCClaims !== undefined) {
    grant.addOIDCClaims(missing.missingOIDCClaims);
  }
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { consent: existing === undefined ? { grantId } : {} },
    {
      mergeWithLastSubmission: true,
    },
  );
}

async function sendLoginPage(
  res: ServerResponse,
  people: Map<string, IssuerPerson>,
  mountPath: string,
  uid: string,
  formTargets: string[],
): Promise<void> {
  const buttons = [...people.values()].map(
    (person) =>
      html`<form method="post" action="${mountPath}/interaction/${uid}/login">
        <input type="hidden" name="sub" value="${person.sub}" />
        <p><button class="primary" type="submit">${person.email}</button> ${person.name}</p>
      </form>`,
  );
  const content = html`<h1>Demo sign-in</h1>
    <p>This issuer stands in for Google. Choose who you are:</p>
    ${buttons}`;
  await sendPage(res, 200, 'Demo sign-in', content, formTargets);
}

async function sendPage(
  res: ServerResponse,
  status: number,
  title: string,
  content: ReturnType<typeof html>,
  formTargets: string[],
): Promise<void> {
  const rendered = page(title, content, formTargets);
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': rendered.csp,
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  });
  res.end(String(await rendered.body));
}

/** After the login form, the browser is redirected on to the client: CSP form-action must allow it. */
function redirectOrigins(redirectUri: unknown): string[] {
  try {
    return typeof redirectUri === 'string' ? [new URL(redirectUri).origin] : [];
  } catch {
    return [];
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) {
      throw new Error('sign-in form is too large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
