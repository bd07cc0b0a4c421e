/**
 * Reads a Dockerfile and a .dockerignore as the Dockerfile reference defines them, as far as
 * the tests that rebuild the image's stages on the host need. That covers stages, line
 * continuations and comments, COPY flags, exec-form arguments, ENV pairs, USER, and the
 * ignore patterns of the build context.
 */

/** One instruction, with its keyword upper-cased and its arguments as written. */
export interface Instruction {
  keyword: string;
  args: string;
  /** The line the instruction starts on, 1-based, for error messages. */
  line: number;
}

/** One build stage: `FROM <base> [AS <name>]` and the instructions after it. */
export interface Stage {
  base: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** A COPY instruction's source stage (unset for the build context), sources and destination. */
export interface CopyInstruction {
  from: string | undefined;
  sources: string[];
  destination: string;
}

/**
 * Flags of COPY whose effect the tests reproduce (`--from`) or that leave the copied files as
 * they are (`--link`). Ownership and mode flags would need reproducing, so they are rejected.
 */
const KNOWN_COPY_FLAGS = new Set(['from', 'link']);

/** Splits a Dockerfile into stages. Raises on the `escape` parser directive. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of readInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (match === null) {
        throw new Error(`line ${instruction.line}: invalid FROM ${instruction.args}`);
      }
      stages.push({ base: match[1]!, name: match[2]?.toLowerCase(), instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) {
      if (instruction.keyword === 'ARG') {
        continue;
      }
      throw new Error(`line ${instruction.line}: ${instruction.keyword} comes before any FROM`);
    }
    stage.instructions.push(instruction);
  }
  return stages;
}

function readInstructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  checkDirectives(lines);

  const instructions: Instruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comment lines are dropped even inside a continued instruction.
    if (trimmed.startsWith('#') || (trimmed === '' && pending === undefined)) {
      return;
    }
    const continued = trimmed.endsWith('\\');
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending ??= { parts: [], line: index + 1 };
    if (part !== '') {
      pending.parts.push(part);
    }
    if (!continued) {
      instructions.push(toInstruction(pending.parts.join(' '), pending.line));
      pending = undefined;
    }
  });
  if (pending !== undefined) {
    throw new Error(`line ${pending.line}: the instruction ends with a line continuation`);
  }
  return instructions;
}

/**
 * Parser directives are the first comment lines. `escape` changes the line continuation
 * character, which this reader does not follow. The others (`syntax`, `check`) leave parsing
 * as it is.
 */
function checkDirectives(lines: string[]): void {
  for (const line of lines) {
    const directive = /^#\s*([a-z]+)\s*=/i.exec(line.trim());
    if (directive === null) {
      return;
    }
    if (directive[1]!.toLowerCase() === 'escape') {
      throw new Error(`the parser directive "${line.trim()}" is not supported by this reader`);
    }
  }
}

function toInstruction(text: string, line: number): Instruction {
  const match = /^(\S+)\s*(.*)$/.exec(text)!;
  return { keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line };
}

/** Reads `COPY [--flag=value…] <src>… <dest>`, in the plain or the JSON form. */
export function parseCopy(instruction: Instruction): CopyInstruction {
  const flags = new Map<string, string>();
  let rest = instruction.args;
  for (;;) {
    const flag = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest);
    if (flag === null) {
      break;
    }
    if (!KNOWN_COPY_FLAGS.has(flag[1]!)) {
      throw new Error(
        `line ${instruction.line}: COPY --${flag[1]} is not supported by this reader`,
      );
    }
    flags.set(flag[1]!, flag[2] ?? '');
    rest = rest.slice(flag[0].length);
  }

  const paths = rest.startsWith('[') ? parseExecForm(instruction, rest) : rest.split(/\s+/);
  if (paths.length < 2) {
    throw new Error(`line ${instruction.line}: COPY needs a source and a destination`);
  }
  return {
    from: flags.get('from'),
    sources: paths.slice(0, -1),
    destination: paths.at(-1)!,
  };
}

/** Reads the JSON (exec) form of RUN, CMD or ENTRYPOINT, and raises on the shell form. */
export function parseExecForm(instruction: Instruction, text = instruction.args): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(
      `line ${instruction.line}: ${instruction.keyword} ${text} is not in the JSON (exec) form`,
    );
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`line ${instruction.line}: ${instruction.keyword} must be a list of strings`);
  }
  return parsed;
}

/** Reads `ENV key=value …` (values may be double-quoted) or the old `ENV key value`. */
export function parseEnv(instruction: Instruction): Record<string, string> {
  const { args } = instruction;
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.*)$/.exec(args);
  if (legacy !== null) {
    return { [legacy[1]!]: legacy[2]! };
  }

  const pairs: Record<string, string> = {};
  const pair = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)\s*/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pair.exec(args)) !== null) {
    const value = match[2]!;
    pairs[match[1]!] = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
    consumed = pair.lastIndex;
  }
  if (consumed !== args.length) {
    throw new Error(`line ${instruction.line}: invalid ENV ${args}`);
  }
  return pairs;
}

/** Reads `USER <uid>[:<gid>]`, and raises unless both are numbers, which a runtime can check. */
export function parseNumericUser(instruction: Instruction): { uid: number; gid: number } {
  const match = /^(\d+)(?::(\d+))?$/.exec(instruction.args);
  if (match === null) {
    throw new Error(
      `line ${instruction.line}: USER ${instruction.args} is not numeric; use uid:gid numbers`,
    );
  }
  const uid = Number(match[1]);
  return { uid, gid: match[2] === undefined ? uid : Number(match[2]) };
}

/**
 * Tells which paths of the build context a .dockerignore leaves out. Patterns follow Go's
 * filepath.Match, anchored at the context root, plus `**` for any number of folders. A pattern
 * that matches a folder leaves out everything in it. The last matching line decides, so
 * `!pattern` can take a path back in.
 */
export function parseDockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const pattern = (include ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
      return { include, matcher: globToRegExp(pattern) };
    });

  return (path: string) => {
    const segments = path.split('/');
    const candidates = segments.map((_, index) => segments.slice(0, index + 1).join('/'));
    let ignored = false;
    for (const rule of rules) {
      if (candidates.some((candidate) => rule.matcher.test(candidate))) {
        ignored = !rule.include;
      }
    }
    return ignored;
  };
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index]!;
    if (pattern.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (pattern.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[' || char === '\\') {
      throw new Error(`the .dockerignore pattern "${pattern}" uses a character class or escape`);
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
