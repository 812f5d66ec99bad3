import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Scenario, startSimulator } from '../../collectors/simulate/index.js';
import { formatDuration } from '../../util/duration.js';
import { createLogger, type LogLevel } from '../../util/log.js';
import { SourceError } from '../../util/yamlreader.js';
import { EXIT_FAILURE, EXIT_OK, type IO } from '../command.js';
import { parseConfig } from '../config.js';
import { startProcessTelemetry } from '../telemetry.js';
import { startVigil, type Vigil } from '../vigil.js';
import { scaledClock } from './clock.js';
import { type Delivery, demoAlertingYaml, demoIntervals, demoVigilYaml } from './config.js';
import { demoRuleFiles } from './packs.js';
import { announcePhases } from './phases.js';

/** SHUTDOWN_GRACE_MS bounds a clean stop, as `vigil run`'s. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface LiveDemoOptions {
  readonly scenario: Scenario;
  readonly speed: number;
  readonly listenAddress: string;
  /** dataDir: where the run keeps its config, store and outbox; undefined makes a new temporary directory. */
  readonly dataDir: string | undefined;
  readonly delivery: Delivery;
  readonly logLevel: LogLevel;
}

/**
 * runLiveDemo runs the demo until SIGINT or SIGTERM: the simulator on 127.0.0.1 (any free port)
 * and a whole vigil (scrape, store, rules, alerting, HTTP API) on one clock that runs `speed`
 * times faster than real time (scaledClock), configured by files it writes into the data
 * directory (vigil.yaml, alerting.yaml; store in tsdb/, rendered emails in outbox/). It prints the
 * endpoints, then each scenario phase as it starts; the console receiver prints the alerts.
 * Exit 0 after a clean stop; 1 when vigil cannot start (address in use, a data directory in use
 * or not empty, rules that do not load).
 */
