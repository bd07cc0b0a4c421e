/** Markdown tables of the load benchmark, written to stdout. */
import type { Measurement } from './measure.js';
import type { ToolName } from './targets.js';

/** One rate of one tool for one number of people, through both targets. */
export interface LatencyRow {
  tool: ToolName;
  people: number;
  rate: number;
  direct: Measurement;
  bridge: Measurement;
}

/** The Odoo methods each probed call made, by `model.method`, with their counts. */
export type FirstCalls = Array<{ tool: ToolName; label: string; methods: Record<string, number> }>;

export function printLatencies(rows: readonly LatencyRow[]): void {
  const lines = [
    '| tool | people | rate /s | direct p50 | bridge p50 | ratio | direct p99 | bridge p99 | ratio | bridge achieved /s | CPU per call, direct / bridge | other CPU, direct / bridge |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const { direct, bridge } = row;
    lines.push(
      cells([
        `\`${row.tool}\``,
        String(row.people),
        String(row.rate),
        ms(direct.p50Ms),
        ms(bridge.p50Ms),
        ratio(bridge.p50Ms / direct.p50Ms),
        ms(direct.p99Ms),
        ms(bridge.p99Ms),
        ratio(bridge.p99Ms / direct.p99Ms),
        bridge.achievedRate.toFixed(0),
        `${direct.serverCpuMsPerCall.toFixed(2)} / ${bridge.serverCpuMsPerCall.toFixed(2)} ms`,
        `${share(direct)} / ${share(bridge)}`,
      ]),
    );
  }
  const failures = rows.flatMap((row) => [row.direct, row.bridge]).filter(hasFailures);
  lines.push('');
  lines.push(
    failures.length === 0
      ? 'Every response of every run was a success.'
      : `Runs with failed responses or errors: ${failures.length}; first failure: ${failures[0]!.sampleFailure ?? 'none recorded'}`,
  );
  write(lines);
}

export function printKnees(
  knees: ReadonlyMap<ToolName, readonly Measurement[]>,
  people: number,
  factor: number,
  minAchievedShare: number,
): void {
  const lines = [
    `Knee, bridge only, ${people} people:`,
    '',
    '| tool | rate /s | achieved /s | p50 | p99 | p99 / p99 at the lowest rate |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  const verdicts: string[] = [];
  for (const [tool, ladder] of knees) {
    const lowest = ladder[0]!;
    for (const measurement of ladder) {
      lines.push(
        cells([
          `\`${tool}\``,
          String(measurement.rate),
          measurement.achievedRate.toFixed(0),
          ms(measurement.p50Ms),
          ms(measurement.p99Ms),
          ratio(measurement.p99Ms / lowest.p99Ms),
        ]),
      );
    }
    const knee = ladder.find(
      (measurement) =>
        measurement !== lowest &&
        (measurement.p99Ms >= factor * lowest.p99Ms ||
          measurement.achievedRate < minAchievedShare * measurement.rate),
    );
    const below = knee === undefined ? ladder.at(-1)! : ladder[ladder.indexOf(knee) - 1]!;
    verdicts.push(
      knee === undefined
        ? `- \`${tool}\`: no knee up to ${below.rate} calls/s.`
        : `- \`${tool}\`: knee at ${knee.rate} calls/s; ${below.rate} calls/s is the last rate below it.`,
    );
  }
  write([...lines, '', ...verdicts]);
}

export function printRoundTrips(firstCalls: FirstCalls, rows: readonly LatencyRow[]): void {
  const lines = [
    'Odoo requests of single calls on a fresh bridge:',
    '',
    '| tool | call | Odoo requests | methods |',
    '| --- | --- | ---: | --- |',
  ];
  for (const call of firstCalls) {
    const total = Object.values(call.methods).reduce((sum, count) => sum + count, 0);
    const methods = Object.entries(call.methods)
      .map(([method, count]) => (count === 1 ? `\`${method}\`` : `\`${method}\` × ${count}`))
      .join(', ');
    lines.push(cells([`\`${call.tool}\``, call.label, String(total), methods]));
  }
  lines.push(
    '',
    'Odoo requests per tool call under load (every call of the runs, warm-up included):',
  );
  lines.push('', '| tool | people | bridge | direct |', '| --- | ---: | ---: | ---: |');
  const groups = new Map<string, LatencyRow[]>();
  for (const row of rows) {
    const key = `${row.tool} ${row.people}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const group of groups.values()) {
    const perCall = (pick: (row: LatencyRow) => Measurement) => {
      const requests = group.reduce((sum, row) => sum + pick(row).odooRequests, 0);
      const calls = group.reduce((sum, row) => sum + pick(row).allRequests, 0);
      return (requests / calls).toFixed(3);
    };
    const first = group[0]!;
    lines.push(
      cells([
        `\`${first.tool}\``,
        String(first.people),
        perCall((row) => row.bridge),
        perCall((row) => row.direct),
      ]),
    );
  }
  write(lines);
}

export function printMemory(
  idleRssKiB: number,
  peak: { maxSampledRssKiB: number; peakRssKiB: number },
  people: number,
): void {
  write([
    `| bridge memory | RSS |`,
    '| --- | ---: |',
    `| after the start and one tool call (VmRSS) | ${mib(idleRssKiB)} |`,
    `| peak during the ${people}-person runs (VmHWM of that process) | ${mib(peak.peakRssKiB)} |`,
    `| largest VmRSS sampled every 200 ms during those runs | ${mib(peak.maxSampledRssKiB)} |`,
  ]);
}

function hasFailures(measurement: Measurement): boolean {
  return measurement.failed > 0 || measurement.errors > 0;
}

function cells(values: string[]): string {
  return `| ${values.join(' | ')} |`;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function ratio(value: number): string {
  return value.toFixed(2);
}

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

/** Other processes' CPU during a run, in percent of one CPU, with the attempts if repeated. */
function share(measurement: Measurement): string {
  const percent = `${(measurement.otherCpuShare * 100).toFixed(0)} %`;
  return measurement.attempts > 1 ? `${percent} (${measurement.attempts} runs)` : percent;
}

function write(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
