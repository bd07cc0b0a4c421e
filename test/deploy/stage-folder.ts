import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, stat, symlink } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import {
  parseCopy,
  parseEnv,
  type CopyInstruction,
  type Instruction,
  type Stage,
} from './dockerfile.js';

const run = promisify(execFile);

/** A stage rebuilt on the host: a folder with what the stage's WORKDIR would contain. */
export interface StageFolder {
  stage: Stage;
  folder: string;
  workdir: string;
  env: Record<string, string>;
}

export interface ReproduceOptions {
  /** The build context: the repository root, whose node_modules `npm ci` of a stage reuses. */
  context: string;
  /** Where the stage folders go, one per stage. */
  root: string;
  /** Tells whether .dockerignore leaves a context path (relative, with `/`) out. */
  isIgnored: (path: string) => boolean;
  /** Time limit of each RUN. */
  runTimeoutMs: number;
}

/** Instructions that change no file of the stage: image settings and build arguments. */
const SETTINGS_ONLY = new Set([
  'ARG',
  'CMD',
  'ENTRYPOINT',
  'EXPOSE',
  'HEALTHCHECK',
  'LABEL',
  'STOPSIGNAL',
  'USER',
]);

/**
 * Rebuilds each stage's WORKDIR in a folder of its own: COPY from the build context (minus
 * what .dockerignore leaves out) or from an earlier stage, ENV, and the few RUN commands the
 * Dockerfile uses. Anything else raises, so a change to the Dockerfile that the host cannot
 * follow fails the test that uses this, naming the instruction.
 */
export async function reproduceStages(
  stages: Stage[],
  options: ReproduceOptions,
): Promise<StageFolder[]> {
  const done: StageFolder[] = [];
  for (const [index, stage] of stages.entries()) {
    const folder = join(options.root, `stage-${index}`);
    await mkdir(folder, { recursive: true });
    const current: StageFolder = { stage, folder, workdir: '', env: {} };
    for (const instruction of stage.instructions) {
      await apply(instruction, current, done, options);
    }
    done.push(current);
  }
  return done;
}

async function apply(
  instruction: Instruction,
  current: StageFolder,
  done: StageFolder[],
  options: ReproduceOptions,
): Promise<void> {
  const { keyword, args } = instruction;
  if (SETTINGS_ONLY.has(keyword)) {
    return;
  }
  if (keyword === 'ENV') {
    Object.assign(current.env, parseEnv(instruction));
    return;
  }
  if (keyword === 'WORKDIR') {
    if (!args.startsWith('/') || (current.workdir !== '' && current.workdir !== args)) {
      throw unsupported(instruction, 'one absolute WORKDIR per stage');
    }
    current.workdir = args;
    return;
  }
  if (current.workdir === '') {
    throw unsupported(instruction, 'a WORKDIR before the first COPY or RUN');
  }
  if (keyword === 'COPY') {
    await copy(instruction, parseCopy(instruction), current, done, options);
    return;
  }
  if (keyword === 'RUN') {
    await runCommand(instruction, current, options);
    return;
  }
  throw unsupported(instruction, 'COPY, RUN, ENV, WORKDIR and image settings');
}

