import type { Rng } from '../prng.js';
import type { ModelSpec, VersionSpec } from '../topology.js';
import { Histogram, oneTwoFiveBuckets } from './histogram.js';

/** vLLM V1's bucket bounds (vllm/v1/metrics/loggers.py). */
export const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];
export const TOKEN_LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];
export const REQUEST_LATENCY_BUCKETS = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];
export const ITERATION_TOKENS_BUCKETS = [1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384];
export const PARAMS_N_BUCKETS = [1, 2, 5, 10, 20];

/** FINISHED_REASONS are vLLM's finished_reason values, in its order. */
export const FINISHED_REASONS = ['stop', 'length', 'abort', 'error', 'repetition'] as const;

/** HTTP_SERIES are the API server's http_requests_total series (prometheus-fastapi-instrumentator). */
export const HTTP_SERIES = [
  { handler: '/health', method: 'GET', status: '2xx' },
  { handler: '/metrics', method: 'GET', status: '2xx' },
  { handler: '/v1/chat/completions', method: 'POST', status: '2xx' },
  { handler: '/v1/chat/completions', method: 'POST', status: '4xx' },
  { handler: '/v1/chat/completions', method: 'POST', status: '5xx' },
  { handler: '/v1/models', method: 'GET', status: '2xx' },
] as const;

const MAX_NUM_SEQS = 256;
const CLIENT_ERROR_RATIO = 0.012;
const LENGTH_RATIO = 0.09;
const BASE_ABORT_RATIO = 0.004;
/** CLIENT_TIMEOUT_S bounds the wait: clients give up on a request queued this long (it is aborted). */
const CLIENT_TIMEOUT_S = 60;

/** What the platform hands a server each tick. */
export interface ServerLoad {
  readonly requestRate: number;
  readonly errorRatio: number;
  readonly latencyMultiplier: number;
  /** readyReplicas share the model version's traffic; its capacity grows with them. */
  readonly readyReplicas: number;
}

/**
 * VllmServer is one model version's vLLM OpenAI-compatible server: its counters, histograms and
 * gauges, advanced one tick at a time. It reports the whole model version's traffic (see
 * topology.ts). Requests of a tick all finish within it; every request that reaches the engine is
 * counted once in `request_success_total` (by finished_reason) and once in each per-request
 * histogram, so every such histogram's count equals the sum of request_success_total.
 *
 * Load shapes latency: `utilization` (rate over the capacity of ready replicas) above 0.5 slows
 * decoding (bigger batches), queueing grows as utilization approaches 1, and past 1 a backlog
 * builds (up to what clients wait for before giving up), waits stretch and a growing share of
 * requests is aborted.
 */
export class VllmServer {
  readonly http = new Array<number>(HTTP_SERIES.length).fill(0);
  readonly success = new Array<number>(FINISHED_REASONS.length).fill(0);
  promptTokens = 0;
  generationTokens = 0;
  preemptions = 0;
  prefixQueries = 0;
  prefixHits = 0;
  readonly gcCollected = [0, 0, 0];
  running = 0;
  waiting = 0;
  kvCacheUsage = 0;
  residentMemoryBytes = 5.2e9;
  /** utilization is the last tick's request rate over the capacity of the ready replicas. */
  utilization = 0;
  private backlog = 0;

  readonly promptTokensHist: Histogram;
  readonly generationTokensHist: Histogram;
  readonly iterationTokens = new Histogram(ITERATION_TOKENS_BUCKETS);
  readonly maxNumGenerationTokens: Histogram;
  readonly paramsN = new Histogram(PARAMS_N_BUCKETS);
  readonly paramsMaxTokens: Histogram;
  readonly ttft = new Histogram(TTFT_BUCKETS);
  readonly interTokenLatency = new Histogram(TOKEN_LATENCY_BUCKETS);
  readonly timePerOutputToken = new Histogram(TOKEN_LATENCY_BUCKETS);
  readonly e2eLatency = new Histogram(REQUEST_LATENCY_BUCKETS);
  readonly queueTime = new Histogram(REQUEST_LATENCY_BUCKETS);
  readonly inferenceTime = new Histogram(REQUEST_LATENCY_BUCKETS);
  readonly prefillTime = new Histogram(REQUEST_LATENCY_BUCKETS);
  readonly decodeTime = new Histogram(REQUEST_LATENCY_BUCKETS);

  constructor(
    readonly model: ModelSpec,
    readonly version: VersionSpec,
    /** processStart is when the server process started (ms); `_created` samples derive from it. */
    readonly processStart: number,
    private readonly rng: Rng,
  ) {
    const tokenBuckets = oneTwoFiveBuckets(version.maxModelLen);
    this.promptTokensHist = new Histogram(tokenBuckets);
    this.generationTokensHist = new Histogram(tokenBuckets);
    this.maxNumGenerationTokens = new Histogram(tokenBuckets);
    this.paramsMaxTokens = new Histogram(tokenBuckets);
  }

