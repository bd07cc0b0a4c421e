import fc from 'fast-check';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redeemCode } from '../../src/authorization/tokens.js';
import { generateKeyRing } from '../../src/seal/keys.js';
import { Sealer } from '../../src/seal/seal.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { pkcePair, REDIRECT_URI, registerClient, type RegisteredClient } from '../helpers/oauth.js';
import {
  checkOAuthError,
  nextClientAddress,
  oauthReply,
  type OAuthReply,
} from './oauth-replies.js';
import { codeFor, codePayload, sealAs, tokensFor } from './sealed-artifacts.js';

/** How one part of a token request is written; the first choice of each is the right one. */
const PLAN = {
  contentType: ['form', 'form-charset', 'form-upper', 'json', 'text', 'none', 'multipart'],
  grantType: ['code', 'refresh', 'missing', 'twice', 'empty', 'password', 'upper', 'other'],
  client: [
    'public',
    'basic',
    'post',
    'public-with-secret',
    'basic-wrong-secret',
    'post-wrong-secret',
    'basic-and-post-secret',
    'basic-other-id',
    'confidential-without-secret',
    'unknown',
    'other-server',
    'metadata-url',
    'missing',
    'twice',
    'malformed-basic',
    'basic-without-colon',
  ],
  code: [
    'right',
    'other-client',
    'expired',
    'other-audience',
    'refresh-token',
    'access-token',
    'client-id',
    'truncated',
    'garbage',
    'missing',
    'twice',
    'used',
  ],
  redirectUri: ['right', 'missing', 'twice', 'other', 'other-port', 'trailing-slash'],
  verifier: ['right', 'missing', 'twice', 'other', 'short', 'bad-characters', 'too-long'],
  resource: ['missing', 'right', 'right-twice', 'other', 'right-and-other', 'empty'],
  padding: ['none', 'extra-parameters', 'over-64-kib', 'over-1-mib'],
} as const;

type Plan = { [Part in keyof typeof PLAN]: (typeof PLAN)[Part][number] };

/** Every part from its choices, the right one three times in four, so valid requests occur. */
const planArbitrary: fc.Arbitrary<Plan> = fc.record(
  Object.fromEntries(
    Object.entries(PLAN).map(([part, choices]) => [
      part,
      fc.oneof(
        { arbitrary: fc.constant(choices[0]), weight: 3 * choices.length },
        { arbitrary: fc.constantFrom(...choices), weight: choices.length },
      ),
    ]),
  ) as { [Part in keyof Plan]: fc.Arbitrary<Plan[Part]> },
);

/** Unicode and odd names for parameters the endpoint does not read. */
const extraParameters = fc.array(
  fc.tuple(
    fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
      fc.constantFrom('code[]', '__proto__', 'constructor', 'grant_type ', 'Code', 'scope'),
    ),
    fc.string({ unit: 'binary', maxLength: 20 }),
  ),
  { maxLength: 5 },
);

const RESOURCE_IGNORED = new Set(['missing', 'right', 'right-twice']);

/** Tells whether the plan is a valid authorization code exchange, which must get tokens. */
function isValid(plan: Plan): boolean {
  return (
    plan.contentType.startsWith('form') &&
    plan.grantType === 'code' &&
    ['public', 'basic', 'post'].includes(plan.client) &&
    plan.code === 'right' &&
    plan.redirectUri === 'right' &&
    plan.verifier === 'right' &&
    RESOURCE_IGNORED.has(plan.resource) &&
    (plan.padding === 'none' || plan.padding === 'extra-parameters')
  );
}

interface Clients {
  public: RegisteredClient;
  confidential: RegisteredClient & { client_secret: string };
}

