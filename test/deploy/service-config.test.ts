import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, readEnvironment } from '../../src/config/env.js';
import { createLogger } from '../../src/log/logger.js';
import { formatKeyRing, generateKeyRing, parseKeyRing } from '../../src/seal/keys.js';
import { startProduction } from '../../src/serve.js';

const GUIDE_PATH = 'docs/deploy-cloud-run.md';
const MANIFEST_PATH = 'deploy/service.yaml';

/** The variables that hold secrets, which must come from Secret Manager. */
const SECRET_VARIABLES = ['OIDC_CLIENT_SECRET', 'TOKEN_KEYS'];

/** Values for the guide's shell variables and the manifest's `${...}` placeholders. */
const SAMPLE_VALUES: Record<string, string> = {
  PROJECT_ID: 'my-company-erp',
  REGION: 'europe-west1',
  IMAGE_TAG: 'abc1234',
  PUBLIC_URL: 'https://odoo-mcp-bridge-123456789012.europe-west1.run.app',
  ODOO_URL: 'https://mycompany.odoo.com',
  ODOO_DB: 'mycompany',
  OIDC_CLIENT_ID: '1234567890-abc.apps.googleusercontent.com',
  ALLOWED_EMAIL_DOMAINS: 'mycompany.com,mycompany.de',
};

/** gcloud flags that take no value, as far as the guide's command uses them. */
const BOOLEAN_FLAGS = new Set([
  'allow-unauthenticated',
  'no-allow-unauthenticated',
  'cpu-throttling',
  'no-cpu-throttling',
  'cpu-boost',
  'no-cpu-boost',
  'invoker-iam-check',
  'no-invoker-iam-check',
  'async',
  'no-traffic',
]);

interface SecretReference {
  secret: string;
  version: string;
}

/** The settings that the deploy command and the manifest must agree on. */
interface ServiceConfig {
  service: string;
  serviceAccount: string | undefined;
  env: Record<string, string>;
  secrets: Record<string, SecretReference>;
  port: string | undefined;
  timeoutSeconds: string | undefined;
  concurrency: string | undefined;
  minInstances: string | undefined;
  maxInstances: string | undefined;
  cpu: string | undefined;
  memory: string | undefined;
  cpuThrottling: boolean | undefined;
  cpuBoost: boolean | undefined;
  executionEnvironment: string | undefined;
}

const guide = readFileSync(GUIDE_PATH, 'utf8');
const manifestText = readFileSync(MANIFEST_PATH, 'utf8');

/** Returns the contents of the fenced code blocks of a CommonMark document. */
function fencedBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let fence: string | undefined;
  let lines: string[] = [];
  for (const line of markdown.split('\n')) {
    if (fence === undefined) {
      const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (opening !== null) {
        fence = opening[1]!;
        lines = [];
      }
      continue;
    }
    const closing = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
    if (closing !== null && closing[1]![0] === fence[0] && closing[1]!.length >= fence.length) {
      blocks.push(lines.join('\n'));
      fence = undefined;
      continue;
    }
    lines.push(line);
  }
  return blocks;
}

/** Returns the shell commands of a block, each continuation line joined to its command. */
function shellCommands(block: string): string[] {
  return block
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * Splits a command line into words the way a POSIX shell does, for the quoting the guide
 * uses: single quotes, double quotes and backslashes. Parameter expansions stay as written.
 */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i]!;
    const next = command[i + 1] ?? '';
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') {
        quote = undefined;
      } else if (char === '\\' && '"\\$`'.includes(next)) {
        word += next;
        i++;
      } else {
        word += char;
      }
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (char === '#' && !inWord) {
      break;
    } else {
      inWord = true;
      if (char === "'" || char === '"') {
        quote = char;
      } else if (char === '\\') {
        word += next;
        i++;
      } else {
        word += char;
      }
    }
  }
  if (quote !== undefined) {
    throw new Error(`unterminated ${quote} quote in: ${command}`);
  }
  if (inWord) words.push(word);
  return words;
}

/** Writes `$NAME` and `${NAME}` alike, so that shell variables and placeholders compare equal. */
function normalizePlaceholders(value: string): string {
  return value.replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, '${$1}');
}

