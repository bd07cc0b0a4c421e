import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScriptedBrowser, inputValue } from './browser.js';

/** What the OAuth helpers need of a running bridge: the harness, or the demo. */
export interface BridgeUnderTest {
  url: URL;
  mcpUrl: URL;
  apiKeyOf(email: string): string;
}

type Harness = BridgeUnderTest;

export const REDIRECT_URI = 'http://127.0.0.1:33418/callback';

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  redirect_uri: string;
}

/** An MCP client's own redirect endpoint on loopback, which receives the code. */
export interface ClientRedirect {
  /** `http://127.0.0.1:<port>/callback`, for the client's registration. */
  uri: string;
  /** Every URL a browser was sent to on this endpoint, oldest first. */
  received: URL[];
  close(): Promise<void>;
}

/** Starts a redirect endpoint that serves a "Connected" page for every request. */
export async function startClientRedirect(): Promise<ClientRedirect> {
  const received: URL[] = [];
  const server = createServer((request, response) => {
    received.push(new URL(request.url ?? '/', 'http://127.0.0.1'));
    response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Connected</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    uri: `http://127.0.0.1:${port}/callback`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/** Registers a client through `/register`. */
export async function registerClient(
  harness: Harness,
  metadata: Record<string, unknown> = {},
): Promise<RegisteredClient> {
  const response = await fetch(new URL('/register', harness.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Test client',
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
      ...metadata,
    }),
  });
  if (response.status !== 201) {
    throw new Error(`registration failed: ${response.status} ${await response.text()}`);
  }
  const body = (await response.json()) as {
    client_id: string;
    client_secret?: string;
    redirect_uris: string[];
  };
  return {
    client_id: body.client_id,
    client_secret: body.client_secret,
    redirect_uri: body.redirect_uris[0]!,
  };
}

export function authorizeUrl(
  harness: Harness,
  client: RegisteredClient,
  challenge: string,
  extra: Record<string, string> = {},
): URL {
  const url = new URL('/authorize', harness.url);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: client.redirect_uri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'client-state-1',
    scope: 'odoo.read',
    resource: harness.mcpUrl.href,
    ...extra,
  }).toString();
  return url;
}

/**
 * Goes from `/authorize` through the issuer's sign-in page (clicking the person) and back to
 * the bridge, and returns the bridge's page: the consent page, or an error page.
 */
export async function signIn(
  browser: ScriptedBrowser,
  harness: Harness,
  start: URL,
  sub: string,
): Promise<{ status: number; html: string }> {
  const toIssuer = await browser.follow(start);
  const loginPage = await toIssuer.response!.text();
  // With a session at the issuer already, it sends the browser straight back to the bridge.
  if (toIssuer.url.origin === harness.url.origin && toIssuer.url.pathname === '/callback') {
    return { status: toIssuer.response!.status, html: loginPage };
  }
  const action = /<form method="post" action="([^"]*\/login)"/.exec(loginPage)?.[1];
  if (action === undefined) {
    throw new Error(`no sign-in form at the issuer: ${loginPage.slice(0, 300)}`);
  }
  const back = await browser.follow(new URL(action, toIssuer.url), () => false, { form: { sub } });
  const response = back.response!;
  return { status: response.status, html: await response.text() };
}

/** Starts a flow for a person and returns the bridge's page after the sign-in, with its browser. */
export async function openConsent(
  harness: Harness,
  client: RegisteredClient,
  person: { sub: string },
  browser = new ScriptedBrowser(),
): Promise<{ browser: ScriptedBrowser; page: { status: number; html: string } }> {
  const { challenge } = pkcePair();
  const page = await signIn(browser, harness, authorizeUrl(harness, client, challenge), person.sub);
  return { browser, page };
}

/** Submits the consent form; returns the redirect to the client, or the re-rendered page. */
export async function submitConsent(
  browser: ScriptedBrowser,
  harness: Harness,
  consentPage: string,
  fields: { action: 'allow' | 'deny' | 'forget'; apiKey?: string; login?: string },
): Promise<{ location?: URL; status: number; html?: string }> {
  const form: Record<string, string> = {
    consent: inputValue(consentPage, 'consent') ?? '',
    action: fields.action,
  };
  if (fields.apiKey !== undefined) {
    form.api_key = fields.apiKey;
  }
  form.login = fields.login ?? inputValue(consentPage, 'login') ?? '';
  const response = await browser.request(new URL('/consent', harness.url), { form });
  const location = response.headers.get('location');
  if (location !== null) {
    return { location: new URL(location), status: response.status };
  }
  return { status: response.status, html: await response.text() };
}

/** Runs the whole browser part and returns the authorization code. */
export async function authorize(
  harness: Harness,
  client: RegisteredClient,
  person: { sub: string; email: string },
  options: { browser?: ScriptedBrowser; apiKey?: string } = {},
): Promise<{ code: string; verifier: string; browser: ScriptedBrowser }> {
  const browser = options.browser ?? new ScriptedBrowser();
  const { verifier, challenge } = pkcePair();
  const page = await signIn(browser, harness, authorizeUrl(harness, client, challenge), person.sub);
  if (page.status !== 200) {
    throw new Error(`sign-in ended on ${page.status}: ${page.html.slice(0, 500)}`);
  }
  const apiKey = options.apiKey ?? harness.apiKeyOf(person.email);
  const answer = await submitConsent(browser, harness, page.html, { action: 'allow', apiKey });
  const code = answer.location?.searchParams.get('code');
  if (code === null || code === undefined) {
    throw new Error(
      `consent did not redirect with a code: ${answer.status} ${answer.html?.slice(0, 800)}`,
    );
  }
  return { code, verifier, browser };
}

/** POSTs a form to `/token`. */
/** Sends `form` to `POST /revoke` (RFC 7009) and returns the response. */
export function revokeRequest(harness: Harness, form: Record<string, string>): Promise<Response> {
  return fetch(new URL('/revoke', harness.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

export async function tokenRequest(
  harness: Harness,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(new URL('/token', harness.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

/** Exchanges a code for tokens, as a public client. */
export async function exchangeCode(
  harness: Harness,
  client: RegisteredClient,
  code: string,
  verifier: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return tokenRequest(harness, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: client.redirect_uri,
    client_id: client.client_id,
    resource: harness.mcpUrl.href,
  });
}

/** Calls `/mcp` with a bearer token and a JSON-RPC body, as a 2025-era client does. */
export async function mcpPost(
  harness: Harness,
  token: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(harness.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: JSON.stringify(body),
  });
}
