import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  parseCopy,
  parseDockerfile,
  parseDockerignore,
  parseEnv,
  parseExecForm,
  parseNumericUser,
  type Instruction,
} from './dockerfile.js';

function instruction(text: string): Instruction {
  const stage = parseDockerfile(`FROM scratch\n${text}\n`)[0]!;
  return stage.instructions[0]!;
}

describe('Dockerfile reader', () => {
  it('splits stages with their names', () => {
    const stages = parseDockerfile(
      [
        '# syntax=docker/dockerfile:1',
        'ARG NODE_MAJOR=24',
        'FROM node:24-bookworm-slim AS Build',
        'WORKDIR /app',
        'FROM --platform=linux/amd64 gcr.io/distroless/nodejs24-debian12:nonroot',
        'CMD ["dist/server.js"]',
      ].join('\n'),
    );
    expect(stages.map((stage) => [stage.base, stage.name])).toEqual([
      ['node:24-bookworm-slim', 'build'],
      ['gcr.io/distroless/nodejs24-debian12:nonroot', undefined],
    ]);
    expect(stages[1]!.instructions).toEqual([
      { keyword: 'CMD', args: '["dist/server.js"]', line: 6 },
    ]);
  });

  it('joins continued lines and drops comments', () => {
    const run = instruction('RUN npm ci \\\n  # no audit in CI\n  --no-audit \\\n  --no-fund');
    expect(run).toEqual({ keyword: 'RUN', args: 'npm ci --no-audit --no-fund', line: 2 });
  });

  it('rejects parser directives it does not follow', () => {
    expect(() => parseDockerfile('# escape=`\nFROM scratch\n')).toThrow('escape');
  });

  it('reads COPY in both forms', () => {
    expect(parseCopy(instruction('COPY --from=build /app/dist ./dist'))).toEqual({
      from: 'build',
      sources: ['/app/dist'],
      destination: './dist',
    });
    expect(
      parseCopy(instruction('COPY --link ["package.json", "package-lock.json", "./"]')),
    ).toEqual({
      from: undefined,
      sources: ['package.json', 'package-lock.json'],
      destination: './',
    });
  });

  it('rejects COPY flags that change ownership or mode', () => {
    expect(() => parseCopy(instruction('COPY --chown=1000:1000 dist ./dist'))).toThrow('--chown');
    expect(() => parseCopy(instruction('COPY --chmod=755 dist ./dist'))).toThrow('--chmod');
  });

  it('reads ENV pairs and the old form', () => {
    expect(parseEnv(instruction('ENV NODE_ENV=production GREETING="two \\"words\\""'))).toEqual({
      NODE_ENV: 'production',
      GREETING: 'two "words"',
    });
    expect(parseEnv(instruction('ENV GREETING two words'))).toEqual({ GREETING: 'two words' });
  });

  it('requires the exec form', () => {
    expect(parseExecForm(instruction('CMD ["node", "dist/server.js"]'))).toEqual([
      'node',
      'dist/server.js',
    ]);
    expect(() => parseExecForm(instruction('CMD node dist/server.js'))).toThrow('exec');
  });

  it('requires a numeric USER', () => {
    expect(parseNumericUser(instruction('USER 65532:65532'))).toEqual({ uid: 65532, gid: 65532 });
    expect(parseNumericUser(instruction('USER 1000'))).toEqual({ uid: 1000, gid: 1000 });
    expect(() => parseNumericUser(instruction('USER nonroot'))).toThrow('not numeric');
  });
});

describe('.dockerignore reader', () => {
  it('matches from the context root', () => {
    const isIgnored = parseDockerignore('*.log\n/dist/\n');
    expect(isIgnored('npm-debug.log')).toBe(true);
    expect(isIgnored('src/npm-debug.log')).toBe(false);
    expect(isIgnored('dist')).toBe(true);
    expect(isIgnored('dist/chunks/chunk.js')).toBe(true);
    expect(isIgnored('src/dist.ts')).toBe(false);
  });

  it('matches any depth with **', () => {
    const isIgnored = parseDockerignore('**/.env\n**/.env.*\n');
    expect(isIgnored('.env')).toBe(true);
    expect(isIgnored('src/config/.env.local')).toBe(true);
    expect(isIgnored('src/config/env.ts')).toBe(false);
  });

  it('lets the last matching line decide', () => {
    const isIgnored = parseDockerignore('docs\n!docs/keep.md\n');
    expect(isIgnored('docs/guide.md')).toBe(true);
    expect(isIgnored('docs/keep.md')).toBe(false);
  });
});

describe('build context of the image', () => {
  it('leaves out dependencies, outputs, tests and secrets', async () => {
    const isIgnored = parseDockerignore(await readFile('.dockerignore', 'utf8'));
    for (const path of [
      '.git/config',
      'node_modules/zod/package.json',
      'dist/server.js',
      'dist-bench/bench/answer-sizes.js',
      'coverage/index.html',
      'test/deploy/image-stage.test.ts',
      'bench/answer-sizes.ts',
      'cold-start.cpuprofile',
      '.env',
      '.env.production',
      'src/.env',
      '.npmrc',
      'npm-debug.log',
    ]) {
      expect(isIgnored(path), path).toBe(true);
    }
  });
});
