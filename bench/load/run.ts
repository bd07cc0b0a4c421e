/**
 * The load benchmark. It measures `count_records` and `search_records` through the bridge's
 * production build, and the same Odoo calls made directly with the bridge's Odoo client, at
 * fixed request rates with 1, 64 and 256 people. It also counts the Odoo requests per tool call
 * at the stand-in Odoo, and reads the bridge's memory.
 *
 * Usage: node dist-bench/bench/load/run.js, after `npm run build` and `npx tsc -p
 * tsconfig.bench.json`. It prints Markdown tables on stdout and its progress on stderr.
 * BENCH_QUICK=1 runs a short smoke test; BENCH_ODOO_LATENCY_MS sets the responder's latency
 * (20 ms by default); BENCH_SERVER_SCRIPT measures another build of the bridge;
 * BENCH_MEMORY_LIMIT=none runs the servers without the memory limit of deploy/service.yaml.
 *
 * Processes: the bridge and the direct baseline on CPU 0, the responder and the load generator
 * on CPU 1, each pinned with taskset where it exists, so that none takes CPU from another.
 */
import { generateKeyRing, type KeyRing } from '../../src/seal/keys.js';
import { measure, MemorySampler, type Measurement, type Responder } from './measure.js';
import { createMemoryCgroup, serviceMemoryLimitBytes } from './memory-limit.js';
import { readMemory, readyLine, startNode, type BenchProcess } from './processes.js';
import {
  printKnees,
  printLatencies,
  printMemory,
  printRoundTrips,
  type FirstCalls,
  type LatencyRow,
} from './report.js';
import {
  bridgeRequests,
  callEveryPerson,
  callOnce,
  directRequests,
  sealTokens,
  startBridge,
  type RunningBridge,
  type TargetRequests,
  type ToolName,
} from './targets.js';

const QUICK = process.env.BENCH_QUICK === '1';
const LATENCY_MS = Number(process.env.BENCH_ODOO_LATENCY_MS ?? 20);
const SERVER_SCRIPT = process.env.BENCH_SERVER_SCRIPT ?? 'dist/server.js';

/**
 * The memory limit of each process under load: the service's, from deploy/service.yaml, unless
 * BENCH_MEMORY_LIMIT=none measures without one. Whether the machine lets the bench apply it is
 * found out once, at the start.
 */
const MEMORY_LIMIT_BYTES =
  process.env.BENCH_MEMORY_LIMIT === 'none' ? undefined : serviceMemoryLimitBytes();

/** The CPU of the process under load: the bridge, or the direct baseline. */
const SERVER_CPU = 0;
/** The responder's CPU, shared with the load generator. */
const RESPONDER_CPU = 1;

const PEOPLE_COUNTS = QUICK ? [1, 8] : [1, 64, 256];
const TOOLS: ToolName[] = ['count_records', 'search_records'];

/**
 * The low, medium and high rate of each tool, in tool calls per second, chosen below the
 * bridge's knee on a 2-core machine. `search_records` has lower rates because it costs the
 * bridge more CPU per call.
 */
const RATES: Record<ToolName, number[]> = QUICK
  ? { count_records: [20, 50], search_records: [10, 20] }
  : { count_records: [25, 75, 150], search_records: [15, 25, 35] };

/** Rates tried past the high rate, bridge only, until p99 doubles; in calls per second. */
const KNEE_RATES: Record<ToolName, number[]> = QUICK
  ? { count_records: [100], search_records: [40] }
  : { count_records: [200, 300, 400, 500], search_records: [45, 60, 80] };

/** The knee: p99 at this multiple of p99 at the lowest rate, or the rate not reached. */
const KNEE_P99_FACTOR = 2;
const MIN_ACHIEVED_SHARE = 0.95;

const WARMUP_SECONDS = 1;
/** Each run lasts at least this long, and longer at low rates to collect enough samples. */
const MIN_DURATION_SECONDS = QUICK ? 2 : 4;
const MAX_DURATION_SECONDS = QUICK ? 2 : 10;
const MIN_SAMPLES = QUICK ? 40 : 200;

/**
 * The bridge re-checks a grant at the issuer and in Odoo 300 s after its token was issued, the
 * default `UPSTREAM_RECHECK_SECONDS`. No issuer runs here, so tokens are sealed again before
 * they reach that age.
 */
const TOKEN_RESEAL_MS = 240_000;

interface Context {
  keys: KeyRing;
  responder: Responder;
  direct: { process: BenchProcess; origin: string };
  /** The memory limit each server runs under, or undefined without one. */
  memoryLimitBytes: number | undefined;
}

