import { readdir, readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ignore from 'ignore';
import { describe, expect, it } from 'vitest';
import { parseCopy, parseDockerfile, parseDockerignore } from './dockerfile.js';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));

/** Folders the walk does not enter. The checks below name paths inside them instead. */
const UNWALKED = new Set(['node_modules', '.git']);

/**
 * Tells which paths `gcloud run deploy --source .` leaves out of its upload. gcloud reads
 * .gcloudignore with the rules of .gitignore (`gcloud topic gcloudignore`), which the `ignore`
 * package implements: a folder that is left out leaves out everything in it.
 */
async function readGcloudIgnore(): Promise<(path: string) => boolean> {
  const rules = ignore().add(await readFile(join(REPOSITORY, '.gcloudignore'), 'utf8'));
  return (path) => rules.ignores(path);
}

/** Lists the files under a folder of the repository, as paths relative to the repository. */
async function filesUnder(folder: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(REPOSITORY, folder), { withFileTypes: true })) {
    const path = folder === '.' ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory() && !UNWALKED.has(entry.name)) {
      files.push(...(await filesUnder(path)));
    } else if (entry.isFile()) {
      files.push(path);
    }
  }
  return files;
}

/** Returns the build-context sources of the Dockerfile's COPY instructions. */
async function contextSources(): Promise<string[]> {
  const stages = parseDockerfile(await readFile(join(REPOSITORY, 'Dockerfile'), 'utf8'));
  return stages
    .flatMap((stage) => stage.instructions)
    .filter((instruction) => instruction.keyword === 'COPY')
    .map(parseCopy)
    .filter((copy) => copy.from === undefined)
    .flatMap((copy) => copy.sources)
    .map((source) => posix.normalize(source).replace(/\/+$/, ''));
}

describe('.gcloudignore', () => {
  it('uploads the Dockerfile and its ignore file', async () => {
    const isIgnored = await readGcloudIgnore();
    expect(isIgnored('Dockerfile')).toBe(false);
    expect(isIgnored('.dockerignore')).toBe(false);
  });

  it('uploads every file the Dockerfile copies', async () => {
    const isIgnored = await readGcloudIgnore();
    const sources = await contextSources();
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'src']));

    for (const source of sources) {
      const isFolder = (await stat(join(REPOSITORY, source))).isDirectory();
      const files = isFolder ? await filesUnder(source) : [source];
      expect(files.length, source).toBeGreaterThan(0);
      for (const file of files) {
        expect(isIgnored(file), file).toBe(false);
      }
    }
  });

  it('leaves out dependencies, outputs and secrets', async () => {
    const isIgnored = await readGcloudIgnore();
    for (const path of [
      '.git/config',
      'node_modules/zod/package.json',
      'scripts/node_modules/esbuild/package.json',
      'dist/server.js',
      'dist-bench/bench/answer-sizes.js',
      'coverage/index.html',
      'test/deploy/gcloudignore.test.ts',
      'docs/deploy-cloud-run.md',
      'deploy/service.yaml',
      '.env',
      '.env.production',
      'src/.env',
      'deploy.env',
      '.npmrc',
      'client.pem',
      'src/config/tls.key',
      'npm-debug.log',
      'cold-start.cpuprofile',
    ]) {
      expect(isIgnored(path), path).toBe(true);
    }
  });

  it('leaves out what .dockerignore leaves out', async () => {
    const isGcloudIgnored = await readGcloudIgnore();
    const isDockerIgnored = parseDockerignore(
      await readFile(join(REPOSITORY, '.dockerignore'), 'utf8'),
    );
    const files = await filesUnder('.');
    expect(files.length).toBeGreaterThan(100);

    const uploadedButNotInContext = files.filter(
      (file) => isDockerIgnored(file) && !isGcloudIgnored(file),
    );
    expect(uploadedButNotInContext).toEqual([]);
  });
});
