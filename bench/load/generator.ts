/**
 * The load generator of the load benchmark, run as its own process: sends requests at a fixed
 * rate with autocannon and prints the latency of every response, summarised, as one JSON line.
 *
 * Usage: node dist-bench/bench/load/generator.js SCENARIO.json, where the file contains a
 * `Scenario`. Each request goes to the next entry of `requests`, round robin, so that
 * consecutive requests come from different people.
 *
 * Arrivals are open-loop as long as a response takes less than a second. autocannon's rate
 * limit lets each connection send its per-second budget back to back, each request waiting for
 * the previous response. So the generator gives every connection a budget of one request per
 * second and starts the connections in phases spread evenly over the second. That makes `rate`
 * arrivals a second, at most `ceil(rate / MAX_PHASES)` of them at the same instant.
 */
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import { percentile } from './stats.js';

/** The requests of one run of the generator, and their rate. */
export interface Scenario {
  /** Such as `http://127.0.0.1:8080`. */
  origin: string;
  /** Requests per second. */
  rate: number;
  /** Load before the measurement, so that connections, caches and the JIT are warm. */
  warmupSeconds: number;
  /** How long the measured requests are sent. */
  durationSeconds: number;
  requests: Array<{ path: string; headers: Record<string, string>; body: string }>;
  /** A response counts as a success when its body contains this text. */
  expectInBody: string;
  /** ...and does not contain this one, such as `"isError":true` for a failed tool call. */
  rejectInBody?: string;
}

/** The summary the generator prints. */
export interface GeneratorResult {
  rate: number;
  durationSeconds: number;
  /** Responses received, successful or not, to the requests sent during the measurement. */
  completed: number;
  /** `completed` per second of measurement. */
  achievedRate: number;
  /**
   * Responses that were not a success (non-2xx, or a body without `expectInBody`), warm-up
   * included.
   */
  failed: number;
  /** Connection errors and timeouts, warm-up included. */
  errors: number;
  /**
   * Every request sent, warm-up included, to compare with the requests Odoo received. Some of
   * the last ones get no response, because each phase stops at its end.
   */
  allRequests: number;
  /** CPU time the generator itself used, in seconds. */
  cpuSeconds: number;
  /** Latency percentiles of the completed responses, in milliseconds. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The first failed response body, cut, to show what went wrong. */
  sampleFailure?: string;
}

/** More phases smooth the arrivals further, at the cost of one autocannon instance each. */
const MAX_PHASES = 200;
const TIMEOUT_SECONDS = 10;
/** Each phase sends this long after the measurement, so its last requests can complete. */
const DRAIN_SECONDS = 1;

async function main(): Promise<void> {
  const path = process.argv[2];
  if (path === undefined) {
    throw new Error('usage: generator.js SCENARIO.json');
  }
  const scenario = JSON.parse(await readFile(path, 'utf8')) as Scenario;
  process.stdout.write(`${JSON.stringify(await runScenario(scenario))}\n`);
}

/** Runs the scenario's phases to the end and summarises every response. */
async function runScenario(scenario: Scenario): Promise<GeneratorResult> {
  const phases = Math.min(scenario.rate, MAX_PHASES);
  const startedMs = performance.now();
  const window = {
    fromMs: startedMs + scenario.warmupSeconds * 1000,
    toMs: startedMs + (scenario.warmupSeconds + scenario.durationSeconds) * 1000,
  };
  const latencies: number[] = [];
  const tally = {
    failed: 0,
    errors: 0,
    sampleFailure: undefined as string | undefined,
  };
  let next = 0;
  // autocannon builds each request just before it writes it, so this counts requests sent.
  const nextRequest = (request: autocannon.Request): autocannon.Request => {
    const entry = scenario.requests[next % scenario.requests.length]!;
    next += 1;
    return { ...request, path: entry.path, headers: entry.headers, body: entry.body };
  };
  const verifyBody = (body: string | Buffer | undefined): boolean => {
    const text = String(body ?? '');
    const ok =
      text.includes(scenario.expectInBody) &&
      (scenario.rejectInBody === undefined || !text.includes(scenario.rejectInBody));
    if (!ok) {
      tally.sampleFailure ??= text.slice(0, 500);
    }
    return ok;
  };

  const runs: Array<Promise<autocannon.Result>> = [];
  for (let phase = 0; phase < phases; phase += 1) {
    const connections = connectionsOfPhase(scenario.rate, phases, phase);
    const options: autocannon.Options = {
      url: scenario.origin,
      method: 'POST',
      connections,
      connectionRate: 1,
      duration: scenario.warmupSeconds + scenario.durationSeconds + DRAIN_SECONDS,
      timeout: TIMEOUT_SECONDS,
      // autocannon 9 corrects with an expected interval of 1 ms whatever the rate, which adds a
      // made-up sample for every millisecond of each response. The arrivals here are paced.
      ignoreCoordinatedOmission: true,
      requests: [{ setupRequest: nextRequest }],
      verifyBody,
    };
    await delay(phase === 0 ? 0 : 1000 / phases);
    runs.push(runPhase(options, window, latencies));
  }
  const results = await Promise.all(runs);
  const sorted = latencies.sort((a, b) => a - b);
  for (const result of results) {
    tally.failed += result.non2xx + result.mismatches;
    tally.errors += result.errors;
  }
  return {
    rate: scenario.rate,
    durationSeconds: scenario.durationSeconds,
    completed: sorted.length,
    achievedRate: sorted.length / scenario.durationSeconds,
    failed: tally.failed,
    errors: tally.errors,
    allRequests: next,
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    ...(tally.sampleFailure === undefined ? {} : { sampleFailure: tally.sampleFailure }),
  };
}

/** Spreads `rate` connections over the phases, the first phases taking one more. */
function connectionsOfPhase(rate: number, phases: number, phase: number): number {
  return Math.floor(rate / phases) + (phase < rate % phases ? 1 : 0);
}

/** Runs one phase, adding the latency of each request sent within `window` to `latencies`. */
function runPhase(
  options: autocannon.Options,
  window: { fromMs: number; toMs: number },
  latencies: number[],
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, result: autocannon.Result) => {
      if (error !== null && error !== undefined) {
        reject(error instanceof Error ? error : new Error(String(error)));
      } else {
        resolve(result);
      }
    });
    // The response time autocannon measures, from writing the request to the end of the body.
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
      const sentMs = performance.now() - responseTimeMs;
      if (sentMs >= window.fromMs && sentMs < window.toMs) {
        latencies.push(responseTimeMs);
      }
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

await main();
