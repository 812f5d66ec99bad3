import type { Histogram } from '../model/histogram.js';
import { FINISHED_REASONS, HTTP_SERIES, type VllmServer } from '../model/vllm.js';
import { pythonFloat } from './format.js';
import { labelText, type Pairs, sortedLabels, TextBody } from './text.js';

/** LabelTexts are a server's label sets, rendered once: they never change while it runs. */
interface LabelTexts {
  readonly base: string;
  readonly sleep: readonly string[];
  readonly finished: readonly string[];
  readonly http: readonly string[];
  readonly gc: readonly string[];
  readonly cacheConfig: string;
  /** buckets maps a histogram's bounds array to its bucket label sets, +Inf last. */
  readonly buckets: Map<readonly number[], string[]>;
}

const SLEEP_STATES = [
  ['awake', 1],
  ['weights_offloaded', 0],
  ['discard_all', 0],
] as const;

const labelCache = new WeakMap<VllmServer, LabelTexts>();

/**
 * renderVllm writes a vLLM V1 server's /metrics body as Python's prometheus_client writes it
 * (see /work/shared/fixtures/metrics/vllm.prom): families in vLLM's registration order, labels
 * sorted by name, values in floatToGoString form, every counter as `<name>_total` with a
 * `<name>_created` gauge family after it, every histogram followed by its `_created` family.
 * Labels are vLLM's own: `model_name` (the served model name) and `engine` (data-parallel index,
 * always "0" here); namespace, model and version come from the scrape target (see targets.ts).
 */
export function renderVllm(s: VllmServer): string {
  const body = new TextBody();
  const labels = labelTexts(s);
  const startS = s.processStart / 1000;
  const httpCreated = pythonFloat(startS + 2.861);
  const created = pythonFloat(startS + s.model.loadSeconds + 0.417);
  const base = labels.base;

  body.family('python_gc_objects_collected_total', 'Objects collected during gc', 'counter');
  s.gcCollected.forEach((v, i) => body.sample('python_gc_objects_collected_total', labels.gc[i]!, pythonFloat(v)));
  body.family('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge');
  body.sample('process_resident_memory_bytes', '', pythonFloat(s.residentMemoryBytes));
  body.family('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', 'gauge');
  body.sample('process_start_time_seconds', '', pythonFloat(Math.round(startS * 100) / 100));

  const httpHelp = 'Total number of requests by method, status and handler.';
  body.family('http_requests_total', httpHelp, 'counter');
  HTTP_SERIES.forEach((_, i) => body.sample('http_requests_total', labels.http[i]!, pythonFloat(s.http[i]!)));
  body.family('http_requests_created', httpHelp, 'gauge');
  for (const text of labels.http) body.sample('http_requests_created', text, httpCreated);

  gauge(body, 'vllm:num_requests_running', 'Number of requests in model execution batches.', base, s.running);
  gauge(body, 'vllm:num_requests_waiting', 'Number of requests waiting to be processed.', base, s.waiting);
  body.family(
    'vllm:engine_sleep_state',
    'Engine sleep state; awake = 0 means engine is sleeping; awake = 1 means engine is awake; weights_offloaded = 1 means sleep level 1; discard_all = 1 means sleep level 2.',
    'gauge',
  );
  SLEEP_STATES.forEach(([, v], i) => body.sample('vllm:engine_sleep_state', labels.sleep[i]!, pythonFloat(v)));
  gauge(body, 'vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', base, s.kvCacheUsage);

  const counter = (name: string, help: string, value: number) => counterFamily(body, name, help, [[base, value]], created);
  counter('vllm:prefix_cache_queries', 'Prefix cache queries, in terms of number of queried tokens.', s.prefixQueries);
  counter('vllm:prefix_cache_hits', 'Prefix cache hits, in terms of number of cached tokens.', s.prefixHits);
  counter('vllm:external_prefix_cache_queries', 'External prefix cache queries from KV connector cross-instance cache sharing, in terms of number of queried tokens.', 0);
  counter('vllm:external_prefix_cache_hits', 'External prefix cache hits from KV connector cross-instance cache sharing, in terms of number of cached tokens.', 0);
  counter('vllm:mm_cache_queries', 'Multi-modal cache queries, in terms of number of queried items.', 0);
  counter('vllm:mm_cache_hits', 'Multi-modal cache hits, in terms of number of cached items.', 0);
  counter('vllm:num_preemptions', 'Cumulative number of preemption from the engine.', s.preemptions);
  counter('vllm:prompt_tokens', 'Number of prefill tokens processed.', s.promptTokens);
  counter('vllm:generation_tokens', 'Number of generation tokens processed.', s.generationTokens);
  counterFamily(
    body,
    'vllm:request_success',
    'Count of successfully processed requests.',
    FINISHED_REASONS.map((_, i) => [labels.finished[i]!, s.success[i]!] as const),
    created,
  );

  const histogram = (name: string, help: string, h: Histogram) => histogramFamily(body, name, help, labels, h, created);
  histogram('vllm:request_prompt_tokens', 'Number of prefill tokens processed.', s.promptTokensHist);
  histogram('vllm:request_generation_tokens', 'Number of generation tokens processed.', s.generationTokensHist);
  histogram('vllm:iteration_tokens_total', 'Histogram of number of tokens per engine_step.', s.iterationTokens);
  histogram('vllm:request_max_num_generation_tokens', 'Histogram of maximum number of requested generation tokens.', s.maxNumGenerationTokens);
  histogram('vllm:request_params_n', 'Histogram of the n request parameter.', s.paramsN);
  histogram('vllm:request_params_max_tokens', 'Histogram of the max_tokens request parameter.', s.paramsMaxTokens);
  histogram('vllm:time_to_first_token_seconds', 'Histogram of time to first token in seconds.', s.ttft);
  histogram('vllm:inter_token_latency_seconds', 'Histogram of inter-token latency in seconds.', s.interTokenLatency);
  histogram('vllm:request_time_per_output_token_seconds', 'Histogram of time_per_output_token_seconds per request.', s.timePerOutputToken);
  histogram('vllm:e2e_request_latency_seconds', 'Histogram of e2e request latency in seconds.', s.e2eLatency);
  histogram('vllm:request_queue_time_seconds', 'Histogram of time spent in WAITING phase for request.', s.queueTime);
  histogram('vllm:request_inference_time_seconds', 'Histogram of time spent in RUNNING phase for request.', s.inferenceTime);
  histogram('vllm:request_prefill_time_seconds', 'Histogram of time spent in PREFILL phase for request.', s.prefillTime);
  histogram('vllm:request_decode_time_seconds', 'Histogram of time spent in DECODE phase for request.', s.decodeTime);

  body.family('vllm:cache_config_info', 'Information of the LLMEngine CacheConfig', 'gauge');
  body.sample('vllm:cache_config_info', labels.cacheConfig, pythonFloat(1));
  return body.toString();
}