/** Splits a gcloud dictionary flag value, honouring the `^DELIM^` prefix of gcloud escaping. */
function gcloudDictionary(value: string): Record<string, string> {
  const custom = /^\^([^^]+)\^/.exec(value);
  const delimiter = custom === null ? ',' : custom[1]!;
  const body = custom === null ? value : value.slice(custom[0].length);
  const entries: Record<string, string> = {};
  for (const item of body.split(delimiter)) {
    const separator = item.indexOf('=');
    if (separator <= 0) {
      throw new Error(`"${item}" is not KEY=VALUE`);
    }
    entries[item.slice(0, separator)] = item.slice(separator + 1);
  }
  return entries;
}

/** Returns the one `gcloud run deploy` command of the guide, as words. */
function guideDeployCommand(): string[] {
  const commands = fencedBlocks(guide)
    .flatMap(shellCommands)
    .filter((command) => command.startsWith('gcloud run deploy '));
  if (commands.length !== 1) {
    throw new Error(`${GUIDE_PATH} has ${commands.length} gcloud run deploy commands, not 1`);
  }
  return shellWords(commands[0]!);
}

function parseDeployCommand(words: string[]): ServiceConfig {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 3; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (inline !== undefined) {
      flags.set(name, inline);
    } else if (BOOLEAN_FLAGS.has(name)) {
      flags.set(name, true);
    } else {
      flags.set(name, words[++i] ?? '');
    }
  }
  const text = (name: string) => {
    const value = flags.get(name);
    return typeof value === 'string' ? normalizePlaceholders(value) : undefined;
  };
  const toggle = (name: string) => {
    if (flags.has(name)) return true;
    return flags.has(`no-${name}`) ? false : undefined;
  };

  const env = gcloudDictionary(text('set-env-vars') ?? '');
  const secrets: Record<string, SecretReference> = {};
  for (const [variable, reference] of Object.entries(gcloudDictionary(text('set-secrets') ?? ''))) {
    const [secret = '', version = ''] = reference.split(':');
    secrets[variable] = { secret, version };
  }
  return {
    service: positional[0] ?? '',
    serviceAccount: text('service-account'),
    env,
    secrets,
    port: text('port'),
    timeoutSeconds: text('timeout'),
    concurrency: text('concurrency'),
    minInstances: text('min-instances'),
    maxInstances: text('max-instances'),
    cpu: text('cpu'),
    memory: text('memory'),
    cpuThrottling: toggle('cpu-throttling'),
    cpuBoost: toggle('cpu-boost'),
    executionEnvironment: text('execution-environment'),
  };
}

const HttpProbe = z.object({
  httpGet: z.object({ path: z.string(), port: z.number().int().optional() }),
  periodSeconds: z.number().int().optional(),
  timeoutSeconds: z.number().int().optional(),
  failureThreshold: z.number().int().optional(),
});

const EnvVar = z.union([
  z.strictObject({ name: z.string(), value: z.string() }),
  z.strictObject({
    name: z.string(),
    valueFrom: z.strictObject({
      secretKeyRef: z.strictObject({ name: z.string(), key: z.string() }),
    }),
  }),
]);

/** The part of a Knative Serving v1 Service that Cloud Run's YAML reference documents. */
const Manifest = z.object({
  apiVersion: z.literal('serving.knative.dev/v1'),
  kind: z.literal('Service'),
  metadata: z.object({ name: z.string() }),
  spec: z.object({
    template: z.object({
      // Annotation values must be strings, so numbers and booleans are quoted in the file.
      metadata: z.object({ annotations: z.record(z.string(), z.string()) }),
      spec: z.object({
        containerConcurrency: z.number().int(),
        timeoutSeconds: z.number().int(),
        serviceAccountName: z.string(),
        containers: z
          .array(
            z.object({
              image: z.string(),
              ports: z.array(z.object({ name: z.string(), containerPort: z.number().int() })),
              resources: z.object({ limits: z.object({ cpu: z.string(), memory: z.string() }) }),
              env: z.array(EnvVar),
              startupProbe: HttpProbe,
              livenessProbe: HttpProbe,
            }),
          )
          .length(1),
      }),
    }),
  }),
});

const manifest = Manifest.parse(parseYaml(manifestText));
const container = manifest.spec.template.spec.containers[0]!;

