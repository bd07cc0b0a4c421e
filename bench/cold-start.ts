/**
 * Measures the cold start of the production build: from spawning `node dist/server.js` to the
 * end of the first answered `tools/call` (`count_records` with a valid access token, against
 * the demo Odoo), next to the floor of `node -e 0` run by the same Node binary.
 *
 * Usage: node dist-bench/bench/cold-start.js [runs] [server script]. Build first (`npm run
 * build`), because the server script defaults to dist/server.js. Node 20 has no compile
 * cache, so there the warm row measures the same start as the cold one.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Grant } from '../src/authorization/grant.js';
import { startDemoOdoo } from '../src/demo/odoo/index.js';
import { formatKeyRing, generateKeyRing } from '../src/seal/keys.js';
import { freePort } from './load/processes.js';
import { Sealer } from '../src/seal/seal.js';

const RUNS = Number(process.argv[2] ?? 15);
const SERVER_SCRIPT = process.argv[3] ?? 'dist/server.js';
const RETRY_MS = 2;

const CALL = {
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'count_records', arguments: { model: 'sale.order' } },
};

async function main(): Promise<void> {
  const odoo = await startDemoOdoo();
  const bob = odoo.demo.people.find((person) => person.email === 'bob@example.com')!;
  const keys = generateKeyRing('k1');
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const token = await new Sealer(keys, issuer).seal('access', grantFor(bob), {
    audience: `${issuer}/mcp`,
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  });
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    PORT: String(port),
    PUBLIC_URL: issuer,
    ODOO_URL: odoo.url.href,
    ODOO_DB: odoo.demo.db,
    // The access token's issue counts as the last check, so the issuer is never called.
    OIDC_ISSUER: `http://127.0.0.1:${await freePort()}`,
    OIDC_CLIENT_ID: 'bench',
    OIDC_CLIENT_SECRET: 'bench-secret',
    ALLOWED_EMAIL_DOMAINS: 'example.com',
    TOKEN_KEYS: formatKeyRing(keys),
    LOG_LEVEL: 'warn',
  };

  // A new Cloud Run instance starts with an empty compile cache (Node 22.1 and later), so each
  // cold run gets a new cache folder; the warm runs share one, as restarts on one machine do.
  const warmCache = await mkdtemp(join(tmpdir(), 'bridge-cache-'));
  const floor: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    floor.push(await timeNodeFloor());
    const emptyCache = await mkdtemp(join(tmpdir(), 'bridge-cache-'));
    cold.push(await timeColdStart({ ...env, NODE_COMPILE_CACHE: emptyCache }, port, token));
    await rm(emptyCache, { recursive: true, force: true });
    warm.push(await timeColdStart({ ...env, NODE_COMPILE_CACHE: warmCache }, port, token));
  }
  await rm(warmCache, { recursive: true, force: true });
  await odoo.close();

  const floorMedian = median(floor);
  const coldMedian = median(cold);
  const lines = [
    `Node.js ${process.version}, ${RUNS} runs each, server script ${SERVER_SCRIPT}`,
    '',
    '| measure | median | min | max |',
    '| --- | ---: | ---: | ---: |',
    row('`node -e 0`, spawn to exit', floor),
    row('spawn to first answered `tools/call`', cold),
    row('the same, compile cache warm', warm),
    '',
    `ratio of the medians, cold start to floor: ${(coldMedian / floorMedian).toFixed(2)}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

function grantFor(person: { email: string; uid: number; login: string; apiKey: string }): Grant {
  return {
    grantId: 'cold-start-bench',
    person: { sub: 'bench-sub', email: person.email },
    client: { fingerprint: 'bench', name: 'cold-start bench' },
    scope: 'odoo.read',
    odoo: { mode: 'api_key', uid: person.uid, login: person.login, apiKey: person.apiKey },
    upstream: { accessToken: 'unused', expiresAt: Math.floor(Date.now() / 1000) + 3600 },
    authTime: Math.floor(Date.now() / 1000),
  };
}

/** Times `node -e 0` from spawn to exit, in milliseconds. */
function timeNodeFloor(): Promise<number> {
  const startedMs = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - startedMs));
  });
}

/**
 * Spawns the server and sends the tool call until the port accepts it, then returns the time
 * from spawn to the end of the answer, in milliseconds, and stops the server.
 */
async function timeColdStart(
  env: Record<string, string>,
  port: number,
  token: string,
): Promise<number> {
  const startedMs = performance.now();
  const child = spawn(process.execPath, [SERVER_SCRIPT], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`the server exited with ${child.exitCode}: ${stderr}`);
      }
      const answer = await callTool(port, token);
      if (answer !== undefined) {
        const elapsedMs = performance.now() - startedMs;
        if (!answer.includes('"count"')) {
          throw new Error(`the tool call failed: ${answer.slice(0, 300)}`);
        }
        return elapsedMs;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Sends the tool call; returns the body, or undefined while nothing listens on the port. */
async function callTool(port: number, token: string): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify(CALL),
    });
    return await response.text();
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET') {
      return undefined;
    }
    throw error;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function row(label: string, values: number[]): string {
  const format = (value: number) => `${value.toFixed(0)} ms`;
  return `| ${label} | ${format(median(values))} | ${format(Math.min(...values))} | ${format(Math.max(...values))} |`;
}

await main();
