/**
 * The failure-mode matrix: for each scenario of examples/scenarios/, which alerts of the default
 * pack (rules/packs/ai-platform/, over the source packs) must fire, on which component, how soon
 * after the failure starts, and when they must resolve; which other alerts may fire as
 * consequences; and which components must stay quiet. test/e2e/failure-modes*.test.ts asserts it
 * and `npm run bench -- failure-modes` prints it.
 *
 * Time zero is the scenario's start; the onset of a failure is the `at` of the phase that starts
 * it. An alert's promise is its rule's: it fires `for` to `for` + one evaluation interval after
 * its condition first holds (the crossing; with no `for`, at the first evaluation at which it
 * holds). What the promise cannot say is how long the failure takes to show in the series the
 * rule reads (a ramp, a backlog growing past a threshold, a window filling): that is each
 * expectation's signal lag, bounded here with the reason.
 *
 * Replays start with no history, so windows longer than the history cover only the history: SLO
 * burn windows of 6h and more fire earlier than they would in production, and the cost-runaway
 * baselines (the median or average of the past day) soon contain the runaway itself. Where that
 * keeps an alert from resolving after the recovery within the run, the expectation says so
 * instead of checking it. A replay has no staleness markers either (it reads an OpenMetrics file
 * of samples, as `vigil backtest` does): a series that ends, such as a deleted pod's, is still
 * read for the 5 minutes of lookback, which delays resolutions that wait for it.
 */

/** LabelMatch: label values an alert must carry (any others may be present too). */
export type LabelMatch = Readonly<Record<string, string>>;

/** Resolution says when an expected alert must resolve, or why the run cannot tell. */
export type Resolution =
  | {
      /** after: the recovery phase; the alert must resolve no sooner than its start, and within `withinMs`. */
      readonly after: string;
      readonly withinMs: number;
      readonly why: string;
    }
  | { readonly unchecked: string };

/** Expectation is one alert that must fire in a scenario. */
export interface Expectation {
  readonly alert: string;
  readonly severity: 'page' | 'ticket' | 'info';
  /** labels name the failing component (namespace and model, queue, pool, ...). */
  readonly labels: LabelMatch;
  /** onset: the phase that starts the failure. */
  readonly onset: string;
  /** signalLagMs bounds the time from the onset to the crossing; `signalLag` says why it takes that long. */
  readonly signalLagMs: number;
  readonly signalLag: string;
  readonly resolve: Resolution;
}

/** Allowance: an alert that may also fire in a scenario, as a consequence of its failure. */
export interface Allowance {
  readonly alert: string;
  readonly labels: LabelMatch;
  readonly why: string;
}

/** Quiet: a component that must not appear in any alert that fires (the healthy one). */
export interface Quiet {
  readonly labels: LabelMatch;
  readonly why: string;
}