function parseManifest(): ServiceConfig {
  const annotations = manifest.spec.template.metadata.annotations;
  const template = manifest.spec.template.spec;
  const env: Record<string, string> = {};
  const secrets: Record<string, SecretReference> = {};
  for (const variable of container.env) {
    if ('value' in variable) {
      env[variable.name] = normalizePlaceholders(variable.value);
    } else {
      const { name, key } = variable.valueFrom.secretKeyRef;
      secrets[variable.name] = { secret: name, version: key };
    }
  }
  const flag = (value: string | undefined) => (value === undefined ? undefined : value === 'true');
  return {
    service: manifest.metadata.name,
    serviceAccount: normalizePlaceholders(template.serviceAccountName),
    env,
    secrets,
    port: container.ports.map((port) => String(port.containerPort)).join(','),
    timeoutSeconds: String(template.timeoutSeconds),
    concurrency: String(template.containerConcurrency),
    minInstances: annotations['autoscaling.knative.dev/minScale'],
    maxInstances: annotations['autoscaling.knative.dev/maxScale'],
    cpu: container.resources.limits.cpu,
    memory: container.resources.limits.memory,
    cpuThrottling: flag(annotations['run.googleapis.com/cpu-throttling']),
    cpuBoost: flag(annotations['run.googleapis.com/startup-cpu-boost']),
    executionEnvironment: annotations['run.googleapis.com/execution-environment'],
  };
}

/** Replaces `${NAME}` with its sample value; an unknown placeholder is an error. */
function fillPlaceholders(value: string): string {
  return value.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_match, name: string) => {
    const sample = SAMPLE_VALUES[name];
    if (sample === undefined) {
      throw new Error(`no sample value for the placeholder \${${name}}`);
    }
    return sample;
  });
}

/** Builds the environment an instance would see, with sample placeholder and secret values. */
function instanceEnvironment(config: ServiceConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.env)) {
    env[name] = fillPlaceholders(value);
  }
  const secretSamples: Record<string, string> = {
    TOKEN_KEYS: formatKeyRing(generateKeyRing('k1')),
    OIDC_CLIENT_SECRET: 'GOCSPX-sample',
  };
  for (const name of Object.keys(config.secrets)) {
    env[name] = secretSamples[name] ?? 'sample';
  }
  return env;
}

/** Records every variable readEnvironment looks at, in the demo and outside it. */
function variablesReadByEnvironment(): Set<string> {
  const read = new Set<string>();
  for (const known of [{}, { ODOO_URL: SAMPLE_VALUES.ODOO_URL }]) {
    const env = new Proxy<Record<string, string | undefined>>(known, {
      get(target, name) {
        if (typeof name === 'string') read.add(name);
        return typeof name === 'string' ? target[name] : undefined;
      },
    });
    try {
      readEnvironment(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  return read;
}

/** Returns the variables that readEnvironment requires once ODOO_URL is set. */
function variablesRequiredOutsideDemo(odooAuth: string | undefined): string[] {
  const env: Record<string, string> = { ODOO_URL: SAMPLE_VALUES.ODOO_URL! };
  if (odooAuth !== undefined) env.ODOO_AUTH = odooAuth;
  try {
    readEnvironment(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return ['ODOO_URL', ...error.problems.map((problem) => problem.variable)];
    }
    throw error;
  }
  throw new Error('readEnvironment accepted an environment with ODOO_URL alone');
}

/** Returns whether bash finds the program on PATH. */
function hasCommand(program: string): boolean {
  try {
    execFileSync('bash', ['-c', `command -v ${program}`], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

function get(
  port: number,
  path: string,
  host: string,
): Promise<{ status: number | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port, path, headers: { host }, timeout: 5000 });
    sent.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, body }));
    });
    sent.on('timeout', () => sent.destroy(new Error(`GET ${path} timed out`)));
    sent.on('error', reject);
    sent.end();
  });
}

