/**
 * A memory limit for the processes under load, as a Cloud Run instance has one. V8 sizes its
 * heap from the memory a process may use (`process.constrainedMemory()`). On a 24 GiB machine
 * it lets the old generation grow to 50 to 75 MiB of garbage before a full collection, and
 * under a 512 MiB limit it collects sooner and more often. So the bench runs the bridge, and the
 * direct baseline alike, each in a memory cgroup of the size that deploy/service.yaml gives the
 * service, where the machine lets it create one.
 */
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** A memory cgroup made for one process of the bench. */
export interface MemoryCgroup {
  /** The cgroup's folder; a process joins it by writing its pid to `cgroup.procs` there. */
  path: string;
  limitBytes: number;
  /** Removes the cgroup once its process has exited. */
  remove(): void;
}

const CGROUP_ROOT = '/sys/fs/cgroup';

/** How many cgroups this process has made, which keeps their names apart. */
let cgroupCount = 0;

/** Reads the container memory limit of deploy/service.yaml, such as 512Mi, in bytes. */
export function serviceMemoryLimitBytes(serviceYamlPath = 'deploy/service.yaml'): number {
  const service = parse(readFileSync(serviceYamlPath, 'utf8')) as {
    spec: {
      template: { spec: { containers: Array<{ resources: { limits: { memory: string } } }> } };
    };
  };
  const memory = service.spec.template.spec.containers[0]!.resources.limits.memory;
  const match = /^(\d+)(Mi|Gi)$/.exec(memory);
  if (match === null) {
    throw new Error(`deploy/service.yaml sets memory "${memory}", not a number of Mi or Gi`);
  }
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 ** 3 : 1024 ** 2);
}

/**
 * Creates a memory cgroup of `limitBytes` under this process's own, with cgroup v1's memory
 * controller or cgroup v2. Returns undefined where the machine does not allow it, such as
 * without write access to /sys/fs/cgroup. The bench then runs without a limit, and its header
 * states that.
 */
export function createMemoryCgroup(name: string, limitBytes: number): MemoryCgroup | undefined {
  const parent = ownMemoryCgroup();
  if (parent === undefined) {
    return undefined;
  }
  cgroupCount += 1;
  const path = join(parent.path, `${name}-${process.pid}-${cgroupCount}`);
  try {
    mkdirSync(path);
    writeFileSync(join(path, parent.limitFile), String(limitBytes));
  } catch {
    removeQuietly(path);
    return undefined;
  }
  return { path, limitBytes, remove: () => removeQuietly(path) };
}

/** Finds this process's memory cgroup folder and the name of its limit file. */
function ownMemoryCgroup(): { path: string; limitFile: string } | undefined {
  let lines: string[];
  try {
    lines = readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
  } catch {
    return undefined;
  }
  // cgroup v1 lines read "4:memory:/path"; the single cgroup v2 line reads "0::/path".
  const v1 = lines
    .map((line) => line.split(':'))
    .find(([, controllers]) => {
      return controllers?.split(',').includes('memory');
    });
  if (v1 !== undefined) {
    return { path: join(CGROUP_ROOT, 'memory', v1[2] ?? '/'), limitFile: 'memory.limit_in_bytes' };
  }
  const v2 = lines.find((line) => line.startsWith('0::'));
  if (v2 !== undefined) {
    return { path: join(CGROUP_ROOT, v2.slice(3)), limitFile: 'memory.max' };
  }
  return undefined;
}

function removeQuietly(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // Already gone, or never made.
  }
}