describe('token endpoint', () => {
  let harness: Harness;
  let clients: Clients;
  let foreignClientId: string;

  beforeAll(async () => {
    harness = await startHarness();
    const publicClient = await registerClient(harness);
    const confidential = await registerClient(harness, {
      token_endpoint_auth_method: 'client_secret_basic',
    });
    clients = {
      public: publicClient,
      confidential: { ...confidential, client_secret: confidential.client_secret! },
    };
    const foreign = new Sealer(generateKeyRing(), harness.url.origin);
    foreignClientId = await foreign.seal(
      'client',
      { redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' },
      { audience: harness.url.origin },
    );
  });

  afterAll(async () => {
    await harness.close();
  });

  /** Builds the request a plan describes, with fresh artefacts of the plan's client. */
  async function requestFor(plan: Plan, extra: Array<[string, string]>): Promise<Request> {
    const confidential = ['basic', 'post'].some((method) => plan.client.startsWith(method));
    const client =
      confidential || plan.client.startsWith('confidential')
        ? clients.confidential
        : clients.public;
    const { verifier, challenge } = pkcePair();
    const binding = {
      redirectUri: client.redirect_uri,
      codeChallenge: challenge,
      resource: harness.mcpUrl.href,
    };
    const params: Array<[string, string]> = [];
    const headers = new Headers({ 'x-forwarded-for': nextClientAddress() });

    params.push(...grantTypeParameters(plan));
    params.push(...(await clientParameters(plan, client, headers)));
    const credential = await codeParameter(plan, client, binding);
    const credentialName = plan.grantType === 'refresh' ? 'refresh_token' : 'code';
    params.push(...repeat(credentialName, credential, plan.code));
    params.push(...redirectParameters(plan, client.redirect_uri));
    params.push(...verifierParameters(plan, verifier));
    params.push(...resourceParameters(plan, harness.mcpUrl.href));
    if (plan.padding === 'extra-parameters') {
      params.push(...extra);
    }

    let body = new URLSearchParams(params).toString();
    if (plan.padding === 'over-64-kib') {
      body += `&padding=${'x'.repeat(65 * 1024)}`;
    }
    if (plan.padding === 'over-1-mib') {
      body += `&padding=${'x'.repeat(1024 * 1024 + 1)}`;
    }
    const type = CONTENT_TYPES[plan.contentType];
    if (type !== undefined) {
      headers.set('content-type', type);
    }
    if (plan.contentType === 'json') {
      body = JSON.stringify(Object.fromEntries(params));
    }
    // Bytes rather than a string, so that fetch adds no Content-Type of its own.
    const bytes = new TextEncoder().encode(body);
    return new Request(new URL('/token', harness.url), { method: 'POST', headers, body: bytes });
  }

  async function clientParameters(
    plan: Plan,
    client: RegisteredClient,
    headers: Headers,
  ): Promise<Array<[string, string]>> {
    const secret = clients.confidential.client_secret;
    const basic = (id: string, password: string) =>
      `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(password)}`).toString('base64')}`;
    switch (plan.client) {
      case 'public':
        return [['client_id', client.client_id]];
      case 'public-with-secret':
        return [
          ['client_id', client.client_id],
          ['client_secret', 'a-secret'],
        ];
      case 'basic':
        headers.set('authorization', basic(client.client_id, secret));
        return [];
      case 'post':
        return [
          ['client_id', client.client_id],
          ['client_secret', secret],
        ];
      case 'basic-wrong-secret':
        headers.set('authorization', basic(client.client_id, `${secret}x`));
        return [];
      case 'post-wrong-secret':
        return [
          ['client_id', client.client_id],
          ['client_secret', secret.slice(1)],
        ];
      case 'basic-and-post-secret':
        headers.set('authorization', basic(client.client_id, secret));
        return [['client_secret', secret]];
      case 'basic-other-id':
        headers.set('authorization', basic(client.client_id, secret));
        return [['client_id', clients.public.client_id]];
      case 'confidential-without-secret':
        return [['client_id', client.client_id]];
      case 'unknown':
        return [['client_id', 'not-a-client-of-this-server']];
      case 'other-server':
        return [['client_id', foreignClientId]];
      case 'metadata-url':
        return [['client_id', 'https://client.example/metadata.json']];
      case 'missing':
        return [];
      case 'twice':
        return [
          ['client_id', client.client_id],
          ['client_id', client.client_id],
        ];
      case 'malformed-basic':
        headers.set('authorization', 'Basic !!not base64!!');
        return [['client_id', client.client_id]];
      case 'basic-without-colon':
        headers.set('authorization', `Basic ${Buffer.from(client.client_id).toString('base64')}`);
        return [];
    }
  }

  /** Seals the code (or refresh token) the plan sends, for this run. */
  async function codeParameter(
    plan: Plan,
    client: RegisteredClient,
    binding: { redirectUri: string; codeChallenge: string; resource: string },
  ): Promise<string> {
    const issuer = harness.url.origin;
    if (plan.grantType === 'refresh') {
      const tokens = await tokensFor(harness, client.client_id);
      return plan.code === 'right' ? tokens.refresh : tokens.access;
    }
    switch (plan.code) {
      case 'right':
      case 'missing':
      case 'twice':
        return codeFor(harness, client.client_id, binding);
      case 'other-client': {
        const other = client === clients.public ? clients.confidential : clients.public;
        return codeFor(harness, other.client_id, binding);
      }
      case 'expired':
        return sealAs(harness, 'code', codePayload(harness, client.client_id, binding), {
          audience: issuer,
          expiresInSeconds: -5,
        });
      case 'other-audience':
        return sealAs(harness, 'code', codePayload(harness, client.client_id, binding), {
          audience: harness.mcpUrl.href,
        });
      case 'refresh-token':
        return (await tokensFor(harness, client.client_id)).refresh;
      case 'access-token':
        return (await tokensFor(harness, client.client_id)).access;
      case 'client-id':
        return client.client_id;
      case 'truncated':
        return (await codeFor(harness, client.client_id, binding)).slice(0, -3);
      case 'garbage':
        return 'eyJhbGciOiJkaXIifQ..garbage.garbage.garbage';
      case 'used': {
        const code = await codeFor(harness, client.client_id, binding);
        // Redeeming it once marks it used on this instance, as a first exchange would.
        await redeemCode(harness.bridge.context, code);
        return code;
      }
    }
  }

  it('issue tokens exactly for valid requests', async () => {
    let issued = 0;
    await fc.assert(
      fc.asyncProperty(planArbitrary, extraParameters, async (plan, extra) => {
        const request = await requestFor(plan, extra);
        const reply = await oauthReply(await send(request, plan.padding === 'over-1-mib'));
        expect(reply.status, JSON.stringify(reply.body)).not.toBeGreaterThanOrEqual(500);
        if (reply.status !== 413) {
          // RFC 6749 §5.1: no-store on token responses; the endpoint sets it on its errors too.
          expect(reply.headers.get('cache-control')).toContain('no-store');
        }
        if (isValid(plan)) {
          await checkTokens(reply);
          issued += 1;
          return;
        }
        checkOAuthError(reply, TOKEN_ERRORS);
        expect(reply.body).not.toHaveProperty('access_token');
        expect(reply.body).not.toHaveProperty('refresh_token');
        if (reply.body.error === 'invalid_client' && request.headers.has('authorization')) {
          expect(reply.headers.get('www-authenticate')).toMatch(/^Basic /);
        }
      }),
      { numRuns: 250 },
    );
    expect(issued, 'valid requests among the runs').toBeGreaterThan(3);
  });

  it('answer any form body with an OAuth error', async () => {
    const anyForm = fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('grant_type', 'code', 'client_id', 'redirect_uri', 'code_verifier'),
          fc.constantFrom('refresh_token', 'resource', 'scope', 'client_secret'),
          fc.string({ unit: 'grapheme', maxLength: 6 }),
        ),
        fc.oneof(
          fc.constantFrom('authorization_code', 'refresh_token', '', '%', '%zz', '\u0000'),
          fc.string({ unit: 'binary', maxLength: 30 }),
        ),
      ),
      { maxLength: 12 },
    );
    const rawBody = fc.oneof(
      anyForm.map((pairs) => new URLSearchParams(pairs).toString()),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom('%', '&&&', '=', 'grant_type', 'grant_type=%E0%A4%A', '\u0000=\u0000'),
    );
    const contentType = fc.constantFrom(
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=ISO-8859-1',
      'application/x-www-form-urlencodedx',
      'application/json',
      'multipart/form-data; boundary=x',
      '',
    );
    await fc.assert(
      fc.asyncProperty(rawBody, contentType, async (body, type) => {
        const headers: Record<string, string> = { 'x-forwarded-for': nextClientAddress() };
        if (type !== '') {
          headers['content-type'] = type;
        }
        // Bytes rather than a string, so that fetch adds no Content-Type of its own.
        const response = await fetch(new URL('/token', harness.url), {
          method: 'POST',
          headers,
          body: new TextEncoder().encode(body),
        });
        const reply = await oauthReply(response);
        checkOAuthError(reply, TOKEN_ERRORS);
      }),
      { numRuns: 200 },
    );
  });

  /**
   * Sends a request; one over the server's 1 MiB limit goes on a connection of its own.
   * NOTE: the server responds to such a body with 413 and "Connection: keep-alive" but does not
   * read the rest of it, so the next request on that connection fails ("other side closed").
   */
  async function send(request: Request, alone: boolean): Promise<Response> {
    if (!alone) {
      return fetch(request);
    }
    const agent = new Agent();
    try {
      const response = await undiciFetch(request.url, {
        method: request.method,
        headers: headerRecord(request.headers),
        body: Buffer.from(await request.arrayBuffer()),
        dispatcher: agent,
      });
      const text = await response.text();
      return new Response(text, { status: response.status, headers: response.headers });
    } finally {
      await agent.close();
    }
  }

  /** Expects tokens that open for their own purpose and audience only. */
  async function checkTokens(reply: OAuthReply): Promise<void> {
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.token_type).toBe('Bearer');
    const { sealer } = harness.bridge.context;
    const access = String(reply.body.access_token);
    const refresh = String(reply.body.refresh_token);
    await expect(sealer.open('access', access, harness.mcpUrl.href)).resolves.toBeDefined();
    await expect(sealer.open('refresh', refresh, harness.url.origin)).resolves.toBeDefined();
    await expect(sealer.open('refresh', access, harness.url.origin)).rejects.toThrow();
    await expect(sealer.open('access', refresh, harness.mcpUrl.href)).rejects.toThrow();
  }
});

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

const TOKEN_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
]);

const CONTENT_TYPES: Record<Plan['contentType'], string | undefined> = {
  form: 'application/x-www-form-urlencoded',
  'form-charset': 'application/x-www-form-urlencoded; charset=UTF-8',
  'form-upper': 'APPLICATION/X-WWW-FORM-URLENCODED',
  json: 'application/json',
  text: 'text/plain',
  none: undefined,
  multipart: 'multipart/form-data; boundary=fuzz',
};

function grantTypeParameters(plan: Plan): Array<[string, string]> {
  switch (plan.grantType) {
    case 'code':
      return [['grant_type', 'authorization_code']];
    case 'refresh':
      return [['grant_type', 'refresh_token']];
    case 'missing':
      return [];
    case 'twice':
      return [
        ['grant_type', 'authorization_code'],
        ['grant_type', 'authorization_code'],
      ];
    case 'empty':
      return [['grant_type', '']];
    case 'password':
      return [['grant_type', 'password']];
    case 'upper':
      return [['grant_type', 'AUTHORIZATION_CODE']];
    case 'other':
      return [['grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer']];
  }
}

/** Writes a parameter once, twice or not at all, following the plan's choice for it. */
function repeat(name: string, value: string, choice: string): Array<[string, string]> {
  if (choice === 'missing') {
    return [];
  }
  if (choice === 'twice') {
    return [
      [name, value],
      [name, value],
    ];
  }
  return [[name, value]];
}

function redirectParameters(plan: Plan, registered: string): Array<[string, string]> {
  switch (plan.redirectUri) {
    case 'right':
    case 'missing':
    case 'twice':
      return repeat('redirect_uri', registered, plan.redirectUri);
    case 'other':
      return [['redirect_uri', 'https://attacker.example/callback']];
    case 'other-port': {
      const url = new URL(registered);
      url.port = String(Number(url.port) + 1);
      return [['redirect_uri', url.href]];
    }
    case 'trailing-slash':
      return [['redirect_uri', `${registered}/`]];
  }
}

function verifierParameters(plan: Plan, verifier: string): Array<[string, string]> {
  switch (plan.verifier) {
    case 'right':
    case 'missing':
    case 'twice':
      return repeat('code_verifier', verifier, plan.verifier);
    case 'other':
      return [['code_verifier', pkcePair().verifier]];
    case 'short':
      return [['code_verifier', verifier.slice(0, 42)]];
    case 'bad-characters':
      return [['code_verifier', `${verifier.slice(0, 42)}+`]];
    case 'too-long':
      return [['code_verifier', verifier.repeat(3)]];
  }
}

function resourceParameters(plan: Plan, resource: string): Array<[string, string]> {
  switch (plan.resource) {
    case 'missing':
      return [];
    case 'right':
      return [['resource', resource]];
    case 'right-twice':
      return [
        ['resource', resource],
        ['resource', resource],
      ];
    case 'other':
      return [['resource', 'https://other.example/mcp']];
    case 'right-and-other':
      return [
        ['resource', resource],
        ['resource', `${resource}/`],
      ];
    case 'empty':
      return [['resource', '']];
  }
}