async function main(): Promise<void> {
  const maxPeople = Math.max(...PEOPLE_COUNTS);
  const responderProcess = startNode(
    'dist-bench/bench/load/responder.js',
    ['--people', String(maxPeople), '--latency-ms', String(LATENCY_MS)],
    { cpu: RESPONDER_CPU, stdout: 'pipe' },
  );
  const responder = {
    process: responderProcess,
    ...(await readyLine<{ url: string }>(responderProcess)),
  };
  const directCgroup =
    MEMORY_LIMIT_BYTES === undefined
      ? undefined
      : createMemoryCgroup('odoo-mcp-bridge-bench-direct', MEMORY_LIMIT_BYTES);
  const directProcess = startNode(
    'dist-bench/bench/load/direct.js',
    ['--odoo-url', responder.url, '--people', String(maxPeople)],
    {
      cpu: SERVER_CPU,
      stdout: 'pipe',
      ...(directCgroup === undefined ? {} : { memoryCgroup: directCgroup }),
    },
  );
  const { url: directUrl } = await readyLine<{ url: string }>(directProcess);
  const context: Context = {
    keys: generateKeyRing('k1'),
    responder,
    direct: { process: directProcess, origin: new URL(directUrl).origin },
    // Without a cgroup for the baseline, the bridge gets none either, so both run alike.
    memoryLimitBytes: directCgroup?.limitBytes,
  };

  try {
    const { firstCalls, idleRssKiB } = await probeFirstCalls(context);
    const rows: LatencyRow[] = [];
    const knees = new Map<ToolName, Measurement[]>();
    let peak = { maxSampledRssKiB: 0, peakRssKiB: 0 };
    for (const people of PEOPLE_COUNTS) {
      const measured = await measureGroup(context, people, people === maxPeople);
      rows.push(...measured.rows);
      for (const [tool, ladder] of measured.knees) {
        knees.set(tool, ladder);
      }
      peak = measured.memory ?? peak;
    }
    printHeader(context.memoryLimitBytes);
    printLatencies(rows);
    printKnees(knees, maxPeople, KNEE_P99_FACTOR, MIN_ACHIEVED_SHARE);
    printRoundTrips(firstCalls, rows);
    printMemory(idleRssKiB, peak, maxPeople);
  } finally {
    await directProcess.stop();
    await responderProcess.stop();
  }
}

/**
 * Counts the Odoo requests of each of a person's first calls on a fresh bridge, and reads the
 * bridge's memory after its start and one call.
 */
async function probeFirstCalls(
  context: Context,
): Promise<{ firstCalls: FirstCalls; idleRssKiB: number }> {
  const bridge = await startBridge({
    keys: context.keys,
    odooUrl: context.responder.url,
    peopleCount: 2,
    cpu: SERVER_CPU,
    label: 'probe',
    script: SERVER_SCRIPT,
    ...limitOf(context),
  });
  try {
    const firstCalls: FirstCalls = [];
    let idleRssKiB = 0;
    const sequence: Array<[ToolName, number, string]> = [
      ['count_records', 0, 'first call on a fresh process'],
      ['count_records', 0, 'second call'],
      ['search_records', 0, 'first call, after a count on the model'],
      ['search_records', 0, 'second call'],
      ['search_records', 1, "another person's first call"],
      ['search_records', 1, 'their second call'],
    ];
    for (const [tool, person, label] of sequence) {
      await resetResponder(context.responder);
      const target = bridgeRequests(bridge, tool);
      await callOnce(target, target.requests[person]!);
      const stats = await readResponder(context.responder);
      firstCalls.push({ tool, label, methods: stats });
      if (idleRssKiB === 0) {
        idleRssKiB = (await readMemory(bridge.process.pid)).rssKiB;
      }
    }
    return { firstCalls, idleRssKiB };
  } finally {
    await bridge.process.stop();
  }
}