function labelTexts(s: VllmServer): LabelTexts {
  const cached = labelCache.get(s);
  if (cached !== undefined) return cached;
  const base: Pairs = [
    ['engine', '0'],
    ['model_name', s.version.servedModelName],
  ];
  const texts: LabelTexts = {
    base: labelText(base),
    sleep: SLEEP_STATES.map(([state]) => labelText(sortedLabels([...base, ['sleep_state', state]]))),
    finished: FINISHED_REASONS.map((r) => labelText(sortedLabels([...base, ['finished_reason', r]]))),
    http: HTTP_SERIES.map((h) => labelText(httpLabels(h))),
    gc: [0, 1, 2].map((g) => labelText([['generation', String(g)]])),
    cacheConfig: labelText(
      sortedLabels([
        ['block_size', '16'],
        ['cache_dtype', 'auto'],
        ['calculate_kv_scales', 'False'],
        ['cpu_offload_gb', '0'],
        ['enable_prefix_caching', 'True'],
        ['engine', '0'],
        ['gpu_memory_utilization', '0.9'],
        ['is_attention_free', 'False'],
        ['num_cpu_blocks', 'None'],
        ['num_gpu_blocks', String(s.version.numGpuBlocks)],
        ['num_gpu_blocks_override', 'None'],
        ['prefix_caching_hash_algo', 'sha256'],
        ['sliding_window', 'None'],
        ['swap_space', '4'],
        ['swap_space_bytes', '4294967296'],
      ]),
    ),
    buckets: new Map(),
  };
  for (const h of s.perRequest().concat(s.iterationTokens, s.interTokenLatency)) {
    if (texts.buckets.has(h.bounds)) continue;
    const les = [...h.bounds.map((b) => pythonFloat(b)), '+Inf'];
    texts.buckets.set(h.bounds, les.map((le) => labelText(sortedLabels([...base, ['le', le]]))));
  }
  labelCache.set(s, texts);
  return texts;
}

function httpLabels(h: (typeof HTTP_SERIES)[number]): Pairs {
  return [
    ['handler', h.handler],
    ['method', h.method],
    ['status', h.status],
  ];
}

function gauge(body: TextBody, name: string, help: string, labels: string, value: number): void {
  body.family(name, help, 'gauge').sample(name, labels, pythonFloat(value));
}

function counterFamily(body: TextBody, name: string, help: string, series: readonly (readonly [string, number])[], created: string): void {
  body.family(`${name}_total`, help, 'counter');
  for (const [labels, v] of series) body.sample(`${name}_total`, labels, pythonFloat(v));
  body.family(`${name}_created`, help, 'gauge');
  for (const [labels] of series) body.sample(`${name}_created`, labels, created);
}

function histogramFamily(body: TextBody, name: string, help: string, labels: LabelTexts, h: Histogram, created: string): void {
  body.family(name, help, 'histogram');
  const cumulative = h.cumulative();
  const les = labels.buckets.get(h.bounds)!;
  for (let i = 0; i < les.length; i++) body.sample(`${name}_bucket`, les[i]!, pythonFloat(cumulative[i]!));
  body.sample(`${name}_count`, labels.base, pythonFloat(h.count));
  body.sample(`${name}_sum`, labels.base, pythonFloat(h.sum));
  body.family(`${name}_created`, help, 'gauge');
  body.sample(`${name}_created`, labels.base, created);
}