describe('deploy command and service.yaml', () => {
  const command = parseDeployCommand(guideDeployCommand());
  const yaml = parseManifest();

  it('name the same service', () => {
    expect(command.service).toBe('odoo-mcp-bridge');
    expect(yaml.service).toBe(command.service);
  });

  it('set the same plain variables', () => {
    expect(Object.keys(yaml.env).sort()).toEqual(Object.keys(command.env).sort());
    expect(yaml.env).toEqual(command.env);
  });

  it('take the same secrets', () => {
    expect(yaml.secrets).toEqual(command.secrets);
    expect(Object.keys(command.secrets).sort()).toEqual(SECRET_VARIABLES);
  });

  it('pin secret versions', () => {
    for (const reference of Object.values(command.secrets)) {
      expect(reference.version, reference.secret).toMatch(/^[1-9]\d*$/);
    }
  });

  it('keep secrets out of plain variables', () => {
    for (const name of SECRET_VARIABLES) {
      expect(command.env, name).not.toHaveProperty(name);
      expect(yaml.env, name).not.toHaveProperty(name);
    }
  });

  it('leave PORT to Cloud Run', () => {
    expect(command.env).not.toHaveProperty('PORT');
    expect(yaml.env).not.toHaveProperty('PORT');
    expect(command.port).toBe('8080');
    expect(yaml.port).toBe(command.port);
  });

  it('run as the same service account', () => {
    expect(command.serviceAccount).toBeDefined();
    expect(yaml.serviceAccount).toBe(command.serviceAccount);
  });

  it('set the same timeout and concurrency', () => {
    expect(command.timeoutSeconds).toBeDefined();
    expect(Number(command.timeoutSeconds)).toBeGreaterThanOrEqual(300);
    expect(yaml.timeoutSeconds).toBe(command.timeoutSeconds);
    expect(command.concurrency).toBeDefined();
    expect(yaml.concurrency).toBe(command.concurrency);
  });

  it('scale the same way', () => {
    expect(command.minInstances).toBe('0');
    expect(yaml.minInstances).toBe(command.minInstances);
    expect(command.maxInstances).toBeDefined();
    expect(yaml.maxInstances).toBe(command.maxInstances);
  });

  it('set the same CPU, memory and environment', () => {
    expect(command.cpu).toBeDefined();
    expect(yaml.cpu).toBe(command.cpu);
    expect(command.memory).toBeDefined();
    expect(yaml.memory).toBe(command.memory);
    expect(command.executionEnvironment).toBeDefined();
    expect(yaml.executionEnvironment).toBe(command.executionEnvironment);
  });

  it('allocate CPU only during requests, boosted at start', () => {
    expect(command.cpuThrottling).toBe(true);
    expect(yaml.cpuThrottling).toBe(true);
    expect(command.cpuBoost).toBe(true);
    expect(yaml.cpuBoost).toBe(true);
  });

  it('set only variables the bridge reads', () => {
    const read = variablesReadByEnvironment();
    for (const config of [command, yaml]) {
      for (const name of [...Object.keys(config.env), ...Object.keys(config.secrets)]) {
        expect(read, name).toContain(name);
      }
    }
  });

  it('set every variable required outside the demo', () => {
    for (const config of [command, yaml]) {
      const set = new Set([...Object.keys(config.env), ...Object.keys(config.secrets)]);
      for (const name of variablesRequiredOutsideDemo(config.env.ODOO_AUTH)) {
        expect(set, name).toContain(name);
      }
    }
  });

  it('form a configuration the bridge accepts', () => {
    for (const config of [command, yaml]) {
      const settings = readEnvironment(instanceEnvironment(config));
      expect(settings.demo).toBe(false);
      expect(settings.publicUrl?.origin).toBe(SAMPLE_VALUES.PUBLIC_URL);
    }
  });
});

