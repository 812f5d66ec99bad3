import { replaySimulation } from '../cli/demo/replay.js';
import type { Scenario } from '../collectors/simulate/index.js';
import type { RuleErrorSummary } from '../rules/backtest/run.js';
import type { RuleGroup } from '../rules/model.js';

export interface ReplayOptions {
  readonly scenario: Scenario;
  /** groups: the loaded rules (loadRuleGroups), in evaluation order: source packs first. */
  readonly groups: readonly RuleGroup[];
  /** stepMs is the simulated scrape interval, the OpenMetrics file's step. */
  readonly stepMs: number;
  /** durationMs is how much of the scenario to replay, from its start (REPLAY_START, cli/demo/replay.ts). */
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
 * replayScenario plays a scenario through rules on a virtual clock with replaySimulation, as
 * `vigil demo --replay` does (`vigil simulate --out` then `vigil backtest --data`, without the file
 * in between), each group at its own interval, and counts the CPU time it takes.
 */
export async function replayScenario(opts: ReplayOptions): Promise<ReplayResult> {
  const cpu = process.cpuUsage();
  const { from, to, samples, backtest } = await replaySimulation({ scenario: opts.scenario, groups: opts.groups, scrapeIntervalMs: opts.stepMs, durationMs: opts.durationMs });
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
    samples,
    evaluations: backtest.evaluations,
    alerts,
    pendingOnly,
    ruleErrors: backtest.ruleErrors,
    cpuMs: (used.user + used.system) / 1000,
  };
}
