import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { labelVariable, legendOf, matchers, newDashboard, q, quantileQuery, rolloutAnnotation, timeseriesPanel } from '../common.js';
import { layout, place } from '../layout.js';

export const MODEL_SERVING_UID = 'vigil-model-serving';

const MODEL = matchers(['namespace', 'model']);
const BY_MODEL = ['namespace', 'model'];
const BY_VERSION = ['namespace', 'model', 'version'];

/** quantiles plots p50, p95 and p99 of one histogram per model version. */
function quantiles(bucketRate: string): ReturnType<typeof q>[] {
  return [0.5, 0.95, 0.99].map((p) => q(quantileQuery(p, bucketRate, BY_VERSION, MODEL), `${legendOf(BY_VERSION)} p${Math.round(p * 100)}`));
}

/**
 * modelServingDashboard is the model servers' own view (vLLM, Triton, TGI through the ai:
 * vocabulary): the latencies users feel (first token, per output token, end to end), throughput
 * in tokens, and the saturation signals (KV cache, requests waiting) that come before them.
 */
export function modelServingDashboard(): dashboard.DashboardBuilder {
  const b = newDashboard(MODEL_SERVING_UID, 'Model serving', 'Time to first token, time per output token, end-to-end latency, tokens per second, KV cache and queued requests per model version, for every server kind.', ['ai-platform', 'inference'])
    .withVariable(labelVariable('namespace', 'Namespace', 'ai:requests:rate5m'))
    .withVariable(labelVariable('model', 'Model', 'ai:requests:rate5m{namespace=~"$namespace"}'))
    .annotation(rolloutAnnotation());
  return layout(b, [
    {
      title: 'Latency',
      panels: [
        place(timeseriesPanel({ title: 'Time to first token', description: 'p50, p95 and p99 time to first token per model version (vLLM; Triton with histogram latencies on; TGI has none).', unit: 's', queries: quantiles('ai:time_to_first_token_seconds_bucket:rate5m') }), 12, 9),
        place(timeseriesPanel({ title: 'Time per output token', description: 'p50, p95 and p99 of each request\'s decode time per output token, per model version (vLLM, TGI).', unit: 's', queries: quantiles('ai:time_per_output_token_seconds_bucket:rate5m') }), 12, 9),
        place(timeseriesPanel({ title: 'End-to-end latency', description: 'p50, p95 and p99 end-to-end request latency per model version (vLLM, TGI).', unit: 's', queries: quantiles('ai:request_latency_seconds_bucket:rate5m') }), 12, 9),
        place(
          timeseriesPanel({
            title: 'Mean latency',
            description: 'Mean end-to-end latency per model version: latency sum over count, the one figure every server kind has (Triton: successes only).',
            unit: 's',
            queries: [q(`sum by (namespace, model, version) (ai:request_latency_seconds_sum:rate5m${MODEL}) / (sum by (namespace, model, version) (ai:request_latency_seconds_count:rate5m${MODEL}) > 0)`, legendOf(BY_VERSION))],
          }),
          12,
          9,
        ),
      ],
    },
    {
      title: 'Throughput',
      panels: [
        place(timeseriesPanel({ title: 'Generated tokens per second', description: 'Output tokens generated per second per model version.', unit: 'short', stack: true, queries: [q(`sum by (namespace, model, version) (ai:generation_tokens:rate5m${MODEL})`, legendOf(BY_VERSION))] }), 8, 8),
        place(timeseriesPanel({ title: 'Prompt tokens per second', description: 'Input tokens processed per second per model version.', unit: 'short', stack: true, queries: [q(`sum by (namespace, model, version) (ai:prompt_tokens:rate5m${MODEL})`, legendOf(BY_VERSION))] }), 8, 8),
        place(timeseriesPanel({ title: 'Requests per version', description: 'Requests finished per second per model version: a rollout moves traffic from one to the other.', unit: 'reqps', stack: true, queries: [q(`sum by (namespace, model, version) (ai:requests:rate5m${MODEL})`, legendOf(BY_VERSION))] }), 8, 8),
      ],
    },
    {
      title: 'Saturation',
      panels: [
        place(timeseriesPanel({ title: 'KV cache usage', description: 'KV-cache use of the fullest replica per model version; near 100% the server preempts or queues requests.', unit: 'percentunit', min: 0, max: 1, thresholds: [['orange', 0.9]], thresholdLines: true, queries: [q(`max by (namespace, model, version) (ai:kv_cache_usage:ratio${MODEL})`, legendOf(BY_VERSION))] }), 8, 8),
        place(
          timeseriesPanel({
            title: 'Requests waiting and running',
            description: 'Requests queued inside the servers and requests being computed, per model, summed over replicas.',
            unit: 'short',
            queries: [q(`sum by (namespace, model) (ai:requests_waiting${MODEL})`, `${legendOf(BY_MODEL)} waiting`), q(`sum by (namespace, model) (ai:requests_running${MODEL})`, `${legendOf(BY_MODEL)} running`)],
          }),
          8,
          8,
        ),
        place(timeseriesPanel({ title: 'Scrape targets up per server kind', description: 'Per namespace and job (the server kind: vllm, triton, tgi, ...), 1 when every target answered its last scrape.', unit: 'none', min: 0, max: 1, queries: [q('min by (namespace, job) (ai:targets_up{namespace=~"$namespace"})', legendOf(['namespace', 'job']))] }), 8, 8),
      ],
    },
  ]);
}
