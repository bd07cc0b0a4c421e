/**
 * The two things the load benchmark sends tool calls to: the bridge's production build, and
 * the direct baseline (direct.ts). Both get the same tool arguments for the same people.
 */
import type { Grant } from '../../src/authorization/grant.js';
import { formatKeyRing, type KeyRing } from '../../src/seal/keys.js';
import { Sealer } from '../../src/seal/seal.js';
import type { Scenario } from './generator.js';
import { createMemoryCgroup } from './memory-limit.js';
import { BENCH_DB, benchPeople, type BenchPerson } from './people.js';
import { freePort, startNode, waitForHttp, type BenchProcess } from './processes.js';

export type ToolName = 'count_records' | 'search_records';

/** The fields `search_records` requests. With `name` and `currency_id`, the bridge adds none. */
const SEARCH_FIELDS = [
  'name',
  'partner_id',
  'user_id',
  'state',
  'date_order',
  'amount_total',
  'currency_id',
];

/** The arguments of each tool call. The page of 20 is full, so it needs a separate total. */
export const TOOL_ARGUMENTS: Record<ToolName, Record<string, unknown>> = {
  count_records: { model: 'sale.order', domain: [['state', '=', 'sale']] },
  search_records: {
    model: 'sale.order',
    domain: [['state', '=', 'sale']],
    fields: SEARCH_FIELDS,
    limit: 20,
  },
};

/** The text in a successful response of each tool, from both targets. */
export const EXPECTED_IN_BODY: Record<ToolName, string> = {
  count_records: '"count"',
  search_records: '"total"',
};

/** Requests of one target, one per person, and what a good answer contains. */
export type TargetRequests = Pick<
  Scenario,
  'origin' | 'requests' | 'expectInBody' | 'rejectInBody'
>;

/** A running bridge and the sealed access tokens of its people. */
export interface RunningBridge {
  process: BenchProcess;
  origin: string;
  /** One access token per person, in the order of `benchPeople`. */
  tokens: string[];
  /** When the tokens were sealed, from `performance.now()`. */
  tokensSealedMs: number;
}

/**
 * Starts `node dist/server.js` with a production configuration against the responder, on
 * `cpu`, and seals an access token for each of `peopleCount` people. The tokens are sealed
 * now, so the grants count as checked now (the bridge re-checks the issuer and the API key
 * `UPSTREAM_RECHECK_SECONDS`, 300 s by default, after the issue of a token).
 */
export async function startBridge(options: {
  keys: KeyRing;
  odooUrl: string;
  peopleCount: number;
  cpu: number;
  /** Distinguishes the grants of each bridge start, so no check state carries over. */
  label: string;
  /** The server script, `dist/server.js` unless another build is measured. */
  script?: string;
  nodeArgs?: string[];
  /** Runs the bridge in a memory cgroup of this size, where the machine allows one. */
  memoryLimitBytes?: number;
}): Promise<RunningBridge> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    PORT: String(port),
    PUBLIC_URL: origin,
    ODOO_URL: options.odooUrl,
    ODOO_DB: BENCH_DB,
    // Nothing listens there: a fresh token's issue counts as the last check at the issuer.
    OIDC_ISSUER: `http://127.0.0.1:${await freePort()}`,
    OIDC_CLIENT_ID: 'bench',
    OIDC_CLIENT_SECRET: 'bench-secret',
    ALLOWED_EMAIL_DOMAINS: 'example.com',
    TOKEN_KEYS: formatKeyRing(options.keys),
    LOG_LEVEL: 'info',
  };
  const memoryCgroup =
    options.memoryLimitBytes === undefined
      ? undefined
      : createMemoryCgroup('odoo-mcp-bridge-bench', options.memoryLimitBytes);
  const bridge = startNode(options.script ?? 'dist/server.js', [], {
    cpu: options.cpu,
    env,
    stdout: 'ignore',
    ...(options.nodeArgs === undefined ? {} : { nodeArgs: options.nodeArgs }),
    ...(memoryCgroup === undefined ? {} : { memoryCgroup }),
  });
  await waitForHttp(`${origin}/.well-known/oauth-protected-resource/mcp`, bridge);
  const running: RunningBridge = { process: bridge, origin, tokens: [], tokensSealedMs: 0 };
  await sealTokens(running, options.keys, options.peopleCount, options.label);
  return running;
}

/**
 * Seals a new access token for each person, for grants named after `label`. New grants start
 * with a fresh re-check interval, so a long run never reaches the re-checks.
 */
export async function sealTokens(
  bridge: RunningBridge,
  keys: KeyRing,
  peopleCount: number,
  label: string,
): Promise<void> {
  const sealer = new Sealer(keys, bridge.origin);
  bridge.tokens = await Promise.all(
    benchPeople(peopleCount).map((person) =>
      sealer.seal('access', grantFor(person, label), {
        audience: `${bridge.origin}/mcp`,
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
      }),
    ),
  );
  bridge.tokensSealedMs = performance.now();
}

function grantFor(person: BenchPerson, label: string): Grant {
  const nowSeconds = Math.floor(Date.now() / 1000);
  return {
    grantId: `bench-${label}-${person.index}`,
    person: { sub: `bench-sub-${person.index}`, email: person.email },
    client: { fingerprint: 'bench-client', name: 'load bench' },
    scope: 'odoo.read',
    odoo: { mode: 'api_key', uid: person.uid, login: person.login, apiKey: person.apiKey },
    upstream: { accessToken: 'unused', expiresAt: nowSeconds + 3600 },
    authTime: nowSeconds,
  };
}

/** The MCP `tools/call` requests of `tool`, one per token, as Claude sends them (2025-06-18). */
export function bridgeRequests(bridge: RunningBridge, tool: ToolName): TargetRequests {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: tool, arguments: TOOL_ARGUMENTS[tool] },
  });
  const requests = bridge.tokens.map((token) => ({
    path: '/mcp',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
    },
    body,
  }));
  return {
    origin: bridge.origin,
    requests,
    expectInBody: EXPECTED_IN_BODY[tool],
    rejectInBody: '"isError":true',
  };
}

/** The same calls for the direct baseline: the tool's arguments, the person in the path. */
export function directRequests(
  origin: string,
  peopleCount: number,
  tool: ToolName,
): TargetRequests {
  const body = JSON.stringify(TOOL_ARGUMENTS[tool]);
  const requests = benchPeople(peopleCount).map((person) => ({
    path: `/${tool}/${person.index}`,
    headers: { 'content-type': 'application/json' },
    body,
  }));
  return { origin, requests, expectInBody: EXPECTED_IN_BODY[tool] };
}

/** Sends one request of `target` for each person, `concurrency` at a time; throws on a failure. */
export async function callEveryPerson(target: TargetRequests, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < target.requests.length) {
      const request = target.requests[next]!;
      next += 1;
      await callOnce(target, request);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Sends one request and returns its body; throws unless it is a success. */
export async function callOnce(
  target: TargetRequests,
  request: TargetRequests['requests'][number],
): Promise<string> {
  const response = await fetch(`${target.origin}${request.path}`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const text = await response.text();
  const rejected = target.rejectInBody !== undefined && text.includes(target.rejectInBody);
  if (!response.ok || !text.includes(target.expectInBody) || rejected) {
    throw new Error(`${request.path} failed (HTTP ${response.status}): ${text.slice(0, 500)}`);
  }
  return text;
}
