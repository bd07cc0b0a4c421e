import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import {
  createDocumentFetcher,
  guardedAgent,
  isBlockedAddress,
} from '../../src/authorization/clients/document-fetcher.js';
import type { FetchedDocument } from '../../src/authorization/clients/metadata-document.js';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness.js';
import { authorize, exchangeCode, pkcePair, REDIRECT_URI } from '../helpers/oauth.js';

const CLIENT_ID = 'https://app.example/oauth/client-metadata.json';

const documents = new Map<string, unknown>([
  [CLIENT_ID, { client_id: CLIENT_ID, client_name: 'Metadata App', redirect_uris: [REDIRECT_URI] }],
  [
    'https://app.example/mismatch.json',
    { client_id: 'https://app.example/other.json', redirect_uris: [REDIRECT_URI] },
  ],
  [
    'https://app.example/secret.json',
    {
      client_id: 'https://app.example/secret.json',
      client_secret: 's',
      redirect_uris: [REDIRECT_URI],
    },
  ],
  [
    'https://app.example/confidential.json',
    {
      client_id: 'https://app.example/confidential.json',
      token_endpoint_auth_method: 'client_secret_post',
      redirect_uris: [REDIRECT_URI],
    },
  ],
]);

describe('client ID metadata documents', () => {
  let harness: Harness;
  const fetched: string[] = [];

  beforeAll(async () => {
    harness = await startHarness({
      fetchMetadataDocument: async (url): Promise<FetchedDocument> => {
        fetched.push(url.href);
        if (!documents.has(url.href)) {
          throw new Error('it answered HTTP 404');
        }
        return { body: documents.get(url.href), maxAgeSeconds: 3600 };
      },
    });
  });

  afterAll(async () => {
    await harness.close();
  });

  async function authorizePage(clientId: string): Promise<{ status: number; text: string }> {
    const url = new URL('/authorize', harness.url);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    return { status: response.status, text: await response.text() };
  }

  it('runs the whole flow with a document client', async () => {
    const client = { client_id: CLIENT_ID, redirect_uri: REDIRECT_URI };
    const { code, verifier } = await authorize(harness, client, PEOPLE[0]!);
    const tokens = await exchangeCode(harness, client, code, verifier);
    expect(tokens.status).toBe(200);
  });

  it('hides the fetch failure reason from the page', async () => {
    const page = await authorizePage('https://app.example/missing.json');
    expect(page.text).not.toContain('404');
    expect(page.text).toContain('from a public address');
  });

  it('fetches a document once for concurrent requests', async () => {
    const id = 'https://app.example/concurrent.json';
    documents.set(id, { client_id: id, redirect_uris: [REDIRECT_URI] });
    await Promise.all(Array.from({ length: 5 }, () => authorizePage(id)));
    expect(fetched.filter((url) => url === id)).toHaveLength(1);
  });

  it('caches a fetched document', async () => {
    await authorizePage(CLIENT_ID);
    await authorizePage(CLIENT_ID);
    expect(fetched.filter((url) => url === CLIENT_ID)).toHaveLength(1);
  });

  it('refuses a document naming another client_id', async () => {
    const page = await authorizePage('https://app.example/mismatch.json');
    expect(page.status).toBe(400);
    expect(page.text).toContain('must equal the document');
  });

  it('refuses a document with a client secret', async () => {
    const page = await authorizePage('https://app.example/secret.json');
    expect(page.status).toBe(400);
    expect(page.text).toContain('must not contain a client_secret');
  });

  it('refuses a confidential document client', async () => {
    const page = await authorizePage('https://app.example/confidential.json');
    expect(page.status).toBe(400);
    expect(page.text).toContain('must be public');
  });

  it('refuses a document that cannot be fetched', async () => {
    const page = await authorizePage('https://app.example/missing.json');
    expect(page.status).toBe(400);
    expect(page.text).toContain('could not be fetched');
  });

  it('refuses a client id URL without a path', async () => {
    const page = await authorizePage('https://app.example/');
    expect(page.status).toBe(400);
    expect(page.text).toContain('must have a path');
  });

  it('refuses dot segments in a client id URL', async () => {
    const page = await authorizePage('https://app.example/a/../client.json');
    expect(page.status).toBe(400);
    expect(page.text).toContain('. or .. path segments');
  });
});

describe('document fetcher', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['::ffff:127.0.0.1', true],
    ['8.8.8.8', false],
    ['2606:4700:4700::1111', false],
  ])('classifies %s as blocked: %s', (address, blocked) => {
    expect(isBlockedAddress(address)).toBe(blocked);
  });

  it('refuses an IP address as host', async () => {
    const fetchDocument = createDocumentFetcher(guardedAgent());
    await expect(fetchDocument(new URL('https://127.0.0.1/client.json'))).rejects.toThrow(
      /IP address/,
    );
  });

  it('refuses a host that resolves to loopback', async () => {
    const fetchDocument = createDocumentFetcher(guardedAgent());
    await expect(fetchDocument(new URL('https://localhost/client.json'))).rejects.toThrow(
      /private or reserved address/,
    );
  });

  function mocked(reply: (pool: ReturnType<MockAgent['get']>) => void, totalTimeoutMs?: number) {
    const agent = new MockAgent();
    agent.disableNetConnect();
    reply(agent.get('https://app.example'));
    return createDocumentFetcher(agent, totalTimeoutMs);
  }

  it('gives up on a slow document at the overall deadline', async () => {
    const fetchDocument = mocked(
      (pool) => pool.intercept({ path: '/c.json' }).reply(200, '{}').delay(2000),
      100,
    );
    const started = Date.now();
    await expect(fetchDocument(new URL('https://app.example/c.json'))).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('refuses a redirect', async () => {
    const fetchDocument = mocked((pool) =>
      pool
        .intercept({ path: '/c.json' })
        .reply(302, '', { headers: { location: 'https://169.254.169.254/' } }),
    );
    await expect(fetchDocument(new URL('https://app.example/c.json'))).rejects.toThrow(/redirect/);
  });

  it('refuses a large body', async () => {
    const fetchDocument = mocked((pool) =>
      pool.intercept({ path: '/c.json' }).reply(200, 'x'.repeat(70_000)),
    );
    await expect(fetchDocument(new URL('https://app.example/c.json'))).rejects.toThrow(
      /larger than/,
    );
  });

  it('refuses a body that is not JSON', async () => {
    const fetchDocument = mocked((pool) =>
      pool.intercept({ path: '/c.json' }).reply(200, '<html>'),
    );
    await expect(fetchDocument(new URL('https://app.example/c.json'))).rejects.toThrow(/not JSON/);
  });

  it('reads max-age from Cache-Control', async () => {
    const fetchDocument = mocked((pool) =>
      pool
        .intercept({ path: '/c.json' })
        .reply(200, '{"a":1}', { headers: { 'cache-control': 'public, max-age=900' } }),
    );
    const document = await fetchDocument(new URL('https://app.example/c.json'));
    expect(document.body).toEqual({ a: 1 });
    expect(document.maxAgeSeconds).toBe(900);
  });
});
