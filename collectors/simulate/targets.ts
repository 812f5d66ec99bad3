import { deploymentName, MODELS, NODES, QUEUE } from './topology.js';

/** ExporterKind is which real exporter a simulated target plays. */
export type ExporterKind = 'dcgm' | 'vllm' | 'rabbitmq' | 'kube-state-metrics';

/**
 * SimTarget is one simulated scrape target.
 *
 * `labels` are the target labels a scrape config attaches to every series of the target, the ones
 * the `ai:` recording-rule packs group by. They never clash with a label the exporter writes
 * itself, so no `exported_*` labels appear:
 *
 *   job="dcgm"                 instance="<node>:9400", node, pool="h100"
 *                              (the body's own `namespace`, `pod`, `container` name the workload
 *                              holding the GPU; `Hostname` equals `node`)
 *   job="vllm"                 instance="<deployment>.inference:8000", namespace="inference",
 *                              model ("llama-3-70b" | "mistral-7b"), version ("v1" | "v2")
 *                              (vLLM's own `model_name` is the served model name, such as
 *                              "meta-llama/Llama-3.1-70B-Instruct", and differs between versions)
 *   job="rabbitmq"             instance="rabbitmq-server-0.rabbitmq-nodes.messaging:15692",
 *                              namespace="messaging" (the body's `vhost`, `queue` name the queue)
 *   job="kube-state-metrics"   instance="kube-state-metrics.monitoring:8080" only: its series carry
 *                              the objects' own `namespace`, `pod`, `node` labels
 *
 * `path` is where startSimulator serves the target's body.
 */
export interface SimTarget {
  readonly id: string;
  readonly kind: ExporterKind;
  readonly job: string;
  readonly path: string;
  readonly labels: Readonly<Record<string, string>>;
  /** node is the GPU node of a DCGM target. */
  readonly node?: string;
  /** model and version name a vLLM target's model version. */
  readonly model?: string;
  readonly version?: string;
}

/** simulatedTargets lists every target of the platform, in a fixed order. */
export function simulatedTargets(): SimTarget[] {
  const out: SimTarget[] = [];
  for (const n of NODES) {
    out.push({
      id: `dcgm/${n.name}`,
      kind: 'dcgm',
      job: 'dcgm',
      path: `/dcgm/${n.name}/metrics`,
      labels: { job: 'dcgm', instance: `${n.name}:9400`, node: n.name, pool: n.pool },
      node: n.name,
    });
  }
  for (const m of MODELS) {
    for (const v of m.versions) {
      const deployment = deploymentName(m.model, v.version);
      out.push({
        id: `vllm/${m.model}/${v.version}`,
        kind: 'vllm',
        job: 'vllm',
        path: `/vllm/${m.model}/${v.version}/metrics`,
        labels: { job: 'vllm', instance: `${deployment}.${m.namespace}:8000`, namespace: m.namespace, model: m.model, version: v.version },
        model: m.model,
        version: v.version,
      });
    }
  }
  out.push({
    id: 'rabbitmq',
    kind: 'rabbitmq',
    job: 'rabbitmq',
    path: '/rabbitmq/metrics/per-object',
    labels: { job: 'rabbitmq', instance: 'rabbitmq-server-0.rabbitmq-nodes.messaging:15692', namespace: QUEUE.namespace },
  });
  out.push({
    id: 'kube-state-metrics',
    kind: 'kube-state-metrics',
    job: 'kube-state-metrics',
    path: '/kube-state-metrics/metrics',
    labels: { job: 'kube-state-metrics', instance: 'kube-state-metrics.monitoring:8080' },
  });
  return out;
}
