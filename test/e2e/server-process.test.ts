import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyRing, formatKeyRing } from '../../src/seal/keys.js';
import { listen } from '../../src/serve.js';
import { startHarness } from '../helpers/harness.js';
import { freePort } from '../odoo/test-server.js';

const CLIENT_SECRET = 'oidc-client-secret-that-must-not-be-logged';

interface ServerProcess {
  child: ChildProcess;
  port: number;
  stdout: string[];
  stderr: string[];
  tokenKeys: string;
  exited: Promise<number | null>;
}

let running: ServerProcess | undefined;

afterEach(() => {
  running?.child.kill('SIGKILL');
  running = undefined;
});

/** Starts `node dist/server.js` with a production configuration whose upstreams are closed ports. */
async function startServer(): Promise<ServerProcess> {
  // One free port for the bridge, and another that stays closed for the upstreams.
  const port = await freePort();
  const closed = await freePort();
  const tokenKeys = formatKeyRing(generateKeyRing('k1'));
  const child = spawn(process.execPath, ['dist/server.js'], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ODOO_URL: `http://127.0.0.1:${closed}`,
      ODOO_DB: 'odoo',
      OIDC_ISSUER: `http://127.0.0.1:${closed}`,
      OIDC_CLIENT_ID: 'bridge',
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      ALLOWED_EMAIL_DOMAINS: 'example.com',
      TOKEN_KEYS: tokenKeys,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout.push(...chunk.split('\n').filter((line) => line !== ''));
      if (stdout.some((line) => line.includes('"server.start"'))) {
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${stderr}`)));
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  await started;
  running = { child, port, stdout, stderr, tokenKeys, exited };
  return running;
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.once('close', () => resolve(text));
  });
}

describe('server process', () => {
  it('logs one JSON start line without secrets', async () => {
    const server = await startServer();
    const lines = server.stdout.map((line) => JSON.parse(line) as Record<string, unknown>);
    const start = lines.find((line) => line.event === 'server.start');

    expect(start).toMatchObject({
      severity: 'INFO',
      mode: 'production',
      odoo_auth: 'api_key',
      token_key_ids: ['k1'],
      allowed_email_domains: ['example.com'],
      access_token_ttl_seconds: 3600,
    });
    expect(start?.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(start?.listen).toBe(`127.0.0.1:${server.port}`);
    expect(server.stderr.join('')).toBe('');
    const output = server.stdout.join('\n');
    expect(output).not.toContain(CLIENT_SECRET);
    expect(output).not.toContain(server.tokenKeys.split(':')[1]);
  });

  it('finishes a request in flight on SIGTERM, then exits', async () => {
    const server = await startServer();
    const body = 'grant_type=authorization_code&code=x';
    const socket = await openSocket(server.port);
    const response = readAll(socket);
    socket.write(
      `POST /token HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
        'Content-Type: application/x-www-form-urlencoded\r\n' +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));

    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(openSocket(server.port)).rejects.toThrow(/ECONNREFUSED/);
    socket.write(body.slice(10));

    expect(await response).toMatch(/^HTTP\/1\.1 (400|401) /);
    expect(await server.exited).toBe(0);
    const stop = server.stdout.find((line) => line.includes('"server.stop"'));
    expect(stop).toContain('SIGTERM');
  });
});

describe('server close', () => {
  it('cuts a request still in flight after the drain time', async () => {
    const harness = await startHarness();
    try {
      const server = await listen(harness.bridge, 0, '127.0.0.1');
      const socket = await openSocket(Number(server.url.port));
      const response = readAll(socket);
      socket.write(
        `POST /token HTTP/1.1\r\nHost: ${server.url.host}\r\n` +
          'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nx',
      );
      await new Promise((resolve) => setTimeout(resolve, 100));

      const startedMs = Date.now();
      await server.close(300);
      expect(Date.now() - startedMs).toBeGreaterThanOrEqual(250);
      expect(await response).toBe('');
    } finally {
      await harness.close();
    }
  });
});
