import { createWriteStream } from 'node:fs';
import { loadScenario, type Scenario } from '../../collectors/simulate/scenario.js';
import { scrapeConfigYaml, startSimulator } from '../../collectors/simulate/server.js';
import { writeOpenMetrics } from '../../collectors/simulate/openmetrics.js';
import { systemClock } from '../../util/clock.js';
import { DurationError, formatDuration, parseDuration } from '../../util/duration.js';
import { SourceError } from '../../util/yamlreader.js';
import { type Command, EXIT_FAILURE, EXIT_OK, type IO, processIO, stringFlag, UsageError } from '../command.js';

const DEFAULT_DURATION_MS = 2 * 3600_000;
const DEFAULT_STEP_MS = 15_000;

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'run the AI platform simulator: serve its exporters, or write a scenario as OpenMetrics',
  usage: `Usage: vigil simulate --scenario FILE --out FILE.om [--duration D] [--step D] [--start T] [--seed N]
       vigil simulate --scenario FILE --listen HOST:PORT [--seed N]

Simulates a small AI platform (two GPU nodes of 8 H100s with dcgm-exporter, two models with two
versions each served by vLLM, the RabbitMQ queue 'embeddings', kube-state-metrics) through a
scenario file (see examples/scenarios/): a seeded timeline of phases that turn knobs such as
request rates, error ratios, latency, replicas, a batch job's GPUs and the queue's consumers.
Bodies use the real exporters' names, labels and formats.

With --out, samples every series every --step over --duration on a virtual clock, as a scrape
would (with each target's labels: job, instance, namespace, model, version, node, pool), and
writes an OpenMetrics file for 'vigil tsdb import', 'vigil backtest --data' and
'promtool tsdb create-blocks-from openmetrics'. Progress goes to standard error.

With --listen, serves every exporter on its own path from HOST:PORT (port 0 picks a free one) on
the wall clock, prints the targets as scrape configs to paste into vigil.yaml or prometheus.yml,
and runs until interrupted (SIGINT or SIGTERM).

Exit codes: 0 done, 1 the scenario is invalid (file:line:column: reason) or the run failed,
2 bad command line.

Flags:
  --scenario FILE   scenario file (required)
  --out FILE        write OpenMetrics to FILE ('-' for standard output)
  --duration D      how long to simulate (default: the scenario's duration, else 2h)
  --step D          sampling interval (default 15s)
  --start T         the scenario's start, RFC 3339 or Unix seconds (default: so that it ends now)
  --listen ADDR     serve the exporters on ADDR, such as 127.0.0.1:0
  --seed N          override the scenario's seed
  -h, --help        show this help
`,
  options: {
    scenario: { type: 'string' },
    out: { type: 'string' },
    duration: { type: 'string' },
    step: { type: 'string' },
    start: { type: 'string' },
    listen: { type: 'string' },
    seed: { type: 'string' },
  },
  allowPositionals: false,
  async run({ values }, io) {
    const file = stringFlag(values, 'scenario');
    if (file === undefined) throw new UsageError('--scenario FILE is required');
    const out = stringFlag(values, 'out');
    const listen = stringFlag(values, 'listen');
    if ((out === undefined) === (listen === undefined)) throw new UsageError('give exactly one of --out FILE and --listen ADDR');
    const seedText = stringFlag(values, 'seed');
    const seed = seedText === undefined ? undefined : Number(seedText);
    if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0)) throw new UsageError(`--seed must be a whole number >= 0, got ${JSON.stringify(seedText)}`);
    if (listen !== undefined) {
      for (const flag of ['duration', 'step', 'start']) if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to --out only`);
    }
    const durationFlag = durationOption(values, 'duration');
    const step = durationOption(values, 'step') ?? DEFAULT_STEP_MS;
    if (step <= 0) throw new UsageError('--step must be positive');
    const startText = stringFlag(values, 'start');
    const startFlag = startText === undefined ? undefined : parseTime(startText);
    const hostPort = listen === undefined ? undefined : parseListen(listen);

    let scenario: Scenario;
    try {
      scenario = await loadScenario(file);
    } catch (err) {
      if (err instanceof SourceError) {
        io.stderr(err.message + '\n');
        return EXIT_FAILURE;
      }
      throw err;
    }
    if (seed !== undefined) scenario = { ...scenario, seed };

    if (hostPort !== undefined) return serve(scenario, hostPort, io);
    const duration = durationFlag ?? scenario.durationMs ?? DEFAULT_DURATION_MS;
    if (duration <= 0) throw new UsageError('--duration must be positive');
    const from = startFlag ?? Math.floor(Date.now() / step) * step - duration;
    return write(scenario, { from, to: from + duration, step }, out!, io);
  },
};

async function write(scenario: Scenario, range: { from: number; to: number; step: number }, out: string, io: IO): Promise<number> {
  const tty = io === processIO && process.stderr.isTTY === true;
  const progress = progressReporter(io, tty, scenario.name);
  if (out === '-') {
    const summary = await writeOpenMetrics(scenario, range, io.stdout, { onProgress: progress.update });
    progress.finish();
    io.stderr(`simulate: ${scenario.name}: ${summary.samples} samples of ${summary.series} series (${summary.scrapes} scrapes every ${formatDuration(range.step)})\n`);
    return EXIT_OK;
  }
  const stream = createWriteStream(out);
  const failed = new Promise<never>((_, reject) => stream.once('error', (err) => reject(new Error(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? err.message}`))));
  failed.catch(() => {});
  const sink = (text: string): Promise<void> | void => {
    if (stream.write(text)) return;
    return Promise.race([new Promise<void>((resolve) => stream.once('drain', resolve)), failed]);
  };
  const summary = await Promise.race([writeOpenMetrics(scenario, range, sink, { onProgress: progress.update }), failed]);
  await Promise.race([new Promise<void>((resolve) => stream.end(resolve)), failed]);
  progress.finish();
  io.stderr(`simulate: ${scenario.name}: wrote ${summary.samples} samples of ${summary.series} series to ${out} (${summary.scrapes} scrapes every ${formatDuration(range.step)}, from ${new Date(range.from).toISOString()})\n`);
  return EXIT_OK;
}