  step(dtS: number, load: ServerLoad): void {
    const rng = this.rng;
    const m = this.model;
    const capacityRate = Math.max(load.readyReplicas, 0) * m.capacity;
    const rho = capacityRate > 0 ? load.requestRate / capacityRate : load.requestRate > 0 ? 10 : 0;
    this.utilization = rho;
    this.backlog = Math.min(capacityRate * CLIENT_TIMEOUT_S, Math.max(0, this.backlog + (load.requestRate - capacityRate) * dtS));
    const backlogS = capacityRate > 0 ? this.backlog / capacityRate : 0;
    const c = Math.min(rho, 0.98);
    const lm = load.latencyMultiplier;
    const queueS = (0.01 * (c / (1 - c)) + backlogS) * lm;
    const slow = 1 + 0.6 * Math.max(0, Math.min(rho, 1.5) - 0.5);
    const prefillS = m.ttftSeconds * slow * lm;
    const ttftS = prefillS + queueS;
    const itlS = m.itlSeconds * slow * lm;
    const decodeS = m.outputTokens * itlS;
    const e2eS = ttftS + decodeS;
    const abortRatio = Math.min(0.9, BASE_ABORT_RATIO + (rho > 1 ? 0.7 * (1 - 1 / rho) : 0));

    const n = rng.count(load.requestRate * dtS);
    const clientErrors = rng.binomial(n, CLIENT_ERROR_RATIO);
    const failures = rng.binomial(n - clientErrors, load.errorRatio);
    const engineErrors = rng.binomial(failures, 0.5);
    const served = n - clientErrors - failures;
    const reached = served + engineErrors;
    const aborted = rng.binomial(served, abortRatio);
    const length = rng.binomial(served - aborted, LENGTH_RATIO);
    this.success[0]! += served - aborted - length;
    this.success[1]! += length;
    this.success[2]! += aborted;
    this.success[3]! += engineErrors;
    this.http[2]! += served;
    this.http[3]! += clientErrors;
    this.http[4]! += failures;
    this.http[0]! += rng.round(dtS / 10);
    this.http[1]! += rng.round(dtS / 15);
    this.http[5]! += rng.round(dtS / 600);

    const cap = this.version.maxModelLen;
    const promptSum = this.promptTokensHist.observeLogNormal(rng, reached, m.promptTokens, 0.8, { cap, integer: true });
    const generationSum = this.generationTokensHist.observeLogNormal(rng, reached, m.outputTokens, 0.7, { cap, integer: true });
    this.promptTokens += promptSum;
    this.generationTokens += generationSum;
    this.prefixQueries += promptSum;
    this.prefixHits += Math.min(promptSum, Math.round(promptSum * 0.41 * rng.jitter(0.05)));
    this.maxNumGenerationTokens.observeLogNormal(rng, reached, Math.min(2048, cap / 2), 0.35, { cap, integer: true });
    this.paramsMaxTokens.observeLogNormal(rng, reached, Math.min(2048, cap / 2), 0.35, { cap, integer: true });
    this.paramsN.observeValue(reached, 1);
    const steps = reached === 0 ? 0 : rng.round((dtS * Math.min(1, rho + 0.1)) / itlS);
    if (steps > 0) this.iterationTokens.observeLogNormal(rng, steps, (promptSum + generationSum) / steps / 1.65, 1.0, { cap: 16384, integer: true });
    this.ttft.observeLogNormal(rng, reached, ttftS, 0.6);
    this.interTokenLatency.observeLogNormal(rng, Math.max(0, generationSum - reached), itlS, 0.35);
    this.timePerOutputToken.observeLogNormal(rng, reached, itlS, 0.25);
    this.e2eLatency.observeLogNormal(rng, reached, e2eS, 0.5);
    this.queueTime.observeLogNormal(rng, reached, Math.max(queueS, 0.001), 1.0);
    this.inferenceTime.observeLogNormal(rng, reached, prefillS + decodeS, 0.5);
    this.prefillTime.observeLogNormal(rng, reached, prefillS, 0.5);
    this.decodeTime.observeLogNormal(rng, reached, decodeS, 0.55);

    // Little's law over the time a request spends in the running batch (prefill and decode).
    const runningMeanS = (prefillS + decodeS) * Math.exp(0.125);
    this.running = Math.min(MAX_NUM_SEQS * Math.max(1, load.readyReplicas), Math.round(load.requestRate * runningMeanS * (1 - abortRatio) * rng.jitter(0.05)));
    this.waiting = Math.round(this.backlog + load.requestRate * queueS * rng.jitter(0.1));
    this.kvCacheUsage = Math.min(1, Math.max(0, (0.03 + (0.9 * Math.min(rho, 1.1)) / 1.1) * rng.jitter(0.03)));
    if (this.kvCacheUsage > 0.92) this.preemptions += rng.count(load.requestRate * dtS * 0.03);
    this.gcCollected[0]! += rng.count(dtS * 28);
    this.gcCollected[1]! += rng.count(dtS * 2.6);
    this.gcCollected[2]! += rng.count(dtS * 0.25);
    this.residentMemoryBytes = Math.round((5.2e9 + 3e8 * Math.min(rho, 1)) * rng.jitter(0.002) / 4096) * 4096;
  }

  /** perRequest lists the histograms that observe each request reaching the engine once. */
  perRequest(): Histogram[] {
    return [this.promptTokensHist, this.generationTokensHist, this.maxNumGenerationTokens, this.paramsN, this.paramsMaxTokens, this.ttft, this.timePerOutputToken, this.e2eLatency, this.queueTime, this.inferenceTime, this.prefillTime, this.decodeTime];
  }
}
