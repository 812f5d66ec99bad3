import { type Scenario, loadScenario } from '../../collectors/simulate/index.js';
import { formatDuration } from '../../util/duration.js';
import type { LogLevel } from '../../util/log.js';
import { SourceError } from '../../util/yamlreader.js';
import { type Command, EXIT_FAILURE, EXIT_OK, type IO, processIO, stringFlag, UsageError } from '../command.js';
import { splitHostPort } from '../config.js';
import { DeliveryError, deliveryFromEnv, demoIntervals, type Delivery } from '../demo/config.js';
import { runLiveDemo } from '../demo/live.js';
import { demoRuleFiles, examplePath } from '../demo/packs.js';
import { replayScenario } from '../demo/replay.js';
import { formatReplay, jsonReplay } from '../demo/report.js';

/** DEFAULT_SPEED: the default scenario runs 8 hours in 16 minutes, and pages within the first two. */
export const DEFAULT_SPEED = 30;
/** MAX_SPEED keeps a scrape at least a quarter of a real second apart (see demoIntervals). */
export const MAX_SPEED = 240;
const DEFAULT_LISTEN = '127.0.0.1:9470';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the live demo: a simulated AI platform failing in turn, watched by vigil (--replay: its alert timeline)',
  usage: `Usage: vigil demo [--scenario FILE] [--speed N] [--listen ADDR] [--data DIR]
       vigil demo --replay [--scenario FILE] [--json]

Runs everything in one process: the AI platform simulator (dcgm-exporter on two 8-GPU nodes, vLLM
for two models with two versions each, RabbitMQ, kube-state-metrics) playing a scenario of
failures, and vigil scraping it, storing, evaluating the rule packs (the source packs of
rules/packs/sources/ that map the exporters onto the ai: vocabulary, and every file of
rules/packs/ai-platform/ present at start: SLOs and one alert per failure mode), and routing the
alerts to:
  - the console (standard output), always;
  - an outbox of rendered emails, DATA/outbox/*.eml, always: the mail the email receiver would send;
  - Slack, when SLACK_BOT_TOKEN is set: channel SLACK_CHANNEL (default #vigil-demo), Web API at
    SLACK_API_URL (default Slack's own);
  - email, when SMTP_SMARTHOST=host:port is set (no TLS, no AUTH: a local relay or a mail catcher
    such as Mailpit), from SMTP_FROM to SMTP_TO.
The default scenario (examples/scenarios/all-in-sequence.yaml) runs GPU starvation, a bad
rollout, queue overload, a cost runaway and an observability gap in turn, with recoveries between.

Time: the simulator and vigil share one clock that runs --speed times faster than real time
(scenario time = start + real time elapsed x speed), so every duration passes in scenario time:
rate windows, 'for', group_wait (10s), repeat_interval, and also send timeouts and retry back-offs
(30s become 1s at 30x; lower --speed for a slow mail server). Scrapes and rule evaluations happen
every 5s of scenario time up to speed 10, then speed x 0.5s (at most 1m). Samples carry the demo
clock's time, which runs ahead of the wall clock: give queries an explicit time.
The demo prints the endpoints, then each phase of the scenario as it starts; alerts print as they
are notified. SIGINT (Ctrl-C) or SIGTERM stops it cleanly (exit 0). The run's directory (config
files, store, outbox) is kept.

With --replay, nothing is served: the scenario is simulated on a virtual clock (scraped every
15s, rule groups every 15s or at their own interval), and the alert timeline is printed: when each
alert fired and resolved, in seconds from the scenario's start, with its severity, namespace,
model and the scenario phase at that moment. Progress goes to standard error.

Exit codes: 0 done (or stopped by a signal), 1 the scenario or the rules are invalid or vigil
could not start, 2 bad command line.

Flags:
  --scenario FILE   scenario file (default: examples/scenarios/all-in-sequence.yaml)
  --speed N         how many times faster than real time the demo runs, up to ${MAX_SPEED} (default ${DEFAULT_SPEED})
  --listen ADDR     vigil's address (default ${DEFAULT_LISTEN}; port 0 picks a free one)
  --data DIR        the run's directory, absent or empty (default: a new temporary directory)
  --log-level LEVEL vigil's log on standard error: debug, info, warn or error (default warn)
  --replay          print the scenario's alert timeline instead of running live
  --json            with --replay, print the timeline as JSON
  -h, --help        show this help
`,
  options: {
    scenario: { type: 'string' },
    speed: { type: 'string' },
    listen: { type: 'string' },
    data: { type: 'string' },
    'log-level': { type: 'string', default: 'warn' },
    replay: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
  allowPositionals: false,
  async run({ values }, io: IO) {
    const replay = values['replay'] === true;
    const json = values['json'] === true;
    if (json && !replay) throw new UsageError('--json applies to --replay only');
    if (replay) for (const flag of ['speed', 'listen', 'data']) if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to the live demo only, not --replay`);
    const speed = parseSpeed(stringFlag(values, 'speed'));
    const listen = stringFlag(values, 'listen') ?? DEFAULT_LISTEN;
    if (splitHostPort(listen) === undefined) throw new UsageError(`--listen: expected HOST:PORT such as 127.0.0.1:9470, got ${JSON.stringify(listen)}`);
    const logLevel = stringFlag(values, 'log-level') as LogLevel;
    if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new UsageError(`invalid --log-level ${JSON.stringify(logLevel)}`);

    const file = stringFlag(values, 'scenario') ?? examplePath('scenarios', 'all-in-sequence.yaml');
    let scenario: Scenario;
    try {
      scenario = await loadScenario(file);
    } catch (err) {
      io.stderr(`vigil demo: ${err instanceof SourceError ? `invalid scenario:\n${err.message}` : (err as Error).message}\n`);
      return EXIT_FAILURE;
    }
    if (replay) return runReplay(scenario, json, io);

    let delivery: Delivery;
    try {
      delivery = deliveryFromEnv(process.env);
    } catch (err) {
      if (!(err instanceof DeliveryError)) throw err;
      io.stderr(`vigil demo: ${err.message}\n`);
      return EXIT_FAILURE;
    }
    return runLiveDemo({ scenario, speed, listenAddress: listen, dataDir: stringFlag(values, 'data'), delivery, logLevel }, io);
  },
};

/** REPLAY_SPEED: the replay samples as the live demo at speed 30 scrapes (every 15s, see demoIntervals). */
const REPLAY_SPEED = DEFAULT_SPEED;

async function runReplay(scenario: Scenario, json: boolean, io: IO): Promise<number> {
  const rules = demoRuleFiles();
  if (rules.aiPlatform.length === 0) io.stderr('vigil demo: rules/packs/ai-platform/ holds no rule files: only the source packs run, and nothing alerts\n');
  const intervals = demoIntervals(REPLAY_SPEED);
  const tty = io === processIO && process.stderr.isTTY === true;
  const progress = stageProgress(io, tty, scenario.name);
  let result;
  try {
    result = await replayScenario({
      scenario,
      ruleFiles: [...rules.sources, ...rules.aiPlatform],
      scrapeIntervalMs: intervals.scrapeIntervalMs,
      evaluationIntervalMs: intervals.evaluationIntervalMs,
      onProgress: progress.update,
    });
  } catch (err) {
    progress.finish();
    io.stderr(`vigil demo: ${(err as Error).message}\n`);
    return EXIT_FAILURE;
  }
  progress.finish();
  for (const w of result.warnings) io.stderr(`warning: ${w}\n`);
  io.stdout(json ? JSON.stringify(jsonReplay(result), null, 2) + '\n' : formatReplay(result));
  return EXIT_OK;
}

/**
 * stageProgress reports the replay's two stages: a bar on a terminal, otherwise a line at each
 * tenth of a stage (and nothing for stages too short to wait for).
 */
function stageProgress(io: IO, tty: boolean, name: string): { update: (stage: 'simulate' | 'evaluate', done: number, total: number) => void; finish(): void } {
  const label = { simulate: 'simulating scrapes', evaluate: 'evaluating rules' };
  let current: string | undefined;
  let lastTenth = 0;
  let lastPercent = -1;
  let drawn = false;
  return {
    update(stage, done, total) {
      if (stage !== current) {
        if (drawn) io.stderr('\n');
        drawn = false;
        current = stage;
        lastTenth = 0;
        lastPercent = -1;
      }
      const fraction = total <= 0 ? 1 : done / total;
      if (tty) {
        const percent = Math.floor(fraction * 100);
        if (percent === lastPercent) return;
        lastPercent = percent;
        const filled = Math.round(fraction * 30);
        io.stderr(`\r${name}: ${label[stage].padEnd(18)} [${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${String(percent).padStart(3)}%`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (tenth <= lastTenth) return;
      lastTenth = tenth;
      const amount = stage === 'evaluate' ? `${formatDuration(done)} of ${formatDuration(total)}` : `${done} of ${total} scrapes`;
      io.stderr(`vigil demo: ${name}: ${label[stage]} ${tenth * 10}% (${amount})\n`);
    },
    finish() {
      if (drawn) io.stderr('\n');
      drawn = false;
    },
  };
}

function parseSpeed(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SPEED;
  const speed = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(speed > 0) || speed > MAX_SPEED) throw new UsageError(`--speed: expected a number above 0 and at most ${MAX_SPEED}, got ${JSON.stringify(text)}`);
  return speed;
}
