/**
 * Measures the CPU cost of the bridge's OAuth work per request, in process. The operations are
 * opening a sealed access token, the whole bearer check of `/mcp`, sealing an access token, and
 * a whole `POST /token` authorization_code exchange through the bridge's app. The exchange
 * includes client authentication, code redemption, PKCE and the sealing of both tokens.
 *
 * Usage: node dist-bench/bench/oauth-cost.js. BENCH_QUICK=1 runs fewer batches. It prints a
 * Markdown table: the median of the batches' time per operation, and the fastest and slowest
 * batch. Nothing here reaches the network: the issuer and Odoo of the settings never run,
 * because a fresh token counts as the last check of its grant.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { clientFingerprint } from '../src/authorization/clients/clients.js';
import type { Grant } from '../src/authorization/grant.js';
import { issueCode } from '../src/authorization/tokens.js';
import { createBridge, publicUrlSettings, type Bridge } from '../src/bridge.js';
import { createLogger } from '../src/log/logger.js';
import { authenticateBearer } from '../src/resource/bearer.js';
import { generateKeyRing } from '../src/seal/keys.js';
import { median } from './load/stats.js';

const QUICK = process.env.BENCH_QUICK === '1';
const WARMUP_OPERATIONS = QUICK ? 200 : 2000;
const BATCHES = QUICK ? 5 : 30;
const BATCH_SIZE = 200;

/** The bridge's public URL in the settings. Nothing listens there and nothing is sent there. */
const PUBLIC_URL = new URL('http://127.0.0.1:8080');
const REDIRECT_URI = 'http://127.0.0.1:33418/callback';
/** The Host header, which the app checks. A request from a socket has one, a bare `Request` not. */
const HOST = { host: PUBLIC_URL.host };

interface Timing {
  label: string;
  medianUs: number;
  fastestUs: number;
  slowestUs: number;
}

async function main(): Promise<void> {
  const bridge = createBenchBridge();
  const { settings, sealer } = bridge.context;
  const clientId = await registerClient(bridge);
  const grant = grantFor(clientFingerprint(clientId));
  const accessToken = await sealer.seal('access', grant, {
    audience: settings.resource,
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  });
  const bearerRequest = new Request(`${settings.issuer}/mcp`, {
    method: 'POST',
    headers: { ...HOST, authorization: `Bearer ${accessToken}` },
  });

  const timings: Timing[] = [];
  timings.push(
    await time('`Sealer.open` of an access token (decrypt, issuer, audience, expiry)', () =>
      sealer.open('access', accessToken, settings.resource),
    ),
  );
  timings.push(
    await time(
      'bearer check of `/mcp` (`authenticateBearer`: open, allowlist, re-checks)',
      async () => {
        const result = await authenticateBearer(bridge.context, bearerRequest);
        if (!result.ok) {
          throw new Error(`the bearer check failed: ${result.response.status}`);
        }
      },
    ),
  );
  timings.push(
    await time('`Sealer.seal` of an access token', () =>
      sealer.seal('access', grant, {
        audience: settings.resource,
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
      }),
    ),
  );
  timings.push(await timeTokenExchange(bridge, clientId, grant));
  await bridge.close();
  printTable(timings);
}

function createBenchBridge(): Bridge {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  return createBridge({
    settings: {
      ...publicUrlSettings(PUBLIC_URL),
      demo: false,
      odooServer: { url: new URL('http://127.0.0.1:8069/'), db: 'bench' },
      odooAuth: 'api_key',
      accessTokenTtlSeconds: 3600,
      refreshTokenTtlSeconds: 2_592_000,
      upstreamRecheckSeconds: 300,
    },
    keys: generateKeyRing('k1'),
    upstream: {
      issuer: new URL('http://127.0.0.1:9'),
      clientId: 'bench',
      clientSecret: 'bench-secret',
    },
    allowlist: { emails: [], emailDomains: ['example.com'], requireHostedDomain: false },
    // The production level, so the token endpoint's info line is serialised as in production.
    logger: createLogger({ level: 'info', destination: discard }),
  });
}

