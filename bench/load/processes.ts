import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import type { MemoryCgroup } from './memory-limit.js';

/** A process the benchmark started, pinned to one CPU where `taskset` exists. */
export interface BenchProcess {
  child: ChildProcess;
  pid: number;
  /** The CPU it runs on, or undefined without `taskset`. */
  cpu: number | undefined;
  /** Everything it wrote to stderr so far, for error messages. */
  stderr(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  cpu: number;
  env?: NodeJS.ProcessEnv;
  /** Node options placed before the script, such as `--cpu-prof`. */
  nodeArgs?: string[];
  /** Whether stdout is read (for a ready line), or dropped as the bridge's log lines are. */
  stdout: 'pipe' | 'ignore';
  /** A memory cgroup the process runs in, removed when it stops. */
  memoryCgroup?: MemoryCgroup;
}

/** Whether `taskset` can pin processes here; checked once. */
export const canPin: boolean = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** Spawns `node [nodeArgs] script [args]`, pinned to `options.cpu` with taskset when it can. */
export function startNode(script: string, args: string[], options: StartOptions): BenchProcess {
  const nodeCommand = [process.execPath, ...(options.nodeArgs ?? []), script, ...args];
  const pinned = canPin ? ['taskset', '-c', String(options.cpu), ...nodeCommand] : nodeCommand;
  // The shell joins the cgroup, then execs, so the process keeps its pid and its limit.
  const command =
    options.memoryCgroup === undefined
      ? pinned
      : [
          'sh',
          '-c',
          'echo $$ > "$0/cgroup.procs" && exec "$@"',
          options.memoryCgroup.path,
          ...pinned,
        ];
  const child = spawn(command[0]!, command.slice(1), {
    env: options.env ?? process.env,
    stdio: ['ignore', options.stdout, 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    // sh and taskset exec node, so the pid is node's own.
    pid: child.pid!,
    cpu: canPin ? options.cpu : undefined,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
      await exited;
      options.memoryCgroup?.remove();
    },
  };
}

/** Waits for the first line of stdout, parsed as JSON, such as `{"url": …}`. */
export function readyLine<T>(process: BenchProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const stdout = process.child.stdout!;
    stdout.setEncoding('utf8');
    const onData = (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end >= 0) {
        stdout.off('data', onData);
        resolve(JSON.parse(buffered.slice(0, end)) as T);
      }
    };
    stdout.on('data', onData);
    process.child.once('exit', (code) =>
      reject(new Error(`process ${process.pid} exited with ${code}: ${process.stderr()}`)),
    );
  });
}

/** Polls `url` until it answers, for servers that print no ready line. */
export async function waitForHttp(url: string, process: BenchProcess): Promise<void> {
  const deadlineMs = Date.now() + 10_000;
  while (Date.now() < deadlineMs) {
    if (process.child.exitCode !== null) {
      throw new Error(`process ${process.pid} exited: ${process.stderr()}`);
    }
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error(`${url} did not answer within 10 s: ${process.stderr()}`);
}

/** Resident set size now and its peak since the start, in kibibytes, from /proc. */
export interface Memory {
  rssKiB: number;
  peakRssKiB: number;
}

/** Reads VmRSS and VmHWM of a process from /proc/<pid>/status (Linux only). */
export async function readMemory(pid: number): Promise<Memory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rssKiB: kib('VmRSS'), peakRssKiB: kib('VmHWM') };
}

/** Returns a loopback port that is free now, by opening one and closing it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Clock ticks per second of /proc times (`getconf CLK_TCK`), 100 on Linux for x86 and arm64. */
const TICKS_PER_SECOND = 100;

/** CPU time a process has used (user and system), in seconds, from /proc/<pid>/stat. */
export async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name in brackets may contain spaces, so count the fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU time the whole machine has used in user and system mode, in seconds, from /proc/stat. */
export async function machineCpuSeconds(): Promise<number> {
  const [user, nice, system] = (await readFile('/proc/stat', 'utf8'))
    .split('\n', 1)[0]!
    .trim()
    .split(/\s+/)
    .slice(1, 4)
    .map(Number);
  return (user! + nice! + system!) / TICKS_PER_SECOND;
}