export async function runLiveDemo(opts: LiveDemoOptions, io: IO): Promise<number> {
  const dataDir = await prepareDataDir(opts.dataDir, io);
  if (dataDir === undefined) return EXIT_FAILURE;
  const rules = demoRuleFiles();
  const intervals = demoIntervals(opts.speed);
  const clock = scaledClock(opts.speed);
  const logger = createLogger({ level: opts.logLevel });

  const sim = await startSimulator({ scenario: opts.scenario, clock });
  const alertingFile = join(dataDir, 'alerting.yaml');
  const vigilFile = join(dataDir, 'vigil.yaml');
  const outboxDir = join(dataDir, 'outbox');
  await writeFile(alertingFile, demoAlertingYaml({ outboxDir, delivery: opts.delivery }));
  const vigilYaml = demoVigilYaml({
    targets: sim.targets,
    intervals,
    ruleFiles: [...rules.sources, ...rules.aiPlatform],
    alertingFile,
    storagePath: join(dataDir, 'tsdb'),
    listenAddress: opts.listenAddress,
  });
  await writeFile(vigilFile, vigilYaml);

  const telemetry = startProcessTelemetry();
  let vigil: Vigil;
  try {
    vigil = await startVigil({ config: parseConfig(vigilFile, vigilYaml), logger, telemetry, clock });
  } catch (err) {
    await sim.close();
    await telemetry.shutdown();
    if (err instanceof SourceError) io.stderr(`vigil demo: invalid rule files or alerting config:\n${err.message}\n`);
    else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') io.stderr(`vigil demo: cannot listen on ${opts.listenAddress}: the address is in use (another vigil? try --listen 127.0.0.1:0)\n`);
    else io.stderr(`vigil demo: cannot start: ${(err as Error).message}\n`);
    return EXIT_FAILURE;
  }

  const { slack, email } = opts.delivery;
  const url = vigil.url;
  io.stdout(
    [
      `vigil demo: scenario ${opts.scenario.name} (${opts.scenario.phases.length} phases${opts.scenario.durationMs === undefined ? '' : `, ${formatDuration(opts.scenario.durationMs)}`}) at ${opts.speed}x: ` +
        `one scenario minute every ${formatDuration(Math.max(1, Math.round(60_000 / opts.speed)))}`,
      `  simulator  ${sim.url} (${sim.targets.length} exporters, scraped every ${formatDuration(intervals.scrapeIntervalMs)} of scenario time)`,
      `  query API  ${url}/api/v1/query  (instant queries without time= are evaluated at the demo clock's now${opts.speed === 1 ? '' : ', which runs ahead of the wall clock'})`,
      `  metrics    ${url}/metrics   targets ${url}/api/v1/targets`,
      `  alerts     ${url}/api/v2/alerts   rules ${url}/api/v1/alerts`,
      `  outbox     ${outboxDir}/*.eml (one rendered email per notification)`,
      `  slack      ${slack === undefined ? 'off (set SLACK_BOT_TOKEN, and SLACK_CHANNEL, to post)' : `${slack.channel}${slack.apiURL === undefined ? '' : ` via ${slack.apiURL}`}`}`,
      `  email      ${email === undefined ? 'off (set SMTP_SMARTHOST=host:port, and SMTP_TO, to send)' : `to ${email.to} via ${email.smarthost}`}`,
      `  rules      ${rules.sources.length} source packs and ${rules.aiPlatform.length === 0 ? 'no ai-platform pack (rules/packs/ai-platform/ is empty: nothing will alert)' : `the ai-platform pack (${rules.aiPlatform.length} files)`}`,
      `  data       ${dataDir} (vigil.yaml, alerting.yaml, tsdb/, outbox/)`,
      'Alerts print below as they are notified; Ctrl-C stops the demo.',
      '',
    ].join('\n'),
  );
  const stopPhases = announcePhases(opts.scenario, clock, sim.platform.start, (line) => io.stdout(line + '\n'));

  const signal = await new Promise<string>((resolveSignal) => {
    process.once('SIGINT', () => resolveSignal('SIGINT'));
    process.once('SIGTERM', () => resolveSignal('SIGTERM'));
  });
  stopPhases();
  io.stderr(`vigil demo: ${signal}: stopping\n`);
  const deadline = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), SHUTDOWN_GRACE_MS).unref());
  const stopped = (async () => {
    await vigil.close();
    await sim.close();
    await telemetry.shutdown();
    return 'stopped' as const;
  })();
  const outcome = await Promise.race([stopped, deadline]).catch((err: unknown) => {
    io.stderr(`vigil demo: stop failed: ${(err as Error).message}\n`);
    return 'failed' as const;
  });
  if (outcome !== 'stopped') {
    if (outcome === 'timeout') io.stderr(`vigil demo: a clean stop took longer than ${formatDuration(SHUTDOWN_GRACE_MS)}; exiting\n`);
    return EXIT_FAILURE;
  }
  io.stderr(`vigil demo: stopped; the run's data, config and outbox stay in ${dataDir}\n`);
  return EXIT_OK;
}

/**
 * prepareDataDir makes the run's directory: a new temporary one, or `dir`, which must be absent
 * or empty. A directory from an earlier run cannot be reused: its samples and alert state are
 * stamped with that run's demo clock, ahead of this run's whenever --speed was above 1, and the
 * store would refuse this run's samples as out of order.
 */
async function prepareDataDir(dir: string | undefined, io: IO): Promise<string | undefined> {
  if (dir === undefined) return mkdtemp(join(tmpdir(), 'vigil-demo-'));
  const path = resolve(dir);
  const entries = await readdir(path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : err));
  if (entries instanceof Error) {
    io.stderr(`vigil demo: --data ${dir}: ${(entries as NodeJS.ErrnoException).code ?? entries.message}\n`);
    return undefined;
  }
  if (entries.length > 0) {
    io.stderr(`vigil demo: --data ${dir} is not empty: each run needs a fresh directory (an earlier run's samples are ahead of this run's clock); remove it or name another\n`);
    return undefined;
  }
  await mkdir(path, { recursive: true });
  return path;
}