async function copy(
  instruction: Instruction,
  parsed: CopyInstruction,
  current: StageFolder,
  done: StageFolder[],
  options: ReproduceOptions,
): Promise<void> {
  const destination = join(current.folder, insideWorkdir(instruction, current, parsed.destination));
  const intoFolder = parsed.destination.endsWith('/') || parsed.sources.length > 1;
  const fromStage =
    parsed.from === undefined ? undefined : findStage(instruction, parsed.from, done);

  for (const source of parsed.sources) {
    if (/[*?[]/.test(source)) {
      throw unsupported(instruction, 'sources without wildcards');
    }
    const from =
      fromStage === undefined
        ? contextPath(instruction, source, options)
        : join(fromStage.folder, insideWorkdir(instruction, fromStage, source));
    const found = await stat(from).catch(() => undefined);
    if (found === undefined) {
      const where = fromStage === undefined ? 'the build context' : `stage ${parsed.from}`;
      throw new Error(`line ${instruction.line}: COPY ${source}: not found in ${where}`);
    }
    const isFolder = found.isDirectory();
    const target =
      isFolder || !intoFolder ? destination : join(destination, posix.basename(source));
    await mkdir(isFolder ? target : dirname(target), { recursive: true });
    // As with COPY, a folder's contents go into the destination. Files of the build context
    // pass through .dockerignore, and an earlier stage's files are copied as they are.
    await cp(from, target, {
      recursive: true,
      dereference: true,
      filter: (path) =>
        fromStage !== undefined || !options.isIgnored(relativeTo(options.context, path)),
    });
  }
}

/** Maps a path of a stage (absolute, or relative to its WORKDIR) into the stage's folder. */
function insideWorkdir(instruction: Instruction, stage: StageFolder, path: string): string {
  const absolute = posix.resolve(stage.workdir, path);
  const relative = posix.relative(stage.workdir, absolute);
  if (relative.startsWith('..')) {
    throw unsupported(instruction, `paths inside the stage's WORKDIR ${stage.workdir}`);
  }
  return relative;
}

function contextPath(instruction: Instruction, source: string, options: ReproduceOptions): string {
  const relative = posix.normalize(source).replace(/\/+$/, '');
  if (relative.startsWith('..') || posix.isAbsolute(relative)) {
    throw new Error(`line ${instruction.line}: COPY ${source} points outside the build context`);
  }
  if (options.isIgnored(relative)) {
    throw new Error(
      `line ${instruction.line}: COPY ${source} names a path that .dockerignore leaves out of ` +
        'the build context, so the image build would fail',
    );
  }
  return join(options.context, relative);
}

function findStage(instruction: Instruction, from: string, done: StageFolder[]): StageFolder {
  const stage = /^\d+$/.test(from)
    ? done[Number(from)]
    : done.find((item) => item.stage.name === from.toLowerCase());
  if (stage === undefined) {
    throw unsupported(instruction, 'COPY --from of an earlier stage of this Dockerfile');
  }
  return stage;
}

/**
 * Runs what a stage's RUN does, on the host: `npm ci` links the repository's node_modules,
 * installed by `npm ci` from the same package-lock.json before the tests run, and
 * `npm run <script>` runs that script in the stage folder.
 */
async function runCommand(
  instruction: Instruction,
  current: StageFolder,
  options: ReproduceOptions,
): Promise<void> {
  const words = instruction.args.split(/\s+/);
  if (words[0] !== 'npm') {
    throw unsupported(instruction, 'RUN npm ci and RUN npm run <script>');
  }
  if (words[1] === 'ci' && words.slice(2).every((word) => /^--(no-audit|no-fund)$/.test(word))) {
    await linkInstalledDependencies(instruction, current, options);
    return;
  }
  if (words[1] === 'run' && words.length === 3) {
    await run('npm', ['run', words[2]!], {
      cwd: current.folder,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...current.env },
      timeout: options.runTimeoutMs,
    });
    return;
  }
  throw unsupported(instruction, 'RUN npm ci [--no-audit] [--no-fund] and RUN npm run <script>');
}

async function linkInstalledDependencies(
  instruction: Instruction,
  current: StageFolder,
  options: ReproduceOptions,
): Promise<void> {
  for (const file of ['package.json', 'package-lock.json']) {
    const inStage = await readFile(join(current.folder, file), 'utf8').catch(() => undefined);
    const inContext = await readFile(join(options.context, file), 'utf8');
    if (inStage !== inContext) {
      throw new Error(
        `line ${instruction.line}: npm ci runs before ${file} is copied from the build context`,
      );
    }
  }
  const installed = await readdir(join(options.context, 'node_modules')).catch(() => []);
  if (installed.length === 0) {
    throw new Error('the repository has no node_modules to stand for npm ci; run npm ci first');
  }
  await symlink(join(options.context, 'node_modules'), join(current.folder, 'node_modules'));
}

function relativeTo(root: string, path: string): string {
  return posix.relative(root, path) || '.';
}

function unsupported(instruction: Instruction, supported: string): Error {
  return new Error(
    `line ${instruction.line}: ${instruction.keyword} ${instruction.args} is not reproduced on ` +
      `the host (supported: ${supported}); extend test/deploy/stage-folder.ts to follow it`,
  );
}