/** Registers a public client through `POST /register`, as an MCP client does. */
async function registerClient(bridge: Bridge): Promise<string> {
  const response = await bridge.app.fetch(
    new Request(`${bridge.context.settings.issuer}/register`, {
      method: 'POST',
      headers: { ...HOST, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'OAuth cost bench',
        redirect_uris: [REDIRECT_URI],
        token_endpoint_auth_method: 'none',
      }),
    }),
  );
  if (response.status !== 201) {
    throw new Error(`the registration failed: ${response.status} ${await response.text()}`);
  }
  return ((await response.json()) as { client_id: string }).client_id;
}

function grantFor(fingerprint: string): Grant {
  const nowSeconds = Math.floor(Date.now() / 1000);
  return {
    grantId: randomBytes(16).toString('base64url'),
    person: { sub: 'bench-sub', email: 'person-0@example.com', name: 'Bench Person' },
    client: { fingerprint, name: 'OAuth cost bench' },
    scope: 'odoo.read',
    odoo: {
      mode: 'api_key',
      uid: 100,
      login: 'person-0@example.com',
      apiKey: '0123456789abcdef0123456789abcdef01234567',
    },
    upstream: {
      accessToken: 'upstream-access-token',
      refreshToken: 'upstream-refresh-token',
      expiresAt: nowSeconds + 3600,
    },
    authTime: nowSeconds,
  };
}

/**
 * Times `POST /token` with `grant_type=authorization_code` through the bridge's app. Each code
 * can be redeemed once, so every operation gets its own, sealed with `issueCode` beforehand.
 */
async function timeTokenExchange(bridge: Bridge, clientId: string, grant: Grant): Promise<Timing> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const { settings } = bridge.context;
  const binding = {
    redirectUri: REDIRECT_URI,
    codeChallenge: challenge,
    resource: settings.resource,
  };
  const count = WARMUP_OPERATIONS + BATCHES * BATCH_SIZE;
  const codes: string[] = [];
  for (let index = 0; index < count; index += 1) {
    codes.push(await issueCode(bridge.context, grant, binding));
  }
  let next = 0;
  return time('`POST /token` authorization_code, in process (both tokens sealed)', async () => {
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code: codes[next]!,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: clientId,
      resource: settings.resource,
    });
    // /token is rate limited per client address, so each request comes from its own.
    const address = `10.${(next >> 16) & 255}.${(next >> 8) & 255}.${next & 255}`;
    next += 1;
    const response = await bridge.app.fetch(
      new Request(`${settings.issuer}/token`, {
        method: 'POST',
        headers: {
          ...HOST,
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': address,
        },
        body,
      }),
    );
    if (response.status !== 200) {
      throw new Error(`the token request failed: ${response.status} ${await response.text()}`);
    }
    await response.arrayBuffer();
  });
}

/**
 * Runs `operation` sequentially: a warm-up, then batches; returns the time per operation of
 * the median, fastest and slowest batch, in microseconds.
 */
async function time(label: string, operation: () => Promise<unknown>): Promise<Timing> {
  for (let index = 0; index < WARMUP_OPERATIONS; index += 1) {
    await operation();
  }
  const perOperationUs: number[] = [];
  for (let batch = 0; batch < BATCHES; batch += 1) {
    const startedMs = performance.now();
    for (let index = 0; index < BATCH_SIZE; index += 1) {
      await operation();
    }
    perOperationUs.push(((performance.now() - startedMs) * 1000) / BATCH_SIZE);
  }
  return {
    label,
    medianUs: median(perOperationUs),
    fastestUs: Math.min(...perOperationUs),
    slowestUs: Math.max(...perOperationUs),
  };
}

function printTable(timings: Timing[]): void {
  const lines = [
    `Node.js ${process.version}, ${BATCHES} batches of ${BATCH_SIZE} after ${WARMUP_OPERATIONS} warm-up operations`,
    '',
    '| operation | median per operation | fastest batch | slowest batch |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const timing of timings) {
    const us = (value: number) => `${value.toFixed(0)} µs`;
    lines.push(
      `| ${timing.label} | ${us(timing.medianUs)} | ${us(timing.fastestUs)} | ${us(timing.slowestUs)} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
