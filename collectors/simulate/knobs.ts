import { MODELS } from './topology.js';

/**
 * Knobs are what a scenario turns. Each has a path (how a scenario's `set:` names it), a default
 * (the steady baseline), bounds, and whether it is a whole number. Whole-number knobs (replicas,
 * workers, consumers, quota) change at the start of a phase; the others move linearly over the
 * phase's `ramp`. A knob keeps its value until a later phase sets it again.
 *
 * Per model version (`models.<model>.<version>.<knob>`, models `llama-3-70b` and `mistral-7b`,
 * versions `v1` and `v2`):
 *   request_rate        requests per second sent to the model version (all its replicas)
 *   error_ratio         share of requests answered with a 5xx (0..1); half fail inside the engine
 *                       (vLLM `finished_reason="error"`), half before it (HTTP only)
 *   latency_multiplier  scales every latency the version reports (TTFT, inter-token, queue, e2e)
 *   replicas            pods of the version's Deployment; each requests the model's GPUs
 *                       (llama-3-70b 2, mistral-7b 1) and may stay Pending when none are free or
 *                       the namespace's GPU quota would be exceeded (then it is not created at all)
 * Batch training Job (`batch.<knob>`), namespace `training`:
 *   workers             worker pods of the fine-tuning Job (0 = not running)
 *   gpus_per_worker     GPUs each worker requests
 *   utilization         GPU utilization of the workers' GPUs (0..1)
 * Embeddings queue (`queue.<knob>`):
 *   publish_rate        messages per second published to `embeddings`
 *   consumers           consumers attached to the queue
 *   consumer_rate       messages per second one consumer acknowledges when busy
 * GPU quota of namespace `inference` (`quota.<knob>`):
 *   gpu_hard            hard limit of `requests.nvidia.com/gpu`
 *
 * Load is derived, not set: a version's GPU utilization, queueing, KV-cache use and aborted
 * requests follow from its request rate over the capacity of its ready replicas.
 */
export interface KnobSpec {
  readonly path: string;
  readonly defaultValue: number;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
}

/** MODEL_KNOBS are the knob names every model version has. */
export const MODEL_KNOBS = ['request_rate', 'error_ratio', 'latency_multiplier', 'replicas'] as const;
export const BATCH_KNOBS = ['workers', 'gpus_per_worker', 'utilization'] as const;
export const QUEUE_KNOBS = ['publish_rate', 'consumers', 'consumer_rate'] as const;
export const QUOTA_KNOBS = ['gpu_hard'] as const;

/** BASELINE_RATES is the steady traffic: most on v1 of each model, a canary share on v2. */
const BASELINE_RATES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'llama-3-70b': { v1: 3, v2: 0.5 },
  'mistral-7b': { v1: 12, v2: 2 },
};

function modelKnobSpecs(): KnobSpec[] {
  const out: KnobSpec[] = [];
  for (const m of MODELS) {
    for (const v of m.versions) {
      const base = `models.${m.model}.${v.version}.`;
      out.push(
        { path: base + 'request_rate', defaultValue: BASELINE_RATES[m.model]?.[v.version] ?? 1, min: 0, max: 10_000, integer: false },
        { path: base + 'error_ratio', defaultValue: 0.001, min: 0, max: 1, integer: false },
        { path: base + 'latency_multiplier', defaultValue: 1, min: 0.01, max: 1000, integer: false },
        { path: base + 'replicas', defaultValue: 1, min: 1, max: 16, integer: true },
      );
    }
  }
  return out;
}

/** KNOB_SPECS lists every knob, keyed by path. */
export const KNOB_SPECS: ReadonlyMap<string, KnobSpec> = new Map(
  [
    ...modelKnobSpecs(),
    { path: 'batch.workers', defaultValue: 0, min: 0, max: 16, integer: true },
    { path: 'batch.gpus_per_worker', defaultValue: 4, min: 1, max: 8, integer: true },
    { path: 'batch.utilization', defaultValue: 0.97, min: 0, max: 1, integer: false },
    { path: 'queue.publish_rate', defaultValue: 20, min: 0, max: 100_000, integer: false },
    { path: 'queue.consumers', defaultValue: 4, min: 0, max: 1000, integer: true },
    { path: 'queue.consumer_rate', defaultValue: 8, min: 0, max: 100_000, integer: false },
    { path: 'quota.gpu_hard', defaultValue: 12, min: 0, max: 1000, integer: true },
  ].map((k) => [k.path, k]),
);

/** KnobValues maps knob paths to values; a complete one holds every path of KNOB_SPECS. */
export type KnobValues = ReadonlyMap<string, number>;

/** defaultKnobs is the steady baseline. */
export function defaultKnobs(): Map<string, number> {
  return new Map([...KNOB_SPECS.values()].map((k) => [k.path, k.defaultValue]));
}

/** Knobs reads a complete KnobValues by meaning rather than by path. */
export class Knobs {
  constructor(readonly values: KnobValues) {}

  private get(path: string): number {
    const v = this.values.get(path);
    if (v === undefined) throw new Error(`knob ${path} has no value`);
    return v;
  }

  model(model: string, version: string): { requestRate: number; errorRatio: number; latencyMultiplier: number; replicas: number } {
    const base = `models.${model}.${version}.`;
    return {
      requestRate: this.get(base + 'request_rate'),
      errorRatio: this.get(base + 'error_ratio'),
      latencyMultiplier: this.get(base + 'latency_multiplier'),
      replicas: this.get(base + 'replicas'),
    };
  }

  get batch(): { workers: number; gpusPerWorker: number; utilization: number } {
    return { workers: this.get('batch.workers'), gpusPerWorker: this.get('batch.gpus_per_worker'), utilization: this.get('batch.utilization') };
  }

  get queue(): { publishRate: number; consumers: number; consumerRate: number } {
    return { publishRate: this.get('queue.publish_rate'), consumers: this.get('queue.consumers'), consumerRate: this.get('queue.consumer_rate') };
  }

  get quota(): { gpuHard: number } {
    return { gpuHard: this.get('quota.gpu_hard') };
  }
}
