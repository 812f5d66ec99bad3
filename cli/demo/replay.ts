import { type Scenario, Timeline, writeOpenMetrics } from '../../collectors/simulate/index.js';
import { Engine } from '../../promql/engine.js';
import { OpenMetricsStream } from '../../rules/backtest/openmetrics.js';
import { overlayQueryable } from '../../rules/backtest/overlay.js';
import { type BacktestResult, runBacktest, shadowedNames, type RuleErrorSummary } from '../../rules/backtest/run.js';
import type { RuleGroup } from '../../rules/model.js';
import { loadRuleGroups } from '../../rules/unittest/load.js';
import { Head } from '../../tsdb/index.js';
import { VirtualClock } from '../../util/clock.js';
import { engineQuery } from '../adapters.js';

/** A century in ms: the replay's stores never refuse or drop a sample for its age. */
const CENTURY_MS = 100 * 365 * 24 * 3600_000;

/**
 * REPLAY_START is the scenario's time zero in a replay (2025-01-01T00:00:00Z): fixed, so the same
 * scenario and rules always print the same timeline, and far from a month's end, so
 * days_in_month() does not change.
 */
export const REPLAY_START = Date.UTC(2025, 0, 1);

/** DEFAULT_REPLAY_DURATION_MS is how long a scenario without `duration` is replayed. */
export const DEFAULT_REPLAY_DURATION_MS = 2 * 3600_000;

/** ReplayOptions: replaySimulation's options for `vigil demo --replay`, with rule files to load. */
export interface ReplayOptions extends Omit<SimulationReplayOptions, 'groups' | 'durationMs' | 'evaluationIntervalMs'> {
  readonly ruleFiles: readonly string[];
  /** evaluationIntervalMs: the interval of rule groups that set none (the global evaluation_interval). */
  readonly evaluationIntervalMs: number;
  /** durationMs: how much of the scenario to replay (default its duration, else 2h). */
  readonly durationMs?: number;
}

/** ReplayAlert is one firing of one alert (one label set): times in seconds from the scenario's start. */
export interface ReplayAlert {
  readonly alertname: string;
  readonly labels: Readonly<Record<string, string>>;
  /** severity, namespace and model are the alert's labels of those names ('' when it has none). */
  readonly severity: string;
  readonly namespace: string;
  readonly model: string;
  readonly firedAtSeconds: number;
  /** resolvedAtSeconds: undefined when still firing at the end of the replay. */
  readonly resolvedAtSeconds: number | undefined;
  /** phaseAtFiring and phaseAtResolve: the scenario phase in force then ('' before the first). */
  readonly phaseAtFiring: string;
  readonly phaseAtResolve: string | undefined;
}

export interface ReplayResult {
  readonly scenario: string;
  readonly file: string;
  readonly durationSeconds: number;
  readonly scrapeIntervalSeconds: number;
  readonly evaluationIntervalSeconds: number;
  readonly ruleFiles: readonly string[];
  readonly ruleGroups: number;
  readonly phases: readonly { readonly name: string; readonly atSeconds: number }[];
  /** alerts: every firing, by firing time, then alert name and labels. */
  readonly alerts: readonly ReplayAlert[];
  readonly ruleErrors: readonly RuleErrorSummary[];
  /** warnings: the rule loader's, as `file:line:column: ...`. */
  readonly warnings: readonly string[];
}

/** SimulationReplayOptions: what replaySimulation replays, through which rules. Times in ms. */
export interface SimulationReplayOptions {
  readonly scenario: Scenario;
  /** groups: the loaded rules, in evaluation order (source packs first). */
  readonly groups: readonly RuleGroup[];
  /** scrapeIntervalMs: the simulated scrape interval (the OpenMetrics step). */
  readonly scrapeIntervalMs: number;
  /** durationMs: how much of the scenario to replay from its start, cut to whole scrape intervals. */
  readonly durationMs: number;
  /** evaluationIntervalMs: the interval of rule groups that set none (default 1m). */
  readonly evaluationIntervalMs?: number;
  /** onProgress reports each stage: simulating the scrapes, then evaluating the rules. */
  readonly onProgress?: (stage: 'simulate' | 'evaluate', done: number, total: number) => void;
}

/** SimulationReplay is a replay's span [from, to] (epoch ms), the samples stored, and what the rules did. */
export interface SimulationReplay {
  readonly from: number;
  readonly to: number;
  readonly samples: number;
  readonly backtest: BacktestResult;
}

