/**
 * The simulated AI platform's fixed shape: what exists no matter the scenario. Scenarios only
 * turn knobs (see knobs.ts); they never add nodes, models or queues.
 *
 *   - Two GPU nodes, `gpu-node-a` and `gpu-node-b`, in pool `h100`, each with 8 NVIDIA H100 80GB
 *     HBM3 and one dcgm-exporter (a DaemonSet pod).
 *   - Namespace `inference`: two models, each with two versions, each version a Deployment
 *     `vllm-<model>-<version>` of vLLM pods. The oldest pod of each Deployment is the scraped vLLM
 *     server (one per model version); pods added by `replicas` hold GPUs and appear in
 *     kube-state-metrics and DCGM only.
 *   - Namespace `training`: a batch fine-tuning Job whose workers take whole GPUs when a scenario
 *     starts it.
 *   - RabbitMQ (namespace `messaging`) with the queue `embeddings` in vhost `/`, scraped on its
 *     per-object endpoint.
 *   - kube-state-metrics (namespace `monitoring`) for pods, Deployments, nodes and the GPU quota of
 *     namespace `inference`.
 */

/** GPU_MODEL_NAME is DCGM's `modelName` label of every simulated GPU. */
export const GPU_MODEL_NAME = 'NVIDIA H100 80GB HBM3';
export const DRIVER_VERSION = '550.90.07';
/** GPU_FB_TOTAL_MIB is used + free + reserved on an H100 80GB HBM3, as DCGM reports it. */
export const GPU_FB_TOTAL_MIB = 81559;
export const GPU_FB_RESERVED_MIB = 566;
export const GPUS_PER_NODE = 8;
/** PCI bus ids of the eight GPUs of an HGX H100 board, in GPU index order. */
export const PCI_BUS_IDS = ['00000000:18:00.0', '00000000:2A:00.0', '00000000:3A:00.0', '00000000:5D:00.0', '00000000:9A:00.0', '00000000:AB:00.0', '00000000:BA:00.0', '00000000:DB:00.0'] as const;

export interface NodeSpec {
  readonly name: string;
  readonly pool: string;
  readonly internalIp: string;
}

export const NODES: readonly NodeSpec[] = [
  { name: 'gpu-node-a', pool: 'h100', internalIp: '10.0.12.21' },
  { name: 'gpu-node-b', pool: 'h100', internalIp: '10.0.12.22' },
];

/** VersionSpec is one deployed version of a model: its own Deployment and vLLM server. */
export interface VersionSpec {
  readonly version: string;
  /** servedModelName is vLLM's `--served-model-name`, its `model_name` label. */
  readonly servedModelName: string;
  /** maxModelLen sets the bounds of vLLM's token-count histograms (1-2-5 buckets up to it). */
  readonly maxModelLen: number;
  readonly numGpuBlocks: number;
}

/** ModelSpec is a model and how its vLLM servers behave when unloaded. */
export interface ModelSpec {
  readonly model: string;
  readonly namespace: string;
  readonly versions: readonly VersionSpec[];
  /** gpusPerReplica is each pod's `nvidia.com/gpu` request (the tensor-parallel size). */
  readonly gpusPerReplica: number;
  /** capacity is the request rate (per second) one replica serves at full load. */
  readonly capacity: number;
  /** ttftSeconds and itlSeconds are the median time to first token and inter-token latency, unloaded. */
  readonly ttftSeconds: number;
  readonly itlSeconds: number;
  /** promptTokens and outputTokens are the median request and response lengths. */
  readonly promptTokens: number;
  readonly outputTokens: number;
  /** loadSeconds is how long a started pod loads weights before it is ready. */
  readonly loadSeconds: number;
  readonly cpuRequest: number;
  readonly memoryRequestBytes: number;
}

const GIB = 1024 ** 3;

export const MODELS: readonly ModelSpec[] = [
  {
    model: 'llama-3-70b',
    namespace: 'inference',
    versions: [
      { version: 'v1', servedModelName: 'meta-llama/Meta-Llama-3-70B-Instruct', maxModelLen: 8192, numGpuBlocks: 21438 },
      { version: 'v2', servedModelName: 'meta-llama/Llama-3.1-70B-Instruct', maxModelLen: 32768, numGpuBlocks: 21102 },
    ],
    gpusPerReplica: 2,
    capacity: 5,
    ttftSeconds: 0.35,
    itlSeconds: 0.035,
    promptTokens: 900,
    outputTokens: 280,
    loadSeconds: 240,
    cpuRequest: 16,
    memoryRequestBytes: 200 * GIB,
  },
  {
    model: 'mistral-7b',
    namespace: 'inference',
    versions: [
      { version: 'v1', servedModelName: 'mistralai/Mistral-7B-Instruct-v0.2', maxModelLen: 32768, numGpuBlocks: 27847 },
      { version: 'v2', servedModelName: 'mistralai/Mistral-7B-Instruct-v0.3', maxModelLen: 32768, numGpuBlocks: 27790 },
    ],
    gpusPerReplica: 1,
    capacity: 25,
    ttftSeconds: 0.08,
    itlSeconds: 0.012,
    promptTokens: 450,
    outputTokens: 190,
    loadSeconds: 60,
    cpuRequest: 8,
    memoryRequestBytes: 48 * GIB,
  },
];

/** deploymentName is the Deployment (and vLLM target) of one model version. */
export function deploymentName(model: string, version: string): string {
  return `vllm-${model}-${version}`;
}

/** The batch fine-tuning Job that scenarios start to take GPUs away from inference. */
export const BATCH_JOB = {
  name: 'finetune-llama-8b',
  namespace: 'training',
  container: 'pytorch',
  cpuRequest: 32,
  memoryRequestBytes: 400 * GIB,
} as const;

/** The embeddings queue and the broker it lives on. */
export const QUEUE = {
  vhost: '/',
  queue: 'embeddings',
  namespace: 'messaging',
  rabbitmqNode: 'rabbit@rabbitmq-server-0.rabbitmq-nodes.messaging',
  cluster: 'rabbitmq',
  clusterId: 'rabbitmq-cluster-id-Zq3v8Lt1RbG5m0TkWx2aPw',
  /** prefetch is each consumer's basic.qos limit: at most this many unacknowledged deliveries. */
  prefetch: 10,
  /** messageBytes is an embedding request's average size. */
  messageBytes: 6144,
} as const;

/**
 * NAMESPACES are the platform's namespaces with the team that owns each, as the `team` label on
 * the Namespace object (exported by kube-state-metrics with
 * `--metric-labels-allowlist=namespaces=[team]`): cost is reported per team from it.
 */
export const NAMESPACES: readonly { readonly name: string; readonly team: string }[] = [
  { name: 'inference', team: 'ml-serving' },
  { name: 'messaging', team: 'data-platform' },
  { name: 'monitoring', team: 'platform' },
  { name: 'training', team: 'ml-research' },
];

/** The GPU ResourceQuota of namespace `inference`. */
export const GPU_QUOTA = {
  namespace: 'inference',
  name: 'gpu-quota',
  resource: 'requests.nvidia.com/gpu',
} as const;