/** Measures both tools at every rate for `people` people on a fresh bridge. */
async function measureGroup(
  context: Context,
  people: number,
  isLargest: boolean,
): Promise<{
  rows: LatencyRow[];
  knees: Map<ToolName, Measurement[]>;
  memory: { maxSampledRssKiB: number; peakRssKiB: number } | undefined;
}> {
  let generation = 0;
  const label = () => `${people}-${generation}`;
  const bridge = await startBridge({
    keys: context.keys,
    odooUrl: context.responder.url,
    peopleCount: people,
    cpu: SERVER_CPU,
    label: label(),
    script: SERVER_SCRIPT,
    ...limitOf(context),
  });
  const sampler = isLargest ? new MemorySampler(bridge.process.pid) : undefined;
  const freshTokens = async (): Promise<void> => {
    if (performance.now() - bridge.tokensSealedMs > TOKEN_RESEAL_MS) {
      generation += 1;
      await sealTokens(bridge, context.keys, people, label());
      await warmUp(bridge, context, people);
    }
  };
  try {
    await warmUp(bridge, context, people);
    const rows: LatencyRow[] = [];
    const knees = new Map<ToolName, Measurement[]>();
    for (const tool of TOOLS) {
      for (const rate of RATES[tool]) {
        await freshTokens();
        progress(`${people} people, ${tool}, ${rate}/s`);
        const direct = await run(
          context,
          context.direct.process,
          directTarget(context, people, tool),
          rate,
        );
        const bridged = await run(context, bridge.process, bridgeRequests(bridge, tool), rate);
        rows.push({ tool, people, rate, direct, bridge: bridged });
      }
      if (isLargest) {
        const ladder = rows.filter((row) => row.tool === tool && row.people === people);
        const measurements = ladder.map((row) => row.bridge);
        for (const rate of KNEE_RATES[tool]) {
          if (isPastKnee(measurements)) {
            break;
          }
          await freshTokens();
          progress(`${people} people, ${tool}, ${rate}/s, bridge only`);
          measurements.push(await run(context, bridge.process, bridgeRequests(bridge, tool), rate));
        }
        knees.set(tool, measurements);
      }
    }
    return { rows, knees, memory: await sampler?.stop() };
  } finally {
    await bridge.process.stop();
  }
}

/** Calls each tool once for every person through both targets, so caches are filled. */
async function warmUp(bridge: RunningBridge, context: Context, people: number): Promise<void> {
  for (const tool of TOOLS) {
    await callEveryPerson(bridgeRequests(bridge, tool), 8);
    await callEveryPerson(directTarget(context, people, tool), 8);
  }
}

function limitOf(context: Context): { memoryLimitBytes?: number } {
  return context.memoryLimitBytes === undefined
    ? {}
    : { memoryLimitBytes: context.memoryLimitBytes };
}

function directTarget(context: Context, people: number, tool: ToolName): TargetRequests {
  return directRequests(context.direct.origin, people, tool);
}

function run(
  context: Context,
  server: BenchProcess,
  target: TargetRequests,
  rate: number,
): Promise<Measurement> {
  return measure({
    target,
    rate,
    warmupSeconds: WARMUP_SECONDS,
    durationSeconds: Math.min(
      MAX_DURATION_SECONDS,
      Math.max(MIN_DURATION_SECONDS, Math.ceil(MIN_SAMPLES / rate)),
    ),
    responder: context.responder,
    server,
  });
}

/** Tells whether the last measurement of a ladder is past the knee. */
function isPastKnee(ladder: readonly Measurement[]): boolean {
  const first = ladder[0];
  const last = ladder.at(-1);
  if (first === undefined || last === undefined || last === first) {
    return false;
  }
  return (
    last.p99Ms >= KNEE_P99_FACTOR * first.p99Ms ||
    last.achievedRate < MIN_ACHIEVED_SHARE * last.rate
  );
}

async function resetResponder(responder: Responder): Promise<void> {
  await fetch(new URL('__reset', responder.url), { method: 'POST' });
}

/** Returns the Odoo methods the responder received since the last reset, with their counts. */
async function readResponder(responder: Responder): Promise<Record<string, number>> {
  const stats = (await (await fetch(new URL('__stats', responder.url))).json()) as {
    people: Record<string, { methods: Record<string, number> }>;
  };
  const methods: Record<string, number> = {};
  for (const person of Object.values(stats.people)) {
    for (const [method, count] of Object.entries(person.methods)) {
      methods[method] = (methods[method] ?? 0) + count;
    }
  }
  return methods;
}

function printHeader(memoryLimitBytes: number | undefined): void {
  const limit =
    memoryLimitBytes === undefined
      ? 'no memory limit'
      : `each server in a ${memoryLimitBytes / 1024 ** 2} MiB memory cgroup`;
  const lines = [
    `Node.js ${process.version}, responder latency ${LATENCY_MS} ms, server script ` +
      `${SERVER_SCRIPT}, ${limit}` +
      (QUICK ? ', quick run (BENCH_QUICK=1)' : ''),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function progress(message: string): void {
  process.stderr.write(`load: ${message}\n`);
}

await main();