/** FailureMode is one row group of the matrix: a scenario and what it must produce. */
export interface FailureMode {
  /** scenario is the file's name in examples/scenarios/, without `.yaml`. */
  readonly scenario: string;
  /** durationMs and stepMs: how much of the scenario is replayed, and the scrape interval. */
  readonly durationMs: number;
  readonly stepMs: number;
  readonly expected: readonly Expectation[];
  readonly allowed: readonly Allowance[];
  readonly quiet: readonly Quiet[];
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;

const INFERENCE = 'inference';
const LLAMA = 'llama-3-70b';
const MISTRAL = 'mistral-7b';
const QUEUE = { namespace: 'messaging', system: 'rabbitmq', vhost: '/', queue: 'embeddings' } as const;

/** STALE_LOOKBACK: a vanished series is still read for 5 minutes in a replay (no staleness markers), plus one evaluation. */
const STALE_LOOKBACK = 'the ended pods’ series are still read for the 5 minutes of lookback in a replay (no staleness markers), then one evaluation';

export const FAILURE_MODES: readonly FailureMode[] = [
  {
    scenario: 'gpu-starvation',
    durationMs: 2 * H,
    stepMs: 30 * S,
    expected: [
      {
        alert: 'GPUPodsPending',
        severity: 'ticket',
        labels: { namespace: INFERENCE },
        onset: 'traffic-surge',
        signalLagMs: 2 * M,
        signalLag: 'the surge’s new replicas are Pending at once: the next scrape and evaluation',
        resolve: { after: 'training-job-ends', withinMs: 7 * M, why: `the Pending pods are scheduled at once; ${STALE_LOOKBACK}` },
      },
      {
        alert: 'GPUPoolSaturated',
        severity: 'ticket',
        labels: { pool: 'h100' },
        onset: 'traffic-surge',
        signalLagMs: 2 * M,
        signalLag: 'one new llama-3-70b pod takes gpu-node-a’s last two GPUs at once: 16 of 16 requested',
        resolve: { after: 'training-job-ends', withinMs: 7 * M, why: `the job’s 8 GPUs are freed at once; ${STALE_LOOKBACK}` },
      },
      {
        alert: 'GPUQuotaNearlyExhausted',
        severity: 'ticket',
        labels: { namespace: INFERENCE, resourcequota: 'gpu-quota' },
        onset: 'traffic-surge',
        signalLagMs: 2 * M,
        signalLag: 'the surge’s replicas take 12 of the 13 GPUs the quota allows at once',
        resolve: { unchecked: 'the recovery ends the training job, not the surge: its replicas keep 12 of 13 GPUs' },
      },
      {
        alert: 'SLOErrorBudgetBurn',
        severity: 'page',
        labels: { namespace: INFERENCE, model: MISTRAL, slo: 'time-to-first-token', long_window: '1h' },
        onset: 'traffic-surge',
        signalLagMs: 15 * M,
        signalLag: 'mistral-7b v1 passes its one replica’s capacity during the 10-minute ramp, then its queue and the 5m and 1h windows fill',
        resolve: { after: 'training-job-ends', withinMs: 15 * M, why: 'the Pending replicas load their weights (1 minute), the queue drains and the 5m window clears' },
      },
    ],
    allowed: [
      { alert: 'SLOErrorBudgetBurn', labels: { model: MISTRAL }, why: 'the other burn tiers of mistral-7b’s latency and time-to-first-token SLOs' },
      { alert: 'ModelVersionLatencyRegression', labels: { model: MISTRAL, version: 'v1' }, why: 'v1 could not scale and queues; v2, untouched, is its baseline' },
    ],
    quiet: [
      { labels: { model: LLAMA }, why: 'one new llama-3-70b replica fits: it keeps up' },
      { labels: { version: 'v2' }, why: 'the v2 deployments do not scale' },
      { labels: { namespace: 'training' }, why: 'the training job gets its GPUs' },
      { labels: { namespace: QUEUE.namespace }, why: 'the queue is not involved' },
    ],
  },
  {
    scenario: 'bad-rollout',
    durationMs: 2 * H,
    stepMs: 30 * S,
    expected: [
      {
        alert: 'ModelVersionErrorRegression',
        severity: 'page',
        labels: { namespace: INFERENCE, model: LLAMA, version: 'v2' },
        onset: 'rollout',
        signalLagMs: 20 * M,
        signalLag: 'v2’s error ratio ramps over 20 minutes; its 10-minute average must pass 0.5% and twice v1’s with 10 failures',
        resolve: { unchecked: 'the scenario has no recovery' },
      },
      {
        alert: 'ModelVersionLatencyRegression',
        severity: 'ticket',
        labels: { namespace: INFERENCE, model: LLAMA, version: 'v2' },
        onset: 'rollout',
        signalLagMs: 25 * M,
        signalLag: 'v2’s latency multiplier ramps to 2.5 over 20 minutes; its 10-minute p95 must pass twice v1’s',
        resolve: { unchecked: 'the scenario has no recovery' },
      },
    ],
    allowed: [
      { alert: 'SLOErrorBudgetBurn', labels: { model: LLAMA }, why: 'llama-3-70b’s SLOs burn as v2 takes over its traffic' },
      { alert: 'SLOBurnWithoutHealthSignal', labels: { model: LLAMA }, why: 'nothing the platform checks is unhealthy in a bad rollout: what the alert is for' },
    ],
    quiet: [
      { labels: { version: 'v1' }, why: 'v1 is the healthy version' },
      { labels: { model: MISTRAL }, why: 'mistral-7b is not rolled out' },
      { labels: { namespace: QUEUE.namespace }, why: 'the queue is not involved' },
    ],
  },
  {
    scenario: 'queue-overload',
    durationMs: 2.5 * H,
    stepMs: 30 * S,
    expected: [
      {
        alert: 'QueueBacklogGrowing',
        severity: 'ticket',
        labels: QUEUE,
        onset: 'backfill-and-consumers-lost',
        signalLagMs: 5 * M,
        signalLag: 'half the consumers leave at once and publishing ramps up: the backlog passes 1000 within minutes',
        resolve: { after: 'consumers-scaled-up', withinMs: 15 * M, why: 'the backlog shrinks at once; the 15-minute trend turns down' },
      },
      {
        alert: 'QueueOldestMessageTooOld',
        severity: 'ticket',
        labels: QUEUE,
        onset: 'backfill-and-consumers-lost',
        signalLagMs: 20 * M,
        signalLag: 'the head message ages about 40 s a minute (2 consumers, 45 messages/s in) until it is 10 minutes old',
        resolve: {
          after: 'consumers-scaled-up',
          withinMs: 40 * M,
          why: 'the hour’s backlog, about 100,000 messages, must drain first, at about 44 a second net: 38 minutes',
        },
      },
      {
        alert: 'SLOErrorBudgetBurn',
        severity: 'page',
        labels: { ...QUEUE, slo: 'freshness', long_window: '1h' },
        onset: 'backfill-and-consumers-lost',
        signalLagMs: 25 * M,
        signalLag: 'the oldest message passes 5 minutes about 10 minutes in; then 14.4% of the window’s minutes must be bad',
        resolve: { after: 'consumers-scaled-up', withinMs: 45 * M, why: 'the backlog drains (38 minutes), then the 5m short window clears' },
      },
    ],
    allowed: [{ alert: 'SLOErrorBudgetBurn', labels: { ...QUEUE, slo: 'freshness' }, why: 'the freshness SLO’s other burn tiers' }],
    quiet: [
      { labels: { namespace: INFERENCE }, why: 'inference is not involved' },
      { labels: { namespace: 'training' }, why: 'training is not involved' },
    ],
  },
  {
    scenario: 'cost-runaway',
    durationMs: 2 * H,
    stepMs: 30 * S,
    expected: [
      {
        alert: 'GPUAllocationRunaway',
        severity: 'ticket',
        labels: { namespace: INFERENCE },
        onset: 'retry-storm',
        signalLagMs: 2 * M,
        signalLag: 'the autoscaler’s replicas take all 16 GPUs at once (6 before)',
        resolve: { unchecked: 'its baseline is the median of the past day: in a 2-hour replay the runaway is most of that history within 25 minutes, so it resolves before the fix' },
      },
      {
        alert: 'InferenceRequestRateRunaway',
        severity: 'ticket',
        labels: { namespace: INFERENCE, model: LLAMA },
        onset: 'retry-storm',
        signalLagMs: 12 * M,
        signalLag: 'traffic ramps eight-fold over 10 minutes; the 5-minute rate passes 4 times the median part way',
        resolve: { unchecked: 'the median of the past day: in a 2-hour replay the runaway soon dominates it' },
      },
      {
        alert: 'InferenceRequestRateRunaway',
        severity: 'ticket',
        labels: { namespace: INFERENCE, model: MISTRAL },
        onset: 'retry-storm',
        signalLagMs: 12 * M,
        signalLag: 'traffic ramps six-fold over 10 minutes; the 5-minute rate passes 4 times the median part way',
        resolve: { unchecked: 'the median of the past day: in a 2-hour replay the runaway soon dominates it' },
      },
      {
        alert: 'GPUPoolSaturated',
        severity: 'ticket',
        labels: { pool: 'h100' },
        onset: 'retry-storm',
        signalLagMs: 2 * M,
        signalLag: 'the autoscaler requests every GPU of the pool at once',
        resolve: { after: 'client-fixed', withinMs: 7 * M, why: `the replicas are scaled back at once; ${STALE_LOOKBACK}` },
      },
      {
        alert: 'GPUMonthlyBudgetForecast',
        severity: 'ticket',
        labels: { namespace: INFERENCE },
        onset: 'retry-storm',
        signalLagMs: 30 * M,
        signalLag: 'the past day’s average (in a replay, the history’s: 30 minutes at 6 GPUs, then 16) passes 10.75 GPUs about 25 minutes in',
        resolve: { unchecked: 'a day’s average: it falls back below the budget’s pace only after hours' },
      },
    ],
    allowed: [
      { alert: 'SLOErrorBudgetBurn', labels: { model: LLAMA }, why: 'new replicas load weights for 4 minutes while traffic ramps, and at the fix the replicas go at once while traffic ramps down' },
      { alert: 'ModelVersionLatencyRegression', labels: { version: 'v1' }, why: 'the v1 deployments take the storm and queue in those minutes; v2 is their baseline' },
      { alert: 'SLOBurnWithoutHealthSignal', labels: { model: LLAMA }, why: 'queueing shows in no health signal' },
    ],
    quiet: [
      { labels: { version: 'v2' }, why: 'the storm does not reach v2' },
      { labels: { namespace: QUEUE.namespace }, why: 'the queue is not involved' },
    ],
  },
  {
    scenario: 'observability-gap',
    durationMs: 2.5 * H,
    stepMs: 30 * S,
    expected: [
      {
        alert: 'ModelVersionErrorRegression',
        severity: 'page',
        labels: { namespace: INFERENCE, model: MISTRAL, version: 'v1' },
        onset: 'silent-burn',
        signalLagMs: 15 * M,
        signalLag: 'v1’s error ratio ramps over 15 minutes; its 10-minute average must pass 0.5% and twice v2’s with 10 failures',
        resolve: { after: 'fixed', withinMs: 15 * M, why: 'the 5-minute rates and their 10-minute average clear' },
      },
      {
        alert: 'ModelVersionLatencyRegression',
        severity: 'ticket',
        labels: { namespace: INFERENCE, model: MISTRAL, version: 'v1' },
        onset: 'silent-burn',
        signalLagMs: 20 * M,
        signalLag: 'v1’s latency multiplier ramps to 3 over 15 minutes; its 10-minute p95 must pass twice v2’s',
        resolve: { after: 'fixed', withinMs: 15 * M, why: 'the 5-minute rates and their 10-minute average clear' },
      },
      {
        alert: 'SLOErrorBudgetBurn',
        severity: 'page',
        labels: { namespace: INFERENCE, model: MISTRAL, slo: 'availability', long_window: '6h' },
        onset: 'silent-burn',
        signalLagMs: 20 * M,
        signalLag: 'the error ratio ramps over 15 minutes; the 30m window must pass 6 times the budget’s rate',
        resolve: { after: 'fixed', withinMs: 32 * M, why: 'the 30m short window clears' },
      },
      {
        alert: 'SLOErrorBudgetBurn',
        severity: 'page',
        labels: { namespace: INFERENCE, model: MISTRAL, slo: 'availability', long_window: '1h' },
        onset: 'silent-burn',
        signalLagMs: 40 * M,
        signalLag: 'at v1’s 4% of errors the 1h window holds 2% of the budget (14.4 times its rate) only about 20 minutes after the ramp',
        resolve: { after: 'fixed', withinMs: 10 * M, why: 'the 5m short window clears' },
      },
      {
        alert: 'SLOBurnWithoutHealthSignal',
        severity: 'page',
        labels: { namespace: INFERENCE, model: MISTRAL, slo: 'availability' },
        onset: 'silent-burn',
        signalLagMs: 22 * M,
        signalLag: 'the 6h page fires (above), and the SLO’s group runs after this one: one evaluation more',
        resolve: { after: 'fixed', withinMs: 33 * M, why: 'the 6h page resolves (above), one evaluation later' },
      },
    ],
    allowed: [{ alert: 'SLOErrorBudgetBurn', labels: { model: MISTRAL, slo: 'availability', tier: 'ticket' }, why: 'the availability SLO’s ticket tiers' }],
    quiet: [
      { labels: { model: LLAMA }, why: 'llama-3-70b is healthy' },
      { labels: { version: 'v2' }, why: 'mistral-7b v2 is healthy' },
      { labels: { namespace: QUEUE.namespace }, why: 'the queue is not involved' },
    ],
  },
];

/**
 * STEADY is the quiet reference: the steady scenario, replayed over a long span at a coarse step,
 * must fire nothing at all. The bench and the test suite (test/e2e/failure-modes-steady.test.ts) both
 * replay the whole week.
 */
export const STEADY = { scenario: 'steady', durationMs: 7 * 24 * H, stepMs: 60 * S } as const;
