import { engineQuery } from '../cli/adapters.js';
import { type Scenario, writeOpenMetrics } from '../collectors/simulate/index.js';
import { Engine } from '../promql/engine.js';
import { OpenMetricsStream } from '../rules/backtest/openmetrics.js';
import { overlayQueryable } from '../rules/backtest/overlay.js';
import { type RuleErrorSummary, runBacktest, shadowedNames } from '../rules/backtest/run.js';
import type { RuleGroup } from '../rules/model.js';
import { Head } from '../tsdb/index.js';
import { VirtualClock } from '../util/clock.js';

/** A century in ms: the replay's stores never refuse or drop a sample for its age. */
const CENTURY_MS = 100 * 365 * 24 * 3600_000;

/**
 * REPLAY_START is the scenario's time zero (2025-01-01T00:00:00Z): fixed, so a scenario replays to
 * the same alerts every time, and far from a month's end, so days_in_month() does not change.
 */
export const REPLAY_START = Date.UTC(2025, 0, 1);

export interface ReplayOptions {
  readonly scenario: Scenario;
  /** groups: the loaded rules (loadRuleGroups), in evaluation order: source packs first. */
  readonly groups: readonly RuleGroup[];
  /** stepMs is the simulated scrape interval, the OpenMetrics file's step. */
  readonly stepMs: number;
  /** durationMs is how much of the scenario to replay, from its start. */
  readonly durationMs: number;
}

/**
 * ReplayedAlert is one firing of one alert label set: times in ms from the scenario's start, at
 * evaluation times. pendingAtMs is when its condition first held (undefined for a rule without
 * `for`, which fires at once).
 */
export interface ReplayedAlert {
  readonly alertname: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly pendingAtMs: number | undefined;
  readonly firedAtMs: number;
  /** resolvedAtMs is undefined when the alert still fires at the end of the replay. */
  readonly resolvedAtMs: number | undefined;
}

export interface ReplayResult {
  readonly durationMs: number;
  readonly samples: number;
  readonly evaluations: number;
  /** alerts: every firing, by firing time, then name and labels. */
  readonly alerts: readonly ReplayedAlert[];
  /** pendingOnly counts episodes that went pending and ended (or the run ended) without firing. */
  readonly pendingOnly: number;
  readonly ruleErrors: readonly RuleErrorSummary[];
  /** cpuMs is the process CPU time (user + system) the replay took, simulation included. */
  readonly cpuMs: number;
}

/**
 * replayScenario plays a scenario through rules on a virtual clock, as `vigil simulate --out` and
 * `vigil backtest --data` would one after the other, without the file in between: the simulator's
 * exporters are sampled every `stepMs` by writeOpenMetrics (exactly what a scrape stores, target
 * labels and `up` included), streamed into an in-memory store, and the rule groups are evaluated
 * over [start, start + duration] by runBacktest, each at its own interval, alert state empty at the
 * start. Queries use the engine as `vigil backtest` sets it up (Prometheus 3 semantics).
 */
export async function replayScenario(opts: ReplayOptions): Promise<ReplayResult> {
  const cpu = process.cpuUsage();
  const from = REPLAY_START;
  const to = from + Math.floor(opts.durationMs / opts.stepMs) * opts.stepMs;
  const history = new Head({ retentionMs: CENTURY_MS, clock: new VirtualClock(to) });
  const stream = new OpenMetricsStream(history);
  await writeOpenMetrics(opts.scenario, { from, to, step: opts.stepMs }, (text) => stream.write(text));
  const loaded = stream.end();
  const rejected = Object.entries(loaded.rejected);
  if (rejected.length > 0) throw new Error(`replay of ${opts.scenario.name}: samples refused by the store: ${rejected.map(([code, n]) => `${n} ${code}`).join(', ')}`);

  const results = new Head({ retentionMs: CENTURY_MS, clock: new VirtualClock(to) });
  const engine = new Engine({ lookbackDeltaMs: 5 * 60_000, noStepSubqueryIntervalMs: 60_000, delayedNameRemoval: true });
  const backtest = await runBacktest({
    groups: opts.groups,
    queryFn: engineQuery(engine, overlayQueryable(history, results, shadowedNames(opts.groups))),
    appendable: results,
    start: from,
    end: to,
  });
  const alerts: ReplayedAlert[] = [];
  let pendingOnly = 0;
  for (const h of backtest.alerts) {
    for (const ep of h.episodes) {
      if (ep.firingAt === undefined) {
        pendingOnly++;
        continue;
      }
      alerts.push({
        alertname: h.alertname,
        labels: h.labels.toRecord(),
        pendingAtMs: ep.pendingAt === undefined ? undefined : ep.pendingAt - from,
        firedAtMs: ep.firingAt - from,
        resolvedAtMs: ep.resolvedAt === undefined ? undefined : ep.resolvedAt - from,
      });
    }
  }
  // backtest.alerts is sorted by name and labels, and the sort is stable: ties keep that order.
  alerts.sort((a, b) => a.firedAtMs - b.firedAtMs);
  const used = process.cpuUsage(cpu);
  return {
    durationMs: to - from,
    samples: loaded.samples,
    evaluations: backtest.evaluations,
    alerts,
    pendingOnly,
    ruleErrors: backtest.ruleErrors,
    cpuMs: (used.user + used.system) / 1000,
  };
}
