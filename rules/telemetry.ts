import type { Attributes, Counter, Histogram, Meter, ObservableResult } from '@opentelemetry/api';

/**
 * RuleMetrics is the rule evaluator's self-telemetry, shaped after Prometheus's `prometheus_rule_*`
 * metrics. `group` is the group key, `<file>;<name>` (Prometheus's `rule_group` label). Durations
 * are in seconds.
 */
export interface RuleMetrics {
  /** groupAdded registers a group's gauges (interval, rule count); groupRemoved drops them. */
  groupAdded(group: string, source: GroupGaugeSource): void;
  groupRemoved(group: string): void;
  /** iterations counts scheduled iterations, whether run or missed (Prometheus counts both). */
  iterations(group: string, n: number): void;
  /** missed counts iterations skipped because the previous evaluation ran past its slot. */
  missed(group: string, n: number): void;
  /** slow counts evaluations that took longer than the group's interval. */
  slow(group: string): void;
  /** groupEvaluated records one evaluation of the whole group. */
  groupEvaluated(group: string, seconds: number): void;
  /** ruleEvaluated records one rule evaluation; `failed` when its query, templates or append failed. */
  ruleEvaluated(group: string, seconds: number, failed: boolean): void;
}

/** GroupGaugeSource is what the observable gauges read from a running group at collection time. */
export interface GroupGaugeSource {
  readonly intervalSeconds: number;
  readonly rules: number;
  /** lastDurationSeconds, lastEvaluationSeconds (Unix time of the last start) and lastSamples: 0 before the first evaluation. */
  lastDurationSeconds(): number;
  lastEvaluationSeconds(): number;
  lastSamples(): number;
  lastRestoreDurationSeconds(): number;
}

/** nopRuleMetrics records nothing; backtests and unit tests that do not look at telemetry use it. */
export const nopRuleMetrics: RuleMetrics = {
  groupAdded: () => {},
  groupRemoved: () => {},
  iterations: () => {},
  missed: () => {},
  slow: () => {},
  groupEvaluated: () => {},
  ruleEvaluated: () => {},
};

/**
 * otelRuleMetrics reports through an OpenTelemetry Meter, served on vigil's /metrics. Names start
 * with `vigil_rule_`; counters carry no `_total` (the Prometheus exporter adds it).
 */
export function otelRuleMetrics(meter: Meter): RuleMetrics {
  const attrs = new Map<string, Attributes>();
  const sources = new Map<string, GroupGaugeSource>();
  const a = (group: string): Attributes => {
    let x = attrs.get(group);
    if (x === undefined) {
      x = { rule_group: group };
      attrs.set(group, x);
    }
    return x;
  };
  const evaluations: Counter = meter.createCounter('vigil_rule_evaluations', { description: 'Rule evaluations, per group.' });
  const failures: Counter = meter.createCounter('vigil_rule_evaluation_failures', {
    description: 'Rule evaluations that failed (query, template limit, append), per group.',
  });
  const iterations: Counter = meter.createCounter('vigil_rule_group_iterations', {
    description: 'Scheduled rule group evaluations, whether run or missed.',
  });
  const missed: Counter = meter.createCounter('vigil_rule_group_iterations_missed', {
    description: 'Rule group evaluations skipped because the previous one ran past its slot.',
  });
  const slow: Counter = meter.createCounter('vigil_rule_group_slow_evaluations', {
    description: 'Rule group evaluations that took longer than the group interval.',
  });
  const groupDuration: Histogram = meter.createHistogram('vigil_rule_group_duration_seconds', {
    description: 'Duration of rule group evaluations.',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] },
  });
  const ruleDuration: Histogram = meter.createHistogram('vigil_rule_evaluation_duration_seconds', {
    description: 'Duration of single rule evaluations.',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] },
  });
  const gauge = (name: string, description: string, read: (s: GroupGaugeSource) => number) => {
    meter.createObservableGauge(name, { description }).addCallback((r: ObservableResult<Attributes>) => {
      for (const [group, s] of sources) r.observe(read(s), a(group));
    });
  };
  gauge('vigil_rule_group_interval_seconds', 'The interval of a rule group.', (s) => s.intervalSeconds);
  gauge('vigil_rule_group_rules', 'The number of rules in a group.', (s) => s.rules);
  gauge('vigil_rule_group_last_duration_seconds', 'The duration of the last rule group evaluation.', (s) => s.lastDurationSeconds());
  gauge('vigil_rule_group_last_evaluation_timestamp_seconds', 'When the last rule group evaluation started (Unix seconds).', (s) =>
    s.lastEvaluationSeconds(),
  );
  gauge('vigil_rule_group_last_evaluation_samples', 'Samples returned by the last rule group evaluation.', (s) => s.lastSamples());
  gauge('vigil_rule_group_last_restore_duration_seconds', 'Duration of the last restore of alert state from ALERTS_FOR_STATE.', (s) =>
    s.lastRestoreDurationSeconds(),
  );
  return {
    groupAdded(group, source) {
      sources.set(group, source);
    },
    groupRemoved(group) {
      sources.delete(group);
      attrs.delete(group);
    },
    iterations: (group, n) => iterations.add(n, a(group)),
    missed: (group, n) => missed.add(n, a(group)),
    slow: (group) => slow.add(1, a(group)),
    groupEvaluated: (group, seconds) => groupDuration.record(seconds, a(group)),
    ruleEvaluated(group, seconds, failed) {
      evaluations.add(1, a(group));
      if (failed) failures.add(1, a(group));
      ruleDuration.record(seconds, a(group));
    },
  };
}