/**
 * replaySimulation plays a scenario through rules on a virtual clock, as `vigil simulate --out`
 * and `vigil backtest --data` would one after the other, without the file in between: the
 * simulator's exporters are sampled every `scrapeIntervalMs` from REPLAY_START by writeOpenMetrics
 * (exactly what a scrape stores, target labels and `up` included), streamed into an in-memory
 * store, and the rule groups are evaluated over [from, to] by runBacktest, each at its own
 * interval, alert state empty at the start. Queries use the engine with Prometheus 3's settings,
 * as `vigil backtest` does (5m lookback, a 1m step for subqueries without one, delayed name
 * removal). Throws Error when the store refuses a sample (a bug in the simulator).
 * `vigil demo --replay` and the failure-mode matrix (bench/scenario-replay.ts) both replay with it.
 */
export async function replaySimulation(opts: SimulationReplayOptions): Promise<SimulationReplay> {
  const from = REPLAY_START;
  const to = from + Math.floor(opts.durationMs / opts.scrapeIntervalMs) * opts.scrapeIntervalMs;
  const history = new Head({ retentionMs: CENTURY_MS, clock: new VirtualClock(to) });
  const stream = new OpenMetricsStream(history);
  await writeOpenMetrics(opts.scenario, { from, to, step: opts.scrapeIntervalMs }, (text) => stream.write(text), {
    onProgress: (done, total) => opts.onProgress?.('simulate', done, total),
  });
  const imported = stream.end();
  const rejected = Object.entries(imported.rejected);
  if (rejected.length > 0) throw new Error(`replay of ${opts.scenario.name}: samples refused by the store: ${rejected.map(([code, n]) => `${n} ${code}`).join(', ')}`);

  const results = new Head({ retentionMs: CENTURY_MS, clock: new VirtualClock(to) });
  const engine = new Engine({ lookbackDeltaMs: 5 * 60_000, noStepSubqueryIntervalMs: 60_000, delayedNameRemoval: true });
  const backtest = await runBacktest({
    groups: opts.groups,
    queryFn: engineQuery(engine, overlayQueryable(history, results, shadowedNames(opts.groups))),
    appendable: results,
    start: from,
    end: to,
    ...(opts.evaluationIntervalMs !== undefined ? { evaluationIntervalMs: opts.evaluationIntervalMs } : {}),
    onProgress: (done, total) => opts.onProgress?.('evaluate', done, total),
  });
  return { from, to, samples: imported.samples, backtest };
}

/**
 * replayScenario runs a scenario on a virtual clock and reports what the rules would have alerted
 * on, as the live demo would have seen it (replaySimulation, each group at its own interval,
 * alert state empty at the start as in a fresh `vigil demo`). Throws RuleLoadError or
 * SLOCompileError for rules that do not load, Error for an OpenMetrics stream that does not
 * import (a bug in the simulator).
 */
export async function replayScenario(opts: ReplayOptions): Promise<ReplayResult> {
  const loaded = loadRuleGroups(opts.ruleFiles);
  const { from, to, backtest } = await replaySimulation({
    scenario: opts.scenario,
    groups: loaded.groups,
    scrapeIntervalMs: opts.scrapeIntervalMs,
    durationMs: opts.durationMs ?? opts.scenario.durationMs ?? DEFAULT_REPLAY_DURATION_MS,
    evaluationIntervalMs: opts.evaluationIntervalMs,
    ...(opts.onProgress !== undefined ? { onProgress: opts.onProgress } : {}),
  });

  const timeline = new Timeline(opts.scenario);
  const seconds = (t: number) => Math.round((t - from) / 1000);
  const phaseAt = (t: number) => timeline.phaseAt(t - from) ?? '';
  const alerts: ReplayAlert[] = [];
  for (const h of backtest.alerts) {
    for (const ep of h.episodes) {
      if (ep.firingAt === undefined) continue;
      alerts.push({
        alertname: h.alertname,
        labels: h.labels.toRecord(),
        severity: h.labels.get('severity'),
        namespace: h.labels.get('namespace'),
        model: h.labels.get('model'),
        firedAtSeconds: seconds(ep.firingAt),
        resolvedAtSeconds: ep.resolvedAt === undefined ? undefined : seconds(ep.resolvedAt),
        phaseAtFiring: phaseAt(ep.firingAt),
        phaseAtResolve: ep.resolvedAt === undefined ? undefined : phaseAt(ep.resolvedAt),
      });
    }
  }
  // backtest.alerts is sorted by name and labels, and the sort is stable: ties keep that order.
  alerts.sort((a, b) => a.firedAtSeconds - b.firedAtSeconds);
  return {
    scenario: opts.scenario.name,
    file: opts.scenario.file,
    durationSeconds: seconds(to),
    scrapeIntervalSeconds: opts.scrapeIntervalMs / 1000,
    evaluationIntervalSeconds: opts.evaluationIntervalMs / 1000,
    ruleFiles: opts.ruleFiles,
    ruleGroups: loaded.groups.length,
    phases: opts.scenario.phases.map((p) => ({ name: p.name, atSeconds: p.atMs / 1000 })),
    alerts,
    ruleErrors: backtest.ruleErrors,
    warnings: loaded.warnings,
  };
}
