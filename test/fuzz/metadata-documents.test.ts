import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentFetcher } from '../../src/authorization/clients/document-fetcher.js';
import { consentPage, type ConsentView } from '../../src/http/pages/consent.js';
import { pageResponse } from '../../src/http/pages/layout.js';
import { ScriptedBrowser } from '../helpers/browser.js';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import { pkcePair, REDIRECT_URI, signIn } from '../helpers/oauth.js';
import { isAcceptable, metadataArbitrary } from './client-metadata.js';
import { nextClientAddress } from './oauth-replies.js';

const bob = PEOPLE[1]!;

/** Client names meant to break out of the consent page's markup. */
const hostileName = fc.oneof(
  fc.constantFrom(
    '<script>alert(1)</script>',
    '</title><script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    '<style>body{display:none}</style>',
    '&lt;script&gt;',
    '<!--',
    ']]><svg onload=alert(1)>',
    '\u202egnp.exe',
  ),
  fc
    .array(
      fc.oneof(
        fc.constantFrom('<', '>', '&', '"', "'", '/', '='),
        fc.string({ unit: 'grapheme', maxLength: 3 }),
      ),
    )
    .map((parts) => parts.join('').slice(0, 200)),
);

/** How the loopback server responds to the request for a document. */
const SERVINGS = [
  'json',
  'json',
  'json',
  'text',
  'status-404',
  'redirect',
  'array',
  'over-64-kib',
] as const;

/** How the client id URL is written; only `plain` and `query` are valid client ids. */
const ID_URLS = [
  'plain',
  'plain',
  'plain',
  'query',
  'no-path',
  'fragment',
  'credentials',
  'dot-segment',
  'ip-host',
] as const;

/** How the document's own client_id relates to its URL; only `same` is valid. */
const ID_CLAIMS = [
  'same',
  'same',
  'same',
  'same',
  'other',
  'missing',
  'number',
  'trailing-slash',
] as const;

const anyPlan = fc.record({
  metadata: metadataArbitrary,
  serving: fc.constantFrom(...SERVINGS),
  idUrl: fc.constantFrom(...ID_URLS),
  idClaim: fc.constantFrom(...ID_CLAIMS),
  hugeRedirectList: fc.oneof(
    { arbitrary: fc.constant(false), weight: 9 },
    { arbitrary: fc.constant(true), weight: 1 },
  ),
});

/**
 * A plan whose URL, serving and client_id are right and whose metadata is of a public client
 * without a secret, so that only the metadata itself decides.
 */
const wellServedPlan = anyPlan.map((plan) => {
  const { client_secret: _secret, ...metadata } = plan.metadata as Record<string, unknown>;
  if (metadata.token_endpoint_auth_method !== undefined) {
    metadata.token_endpoint_auth_method = 'none';
  }
  return {
    ...plan,
    metadata,
    serving: 'json' as const,
    idUrl: 'plain' as const,
    idClaim: 'same' as const,
    hugeRedirectList: false,
  };
});

const documentPlan = fc.oneof(anyPlan, wellServedPlan);

type DocumentPlan = typeof anyPlan extends fc.Arbitrary<infer T> ? T : never;

/** Served documents by path, as the loopback server returns them. */
const served = new Map<string, { status: number; body: string; location?: string }>();

let runCount = 0;

function clientIdFor(plan: DocumentPlan): string {
  runCount += 1;
  const path = `/fuzz/${runCount}.json`;
  switch (plan.idUrl) {
    case 'plain':
      return `https://app.example${path}`;
    case 'query':
      return `https://app.example${path}?v=1`;
    case 'no-path':
      return `https://app${runCount}.example/`;
    case 'fragment':
      return `https://app.example${path}#x`;
    case 'credentials':
      return `https://user:pass@app.example${path}`;
    case 'dot-segment':
      return `https://app.example/fuzz/../${runCount}.json`;
    case 'ip-host':
      return `https://127.0.0.1${path}`;
  }
}

/** Builds the document of a plan for `clientId`, and stores what the server returns. */
function serve(plan: DocumentPlan, clientId: string): Record<string, unknown> {
  const document: Record<string, unknown> = { ...plan.metadata };
  if (plan.hugeRedirectList) {
    document.redirect_uris = Array.from({ length: 3000 }, (_, i) => `https://app.example/${i}`);
  }
  const claims: Record<DocumentPlan['idClaim'], unknown> = {
    same: clientId,
    other: 'https://app.example/other.json',
    missing: undefined,
    number: 42,
    'trailing-slash': `${clientId}/`,
  };
  if (plan.idClaim !== 'missing') {
    document.client_id = claims[plan.idClaim];
  }
  let body = JSON.stringify(document);
  let status = 200;
  let location: string | undefined;
  switch (plan.serving) {
    case 'text':
      body = `client_id=${clientId}`;
      break;
    case 'status-404':
      status = 404;
      break;
    case 'redirect':
      status = 302;
      location = 'https://elsewhere.example/metadata.json';
      break;
    case 'array':
      body = JSON.stringify([document]);
      break;
    case 'over-64-kib':
      body = JSON.stringify({ ...document, padding: 'x'.repeat(65 * 1024) });
      break;
  }
  const url = new URL(clientId);
  served.set(`${url.pathname}${url.search}`, {
    status,
    body,
    ...(location === undefined ? {} : { location }),
  });
  return document;
}

