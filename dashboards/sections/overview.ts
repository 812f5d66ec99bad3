import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  GPU_HOUR_PRICE,
  labelVariable,
  legendOf,
  matchers,
  newDashboard,
  priceVariables,
  q,
  quantileQuery,
  rolloutAnnotation,
  statPanel,
  tablePanel,
  timeseriesPanel,
  TOKEN_PRICE_PER_MILLION,
} from '../common.js';
import { layout, place } from '../layout.js';

export const OVERVIEW_UID = 'vigil-ai-platform-overview';

/** The model filter of every inference series; GPU, queue and pod series filter on namespace only. */
const MODEL = matchers(['namespace', 'model']);
const NS = matchers(['namespace']);

/**
 * overviewDashboard is the first screen on-call opens: is anything burning (alerts, errors,
 * latency), and is it the models, the GPUs, the queues or a rollout. Every figure links to a
 * section dashboard with the detail.
 */
export function overviewDashboard(): dashboard.DashboardBuilder {
  const b = newDashboard(OVERVIEW_UID, 'AI platform overview', 'Latency, traffic, errors, GPUs, queues, rollouts, cost and firing alerts of the AI platform, from the ai: vocabulary.', ['ai-platform', 'overview'])
    .withVariable(labelVariable('namespace', 'Namespace', 'ai:requests:rate5m'))
    .withVariable(labelVariable('model', 'Model', `ai:requests:rate5m{namespace=~"$namespace"}`))
    .annotation(rolloutAnnotation());
  for (const v of priceVariables()) b.withVariable(v);
  return layout(b, [
    {
      panels: [
        place(statPanel({ title: 'Firing alerts', description: 'Alerts firing now, every rule (ALERTS{alertstate="firing"}).', unit: 'none', thresholds: [['red', 1]], queries: [q('count(ALERTS{alertstate="firing"}) or vector(0)', 'firing')] }), 4, 4),
        place(statPanel({ title: 'Requests', description: 'Requests finished per second, all selected models.', unit: 'reqps', queries: [q(`sum(ai:requests:rate5m${MODEL})`, 'requests/s')] }), 4, 4),
        place(
          statPanel({
            title: 'Error ratio',
            description: 'Share of finished requests that failed on the server side (5m).',
            unit: 'percentunit',
            decimals: 2,
            thresholds: [['orange', 0.001], ['red', 0.01]],
            queries: [q(`sum(ai:request_errors:rate5m${MODEL}) / sum(ai:requests:rate5m${MODEL})`, 'errors')],
          }),
          4,
          4,
        ),
        place(statPanel({ title: 'p95 latency', description: '95th percentile of end-to-end request latency, all selected models (5m).', unit: 's', thresholds: [['orange', 20], ['red', 30]], queries: [q(quantileQuery(0.95, 'ai:request_latency_seconds_bucket:rate5m', [], MODEL), 'p95')] }), 4, 4),
        place(statPanel({ title: 'GPU utilization', description: 'Mean busy share of the GPUs (held by the namespace, or all GPUs when every namespace is selected).', unit: 'percentunit', min: 0, max: 1, queries: [q(`avg(ai:gpu_utilization:ratio${NS})`, 'utilization')] }), 4, 4),
        place(statPanel({ title: 'Queue backlog', description: 'Messages waiting for a consumer, all queues of the namespace.', unit: 'short', queries: [q(`sum(ai:queue_depth${NS})`, 'messages')] }), 4, 4),
      ],
    },
    {
      title: 'Latency and traffic',
      panels: [
        place(timeseriesPanel({ title: 'p95 latency per model', description: '95th percentile of end-to-end request latency per model, from the latency histogram (vLLM, TGI; Triton has none).', unit: 's', queries: [q(quantileQuery(0.95, 'ai:request_latency_seconds_bucket:rate5m', ['namespace', 'model'], MODEL), legendOf(['namespace', 'model']))] }), 12, 8),
        place(timeseriesPanel({ title: 'Request volume per model', description: 'Requests finished per second per model, successes and failures.', unit: 'reqps', stack: true, queries: [q(`sum by (namespace, model) (ai:requests:rate5m${MODEL})`, legendOf(['namespace', 'model']))] }), 12, 8),
        place(
          timeseriesPanel({
            title: 'Error ratio per model',
            description: 'Share of finished requests that failed on the server side, per model (a model without requests has no ratio).',
            unit: 'percentunit',
            queries: [q(`sum by (namespace, model) (ai:request_errors:rate5m${MODEL}) / (sum by (namespace, model) (ai:requests:rate5m${MODEL}) > 0)`, legendOf(['namespace', 'model']))],
          }),
          12,
          8,
        ),
        place(timeseriesPanel({ title: 'Cold starts: pods not ready', description: 'Pods of the namespace that exist but are not ready yet: model servers starting (pulling images, loading weights) or failing their probes.', unit: 'short', queries: [q(`sum by (namespace) (1 - ai:pod_ready${NS})`, '{{namespace}}')] }), 12, 8),
      ],
    },
    {
      title: 'Rollouts and deployments',
      panels: [
        place(timeseriesPanel({ title: 'Model versions serving', description: 'How many versions of each model serve at once: 2 during a rollout or a canary. The blue annotations mark a version starting to serve.', unit: 'none', decimals: 0, queries: [q(`count by (namespace, model) (ai:model_version_info${MODEL})`, legendOf(['namespace', 'model']))] }), 8, 8),
        place(
          tablePanel({
            title: 'Versions serving since',
            description: 'Each model version serving in the time range, with the first time it was seen serving in the range.',
            unit: 'dateTimeAsIso',
            queries: [q(`min_over_time(timestamp(ai:model_version_info${MODEL})[$__range:1m]) * 1000`, legendOf(['namespace', 'model', 'version']))],
          }),
          8,
          8,
        ),
        place(
          tablePanel({
            title: 'Deployment status',
            description: 'Available replicas over desired replicas per Deployment (kube-state-metrics); below 100% a rollout is in progress or pods fail.',
            unit: 'percentunit',
            thresholds: [['red', 0], ['orange', 0.5], ['green', 1]],
            queries: [q(`sum by (namespace, deployment) (kube_deployment_status_replicas_available${NS}) / (sum by (namespace, deployment) (kube_deployment_spec_replicas${NS}) > 0)`, legendOf(['namespace', 'deployment']))],
          }),
          8,
          8,
        ),
      ],
    },
    {
      title: 'GPUs, queues and cost',
      panels: [
        place(timeseriesPanel({ title: 'GPU utilization per pool', description: 'Mean busy share of the GPUs of each node pool.', unit: 'percentunit', min: 0, max: 1, queries: [q(`avg by (pool) (ai:gpu_utilization:ratio${NS})`, '{{pool}}')] }), 8, 8),
        place(timeseriesPanel({ title: 'Queue depth', description: 'Messages waiting for a consumer, per queue (Kafka: consumer lag).', unit: 'short', queries: [q(`sum by (namespace, system, queue) (ai:queue_depth${NS})`, legendOf(['system', 'queue']))] }), 8, 8),
        place(
          timeseriesPanel({
            title: 'Token spend and compute cost',
            description: `Spend per hour at the current pace: tokens (prompt and generated) at $${TOKEN_PRICE_PER_MILLION} USD per million, and GPUs held at $${GPU_HOUR_PRICE} USD per GPU-hour.`,
            unit: 'currencyUSD',
            stack: true,
            queries: [
              q(`sum by (namespace) (ai:prompt_tokens:rate5m${MODEL} + ai:generation_tokens:rate5m${MODEL}) * 3600 * $${TOKEN_PRICE_PER_MILLION} / 1e6`, '{{namespace}} tokens'),
              q(`sum by (namespace) (ai:gpu_allocated${NS}) * $${GPU_HOUR_PRICE}`, '{{namespace}} GPUs'),
            ],
          }),
          8,
          8,
        ),
      ],
    },
    {
      title: 'Alerts',
      panels: [
        place(tablePanel({ title: 'Firing alerts', description: 'Every alert firing now, with its labels (ALERTS{alertstate="firing"}).', unit: 'none', queries: [q('ALERTS{alertstate="firing"}', '{{alertname}}')] }), 24, 8),
      ],
    },
  ]);
}