async function serve(scenario: Scenario, hostPort: { host: string; port: number }, io: IO): Promise<number> {
  const sim = await startSimulator({ scenario, clock: systemClock, host: hostPort.host, port: hostPort.port });
  io.stderr(`simulate: ${scenario.name}: serving ${sim.targets.length} exporters on ${sim.url} (Ctrl-C to stop)\n`);
  io.stdout(`# vigil simulate: scenario ${scenario.name}, started ${new Date(sim.platform.start).toISOString()}\n`);
  io.stdout(scrapeConfigYaml(sim.targets, { scrapeInterval: '15s' }));
  const signal = await new Promise<string>((resolve) => {
    const stop = (s: string) => () => resolve(s);
    process.once('SIGINT', stop('SIGINT'));
    process.once('SIGTERM', stop('SIGTERM'));
  });
  await sim.close();
  io.stderr(`simulate: ${signal}: stopped\n`);
  return EXIT_OK;
}

/**
 * progressReporter draws a bar on a terminal and otherwise prints a line every tenth of the run,
 * and only for runs long enough to be worth it.
 */
function progressReporter(io: IO, tty: boolean, name: string): { update: (done: number, total: number) => void; finish(): void } {
  let lastTenth = 0;
  let lastPercent = -1;
  let drawn = false;
  return {
    update(done, total) {
      if (total < 200) return;
      const fraction = done / total;
      if (tty) {
        const percent = Math.floor(fraction * 100);
        if (percent === lastPercent) return;
        lastPercent = percent;
        const filled = Math.round(fraction * 30);
        io.stderr(`\r${name}: [${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${String(percent).padStart(3)}%`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (tenth <= lastTenth) return;
      lastTenth = tenth;
      io.stderr(`simulate: ${name}: ${tenth * 10}% (${done} of ${total} scrapes)\n`);
    },
    finish() {
      if (drawn) io.stderr('\n');
    },
  };
}

function durationOption(values: Record<string, unknown>, name: string): number | undefined {
  const text = stringFlag(values, name);
  if (text === undefined) return undefined;
  try {
    return parseDuration(text);
  } catch (err) {
    if (err instanceof DurationError) throw new UsageError(`--${name}: expected a duration such as 15s, 30m or 2h, got ${JSON.stringify(text)}`);
    throw err;
  }
}

function parseTime(text: string): number {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new UsageError(`--start: expected an RFC 3339 time or Unix seconds, got ${JSON.stringify(text)}`);
  return t;
}

function parseListen(text: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(text);
  const port = m === null ? NaN : Number(m[2]);
  if (m === null || m[1] === '' || port > 65535) throw new UsageError(`--listen: expected HOST:PORT such as 127.0.0.1:0, got ${JSON.stringify(text)}`);
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}
