import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../odoo/test-server.js';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 15_000;

/**
 * Starts `node dist/server.js` without ODOO_URL, as `npm start` does, from the dist/ that the
 * test run's global setup has just built: the demo lives in a lazily loaded chunk of the
 * bundle, with oidc-provider bundled in.
 */
describe('built demo', () => {
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let output = '';
  let origin: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['dist/server.js'], {
      cwd: REPOSITORY,
      env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the demo did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
        START_TIMEOUT_MS,
      );
      child.stdout!.on('data', () => {
        if (output.includes('"server.start"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then((code) => reject(new Error(`the demo exited with ${code}:\n${output}`)));
    });
  }, START_TIMEOUT_MS + 5_000);

  afterAll(() => {
    if (child?.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  });

  it('serves the embedded sign-in', async () => {
    const response = await fetch(`${origin}/demo/issuer/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as { issuer?: unknown };
    expect(metadata.issuer).toBe(`${origin}/demo/issuer`);
  });

  it('prints the path of the built CLI', () => {
    const cli = join(REPOSITORY, 'dist', 'cli.js');
    expect(output).toContain(JSON.stringify(cli));
    expect(existsSync(cli)).toBe(true);
  });

  it('exits 0 on SIGTERM', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
