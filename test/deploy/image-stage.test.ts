import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatKeyRing, generateKeyRing } from '../../src/seal/keys.js';
import {
  parseDockerfile,
  parseDockerignore,
  parseExecForm,
  parseNumericUser,
  type Instruction,
  type Stage,
} from './dockerfile.js';
import { reproduceStages, type StageFolder } from './stage-folder.js';
import { freePort } from '../odoo/test-server.js';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
/** `nobody` on Debian: the user the server runs as when the tests run as root. */
const UNPRIVILEGED_ID = 65534;
/**
 * How long rebuilding the stages may take. It took about 1 s on a 2-core machine, most of it
 * `npm run build`: the final stage installs nothing, because dist/ needs no node_modules.
 */
const REPRODUCE_TIMEOUT_MS = 120_000;
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

/** The entry points that base images of the final stage set in their image configuration. */
const BASE_ENTRYPOINTS: Array<{ image: RegExp; entrypoint: string[] }> = [
  {
    // gcr.io/distroless/nodejs24-debian12[:tag][@digest] runs /nodejs/bin/node.
    image: /^gcr\.io\/distroless\/nodejs\d+-debian\d+(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/,
    entrypoint: ['/nodejs/bin/node'],
  },
];
const NODE_PATHS = new Set(['node', '/nodejs/bin/node', '/usr/local/bin/node']);

interface Upstream {
  server: Server;
  url: string;
  connections: number;
}

/**
 * Rebuilds the image's final stage on the host from the Dockerfile: the files its COPY
 * instructions copy, with the build stage's `npm run build` run in a copy of the build
 * context. Then starts it the way the image's CMD does, as an unprivileged user. The
 * production configuration points Odoo and the issuer at loopback listeners that count
 * connections.
 */
describe('image final stage', () => {
  let stages: Stage[];
  let final: StageFolder;
  let root: string;
  let child: ChildProcess;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let output = '';
  let publicUrl: string;
  let odoo: Upstream;
  let issuer: Upstream;

  beforeAll(async () => {
    stages = parseDockerfile(await readFile(join(REPOSITORY, 'Dockerfile'), 'utf8'));
    const isIgnored = parseDockerignore(await readFile(join(REPOSITORY, '.dockerignore'), 'utf8'));
    root = await mkdtemp(join(tmpdir(), 'image-stage-'));
    const folders = await reproduceStages(stages, {
      context: REPOSITORY,
      root,
      isIgnored,
      runTimeoutMs: REPRODUCE_TIMEOUT_MS,
    });
    final = folders.at(-1)!;
    await allowEveryoneToRead(root);

    odoo = await countingListener();
    issuer = await countingListener();
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      ...final.env,
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      ODOO_URL: odoo.url,
      ODOO_DB: 'odoo',
      OIDC_ISSUER: issuer.url,
      OIDC_CLIENT_ID: 'bridge',
      OIDC_CLIENT_SECRET: 'bridge-secret',
      ALLOWED_EMAIL_DOMAINS: 'example.com',
      TOKEN_KEYS: formatKeyRing(generateKeyRing('k1')),
    };

    const [command, ...args] = startCommand(final.stage);
    const asRoot = process.getuid?.() === 0;
    const dropPrivileges = [
      `--reuid=${UNPRIVILEGED_ID}`,
      `--regid=${UNPRIVILEGED_ID}`,
      '--clear-groups',
    ];
    child = asRoot
      ? spawn('setpriv', [...dropPrivileges, command!, ...args], { cwd: final.folder, env })
      : spawn(command!, args, { cwd: final.folder, env });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    await waitForHealth(`${publicUrl}/healthz`, exited, () => output);
  }, REPRODUCE_TIMEOUT_MS + START_TIMEOUT_MS);

  afterAll(async () => {
    if (child?.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
    odoo?.server.close();
    issuer?.server.close();
    if (root !== undefined) {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('runs as a numeric non-root USER', () => {
    const users = final.stage.instructions.filter((item) => item.keyword === 'USER');
    expect(users).not.toHaveLength(0);
    const { uid, gid } = parseNumericUser(users.at(-1)!);
    expect(uid).not.toBe(0);
    expect(gid).not.toBe(0);
  });

  it('sets NODE_ENV=production', () => {
    expect(final.env.NODE_ENV).toBe('production');
  });

  it('leaves health checks to Cloud Run', () => {
    const keywords = final.stage.instructions.map((item) => item.keyword);
    expect(keywords).not.toContain('HEALTHCHECK');
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${publicUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('names the resource in both metadata documents', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
    ]) {
      const response = await fetch(`${publicUrl}${path}`);
      expect(response.status, path).toBe(200);
      const metadata = (await response.json()) as { resource?: unknown };
      expect(metadata.resource, path).toBe(`${publicUrl}/mcp`);
    }
  });

  it('names the issuer in the authorization server metadata', async () => {
    const response = await fetch(`${publicUrl}/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as { issuer?: unknown };
    expect(metadata.issuer).toBe(publicUrl);
  });

  it('challenges /mcp without a token', async () => {
    const response = await fetch(`${publicUrl}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(
      `resource_metadata="${publicUrl}/.well-known/oauth-protected-resource/mcp"`,
    );
  });

  it('logs the version of its package.json at start', async () => {
    const manifest = JSON.parse(await readFile(join(REPOSITORY, 'package.json'), 'utf8')) as {
      version: string;
    };
    const start = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { event?: string; version?: string })
      .find((line) => line.event === 'server.start');
    // Without package.json beside dist/, the version falls back to 0.0.0.
    expect(start?.version).toBe(manifest.version);
  });

  it('runs the server process without root', async () => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    const uids = /^Uid:\s+(.+)$/m.exec(status)![1]!.split(/\s+/).map(Number);
    const gids = /^Gid:\s+(.+)$/m.exec(status)![1]!.split(/\s+/).map(Number);
    const expected = process.getuid?.() === 0 ? UNPRIVILEGED_ID : process.getuid!();
    // Real, effective, saved and file-system ids.
    expect(uids).toEqual([expected, expected, expected, expected]);
    expect(uids).not.toContain(0);
    expect(gids).not.toContain(0);
    const commandLine = await readFile(`/proc/${child.pid}/cmdline`, 'utf8');
    expect(commandLine).toContain('dist/server.js');
  });

  it('contacts neither Odoo nor the issuer to start and serve metadata', () => {
    expect(odoo.connections).toBe(0);
    expect(issuer.connections).toBe(0);
  });

  it('exits 0 promptly on SIGTERM', async () => {
    const startedMs = performance.now();
    child.kill('SIGTERM');
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS),
    );
    const result = await Promise.race([exited, timeout]);
    expect(result, output).toEqual({ code: 0, signal: null });
    expect(performance.now() - startedMs).toBeLessThan(STOP_TIMEOUT_MS);
  });
});

/** Returns the command line the image runs: the entry point, then CMD, with this Node.js. */
function startCommand(stage: Stage): string[] {
  const last = (keyword: string): Instruction | undefined =>
    stage.instructions.filter((item) => item.keyword === keyword).at(-1);
  const entrypointInstruction = last('ENTRYPOINT');
  const cmdInstruction = last('CMD');
  const entrypoint =
    entrypointInstruction === undefined
      ? BASE_ENTRYPOINTS.find((known) => known.image.test(stage.base))?.entrypoint
      : parseExecForm(entrypointInstruction);
  if (entrypoint === undefined) {
    throw new Error(`the entry point of ${stage.base} is unknown; add it to BASE_ENTRYPOINTS`);
  }
  const argv = [
    ...entrypoint,
    ...(cmdInstruction === undefined ? [] : parseExecForm(cmdInstruction)),
  ];
  if (!NODE_PATHS.has(argv[0]!)) {
    throw new Error(`the image starts ${argv[0]}, not node; the test runs node only`);
  }
  return [process.execPath, ...argv.slice(1)];
}

/** Gives every user read access to the stage folders, so the unprivileged server can load them. */
async function allowEveryoneToRead(path: string): Promise<void> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) {
    return;
  }
  if (info.isDirectory()) {
    await chmod(path, info.mode | 0o555);
    for (const entry of await readdir(path)) {
      await allowEveryoneToRead(join(path, entry));
    }
    return;
  }
  await chmod(path, info.mode | 0o444);
}

/** Starts a loopback listener that counts connections and closes each one at once. */
async function countingListener(): Promise<Upstream> {
  const upstream = { connections: 0 } as Upstream;
  upstream.server = createServer((socket) => {
    upstream.connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
  upstream.url = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
  return upstream;
}

/** Polls the health endpoint until it answers 200, the process exits, or the start times out. */
async function waitForHealth(
  url: string,
  exited: Promise<{ code: number | null }>,
  output: () => string,
): Promise<void> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = performance.now() + START_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (hasExited) {
      throw new Error(`the server exited before answering /healthz:\n${output()}`);
    }
    const status = await fetch(url).then(
      (response) => response.status,
      () => undefined,
    );
    if (status === 200) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server did not answer /healthz within ${START_TIMEOUT_MS} ms:\n${output()}`);
}