/**
 * Tells whether the bridge must take the document: a valid client id URL, a JSON object of
 * at most 64 KiB served with 200, naming its own URL, without a secret, of a public client,
 * with metadata RFC 7591 allows.
 */
function isValidDocument(plan: DocumentPlan, clientId: string, document: Record<string, unknown>) {
  const bytes = Buffer.byteLength(JSON.stringify(document));
  return (
    (plan.idUrl === 'plain' || plan.idUrl === 'query') &&
    plan.serving === 'json' &&
    bytes <= 64 * 1024 &&
    document.client_id === clientId &&
    !('client_secret' in document) &&
    (document.token_endpoint_auth_method ?? 'none') === 'none' &&
    isAcceptable(document)
  );
}

describe('client ID metadata documents', () => {
  let server: Server;
  let agent: Agent;
  let harness: Harness;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const answer = served.get(request.url ?? '');
      if (answer === undefined) {
        response.writeHead(404).end();
        return;
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (answer.location !== undefined) {
        headers.location = answer.location;
      }
      response.writeHead(answer.status, headers).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The production fetcher, with every request sent to the loopback server instead of the
    // client id's host, which it never resolves.
    agent = new Agent();
    const toLoopback = agent.compose(
      (dispatch) => (options, handler) => dispatch({ ...options, origin }, handler),
    );
    harness = await startHarness({ fetchMetadataDocument: createDocumentFetcher(toLoopback) });
  });

  afterAll(async () => {
    await harness.close();
    await agent.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function authorizeUrl(clientId: string, redirectUri: string): URL {
    const url = new URL('/authorize', harness.url);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
      resource: harness.mcpUrl.href,
    }).toString();
    return url;
  }

  it('accept only documents the rules allow', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(documentPlan, async (plan) => {
        const clientId = clientIdFor(plan);
        const document = serve(plan, clientId);
        const uris = document.redirect_uris;
        const first = Array.isArray(uris) && typeof uris[0] === 'string' ? uris[0] : REDIRECT_URI;
        const response = await fetch(authorizeUrl(clientId, first), {
          redirect: 'manual',
          headers: { 'x-forwarded-for': nextClientAddress() },
        });
        const page = await response.text();
        const detail = `${response.status} ${page.replace(/<style[\s\S]*<\/style>/, '').slice(0, 600)}`;
        if (isValidDocument(plan, clientId, document)) {
          expect(response.status, detail).toBe(302);
          expect(new URL(response.headers.get('location')!).host).toBe(harness.issuer.url.host);
          accepted += 1;
          return;
        }
        expect(response.status, detail).toBe(400);
        expect(response.headers.get('location')).toBeNull();
        expect(page).toContain('This connection request is invalid');
        expect(page).not.toMatch(/<script/i);
        const fetched = plan.serving === 'json' && !plan.hugeRedirectList;
        if (fetched && plan.idUrl === 'plain' && plan.idClaim === 'other') {
          expect(page, detail).toContain('must equal the document');
        }
      }),
      { numRuns: 250 },
    );
    expect(accepted, 'documents accepted among the runs').toBeGreaterThan(10);
  });

  it('escape hostile client names on consent', async () => {
    await fc.assert(
      fc.asyncProperty(hostileName, async (raw) => {
        // Brackets that occur nowhere else on the page, so that a raw name is found as such.
        const name = `\u27e6${raw}\u27e7`;
        runCount += 1;
        const clientId = `https://app.example/consent/${runCount}.json`;
        const document = { client_id: clientId, client_name: name, redirect_uris: [REDIRECT_URI] };
        served.set(new URL(clientId).pathname, { status: 200, body: JSON.stringify(document) });
        const page = await signIn(
          new ScriptedBrowser(),
          harness,
          authorizeUrl(clientId, REDIRECT_URI),
          bob.sub,
        );
        expect(page.status, page.html.slice(0, 300)).toBe(200);
        expect(page.html).toContain(escapeHtml(name));
        expect(page.html).not.toMatch(/<script/i);
        if (/[<>&"']/.test(raw)) {
          expect(page.html).not.toContain(name);
        }
      }),
      { numRuns: 12 },
    );
  });
});

describe('consent page', () => {
  const view = (clientName: string): ConsentView => ({
    clientName,
    redirectHost: '127.0.0.1:33418',
    redirectOrigin: 'http://127.0.0.1:33418',
    email: 'bob@example.com',
    issuerHost: 'Google',
    odooHost: 'erp.example.com',
    odooDb: 'demo',
    consent: 'sealed-consent',
    loginValue: 'bob@example.com',
  });

  async function render(clientName: string): Promise<string> {
    const response = await pageResponse(consentPage(view(clientName)));
    return (await response.text()).replace(/nonce-[^']+'|nonce="[^"]+"/g, 'NONCE');
  }

  it('escape the client name wherever shown', async () => {
    const marker = 'CLIENTNAMEMARKER';
    const withMarker = await render(marker);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileName, fc.string({ unit: 'binary', maxLength: 40 })),
        async (raw) => {
          // Brackets that occur nowhere else on the page, so that only the name is replaced.
          const name = `\u27e6${raw}\u27e7`;
          const html = await render(name);
          expect(html.split(escapeHtml(name)).join(marker)).toBe(withMarker);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Escapes the five characters HTML text and attribute values must not carry raw. */
function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