describe('deploy guide', () => {
  it('creates every secret the service reads', () => {
    const created = fencedBlocks(guide)
      .flatMap(shellCommands)
      .map((line) => /gcloud secrets create (\S+)/.exec(line)?.[1])
      .filter((name) => name !== undefined);
    const command = parseDeployCommand(guideDeployCommand());
    for (const { secret } of Object.values(command.secrets)) {
      expect(created, secret).toContain(secret);
    }
  });

  it('exports every placeholder of service.yaml', () => {
    const placeholders = [...manifestText.matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)].map(
      (match) => match[1]!,
    );
    const exported = fencedBlocks(guide)
      .flatMap(shellCommands)
      .filter((line) => line.startsWith('export '))
      .flatMap((line) => shellWords(line).slice(1));
    expect(placeholders.length).toBeGreaterThan(0);
    for (const name of placeholders) {
      expect(exported, name).toContain(name);
    }
  });

  it.skipIf(!hasCommand('envsubst'))('fills service.yaml with envsubst', () => {
    const lines = fencedBlocks(guide).flatMap(shellCommands);
    const exportLine = lines.find((line) => line.startsWith('export '));
    const envsubstLine = lines.find((line) => line.startsWith('envsubst '));
    expect(exportLine).toBeDefined();
    expect(envsubstLine).toBeDefined();

    const directory = mkdtempSync(join(tmpdir(), 'service-yaml-'));
    const output = join(directory, 'service.yaml');
    // The guide fills a copy of the file, which is deploy/service.yaml before anyone edits it.
    expect(envsubstLine).toMatch(/<\s*\S*service\.yaml\s/);
    const filling = envsubstLine!
      .replace(/<\s*\S+/, `< '${MANIFEST_PATH}'`)
      .replace(/>\s*\S+/, `> '${output}'`);
    const script = [exportLine, filling].join('\n');
    let filled: string;
    try {
      execFileSync('bash', ['-c', script], {
        env: { PATH: process.env.PATH ?? '', ...SAMPLE_VALUES },
        timeout: 10_000,
      });
      filled = readFileSync(output, 'utf8');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
    expect(filled).not.toMatch(/\$\{[A-Z_]+\}/);
    const spec = Manifest.parse(parseYaml(filled)).spec.template.spec;
    expect(spec.serviceAccountName).toBe(
      `odoo-mcp-bridge@${SAMPLE_VALUES.PROJECT_ID}.iam.gserviceaccount.com`,
    );
  });

  it('makes sealing keys the configuration accepts', () => {
    const keyCommands = fencedBlocks(guide)
      .flatMap(shellCommands)
      .filter((line) => line.startsWith('TOKEN_KEYS='));
    expect(keyCommands.length).toBeGreaterThanOrEqual(2);
    for (const keyCommand of keyCommands) {
      if (keyCommand.includes('openssl') && !hasCommand('openssl')) continue;
      const value = execFileSync('bash', ['-c', `${keyCommand}\nprintf '%s' "$TOKEN_KEYS"`], {
        encoding: 'utf8',
        timeout: 10_000,
      });
      const ring = parseKeyRing(value);
      expect(ring.current.kid, keyCommand).toBe('k1');
      expect(ring.current.secret, keyCommand).toHaveLength(32);
    }
  });
});

describe('service.yaml probes', () => {
  it('target /healthz on the container port', () => {
    const containerPort = container.ports[0]!.containerPort;
    for (const probe of [container.startupProbe, container.livenessProbe]) {
      expect(probe.httpGet.path).toBe('/healthz');
      expect(probe.httpGet.port ?? containerPort).toBe(containerPort);
    }
  });

  it('stay within Cloud Run limits', () => {
    const startup = container.startupProbe;
    // Cloud Run gives a startup probe at most 240 seconds in all.
    expect((startup.failureThreshold ?? 3) * (startup.periodSeconds ?? 10)).toBeLessThanOrEqual(
      240,
    );
    for (const probe of [container.startupProbe, container.livenessProbe]) {
      expect(probe.timeoutSeconds ?? 1).toBeLessThanOrEqual(probe.periodSeconds ?? 10);
    }
  });

  it('are answered by the bridge under another host', async () => {
    const env = instanceEnvironment(parseManifest());
    // A loopback PUBLIC_URL makes the bridge listen on 127.0.0.1 only.
    env.PUBLIC_URL = 'http://127.0.0.1';
    const settings = { ...readEnvironment(env), port: 0 };
    const running = await startProduction(settings, createLogger({ level: 'silent' }));
    try {
      const port = (running.server.address() as AddressInfo).port;
      const probeHost = '169.254.8.1:8080';

      const probe = await get(port, container.startupProbe.httpGet.path, probeHost);
      expect(probe.status).toBe(200);
      expect(JSON.parse(probe.body)).toEqual({ status: 'ok' });

      const other = await get(port, '/.well-known/oauth-protected-resource', probeHost);
      expect(other.status).toBe(403);
    } finally {
      await running.close();
    }
  });
});
