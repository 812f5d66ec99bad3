import type { Cluster, Pod, PodState } from '../model/cluster.js';
import { GPU_QUOTA, GPUS_PER_NODE, NAMESPACES, NODES } from '../topology.js';
import { goFloat } from './format.js';
import { TextBody } from './text.js';

type Pairs = readonly (readonly [string, string])[];

const TIB = 1024 ** 4;

/**
 * renderKubeStateMetrics writes kube-state-metrics' (v2.x) body for the GPU-relevant objects of
 * the platform, with its names, HELP texts (`[STABLE]` where it marks them) and label order:
 * every object's identifying labels first (`namespace, pod, uid` for pods), then the metric's own.
 * Families come in store order (deployments, namespaces, nodes, pods, resourcequotas), values in
 * Go's 'g' form.
 *
 * A pod waiting for GPUs is `kube_pod_status_phase{phase="Pending"}` with
 * `kube_pod_status_scheduled{condition="false"}` and `kube_pod_status_unschedulable`, its GPU
 * request in `kube_pod_container_resource_requests{resource="nvidia_com_gpu",unit="integer"}` with
 * an empty node, and no container status yet. The quota of namespace `inference` is
 * `kube_resourcequota{resource="requests.nvidia.com/gpu",type="hard"|"used"}`. Each node's pool is
 * its `pool` label, exported as kube-state-metrics does when started with
 * `--metric-labels-allowlist=nodes=[pool]`: `kube_node_labels{node,label_pool}`; likewise each
 * namespace's owning team, `kube_namespace_labels{namespace,label_team}` (`namespaces=[team]`).
 */
export function renderKubeStateMetrics(cluster: Cluster, t: number): string {
  const body = new TextBody();
  const family = (name: string, help: string, type: 'gauge' | 'counter' = 'gauge') => body.family(name, help, type);
  const deployments = cluster.deploymentStatus(t);
  const dep = (name: string, help: string, read: (d: (typeof deployments)[number]) => number) => {
    family(name, help);
    for (const d of deployments) body.sample(name, [['namespace', d.namespace], ['deployment', d.name]], goFloat(read(d)));
  };
  dep('kube_deployment_spec_replicas', '[STABLE] Number of desired pods for a deployment.', (d) => d.specReplicas);
  dep('kube_deployment_status_replicas', '[STABLE] The number of replicas per deployment.', (d) => d.replicas);
  dep('kube_deployment_status_replicas_available', '[STABLE] The number of available replicas per deployment.', (d) => d.available);
  dep('kube_deployment_status_replicas_unavailable', '[STABLE] The number of unavailable replicas per deployment.', (d) => Math.max(0, d.specReplicas - d.available));

  // Object labels are exported only when allowed (--metric-labels-allowlist=namespaces=[team],nodes=[pool]).
  family('kube_namespace_labels', '[STABLE] Kubernetes labels converted to Prometheus labels.');
  for (const ns of NAMESPACES) body.sample('kube_namespace_labels', [['namespace', ns.name], ['label_team', ns.team]], '1');

  // Node labels are exported only when allowed (--metric-labels-allowlist=nodes=[pool]), as
  // label_<name> with the name sanitized; the pool label is what ai:node_pool_info reads.
  family('kube_node_labels', '[STABLE] Kubernetes labels converted to Prometheus labels.');
  for (const n of NODES) body.sample('kube_node_labels', [['node', n.name], ['label_pool', n.pool]], '1');
  family('kube_node_status_allocatable', '[STABLE] The allocatable for different resources of a node that are available for scheduling.');
  for (const n of NODES) {
    const alloc: [string, string, number][] = [
      ['cpu', 'core', 190],
      ['ephemeral_storage', 'byte', 3.4 * TIB],
      ['memory', 'byte', 1.96 * TIB],
      ['nvidia_com_gpu', 'integer', GPUS_PER_NODE],
      ['pods', 'integer', 110],
    ];
    for (const [resource, unit, v] of alloc) body.sample('kube_node_status_allocatable', [['node', n.name], ['resource', resource], ['unit', unit]], goFloat(Math.round(v)));
  }
  family('kube_node_status_condition', '[STABLE] The condition of a cluster node.');
  for (const n of NODES) {
    for (const [status, v] of [['true', 1], ['false', 0], ['unknown', 0]] as const) {
      body.sample('kube_node_status_condition', [['node', n.name], ['condition', 'Ready'], ['status', status]], goFloat(v));
    }
  }

  const pods = cluster.pods.map((p) => ({ p, s: cluster.state(p, t), id: podLabels(p) }));
  const perPod = (name: string, help: string, emit: (p: Pod, s: PodState, id: Pairs) => void, type: 'gauge' | 'counter' = 'gauge') => {
    family(name, help, type);
    for (const { p, s, id } of pods) emit(p, s, id);
  };
  perPod(
    'kube_pod_container_resource_requests',
    'The number of requested request resource by a container. It is recommended to use the kube_pod_resource_requests metric exposed by kube-scheduler instead, as it is more precise.',
    (p, _s, id) => {
      const requests: [string, string, number][] = [
        ['cpu', 'core', p.cpu],
        ['memory', 'byte', p.memoryBytes],
        ['nvidia_com_gpu', 'integer', p.gpus],
      ];
      for (const [resource, unit, v] of requests) {
        body.sample('kube_pod_container_resource_requests', [...id, ['container', p.container], ['node', p.node ?? ''], ['resource', resource], ['unit', unit]], goFloat(v));
      }
    },
  );
  // Container statuses exist once the kubelet has the pod, that is once it is scheduled.
  const container = (name: string, help: string, read: (s: PodState) => number, type: 'gauge' | 'counter' = 'gauge') =>
    perPod(name, help, (p, s, id) => {
      if (s.scheduled) body.sample(name, [...id, ['container', p.container]], goFloat(read(s)));
    }, type);
  container('kube_pod_container_status_ready', '[STABLE] Describes whether the containers readiness check succeeded.', (s) => Number(s.ready));
  container('kube_pod_container_status_restarts_total', '[STABLE] The number of container restarts per container.', () => 0, 'counter');
  container('kube_pod_container_status_running', '[STABLE] Describes whether the container is currently in running state.', (s) => Number(s.running));
  container('kube_pod_container_status_waiting', '[STABLE] Describes whether the container is currently in waiting state.', (s) => Number(s.waitingReason !== undefined));
  perPod('kube_pod_container_status_waiting_reason', '[STABLE] Describes the reason the container is currently in waiting state.', (p, s, id) => {
    if (s.waitingReason !== undefined) body.sample('kube_pod_container_status_waiting_reason', [...id, ['container', p.container], ['reason', s.waitingReason]], '1');
  });
  perPod('kube_pod_info', '[STABLE] Information about pod.', (p, _s, id) => {
    const hostIp = p.node === undefined ? '' : (NODES.find((n) => n.name === p.node)?.internalIp ?? '');
    body.sample(
      'kube_pod_info',
      [
        ...id,
        ['host_ip', hostIp],
        ['pod_ip', p.podIp ?? ''],
        ['node', p.node ?? ''],
        ['created_by_kind', p.ownerKind],
        ['created_by_name', p.ownerName],
        ['priority_class', p.priorityClass],
        ['host_network', 'false'],
      ],
      '1',
    );
  });
  perPod('kube_pod_owner', "[STABLE] Information about the Pod's owner.", (p, _s, id) => {
    body.sample('kube_pod_owner', [...id, ['owner_kind', p.ownerKind], ['owner_name', p.ownerName], ['owner_is_controller', 'true']], '1');
  });
  perPod('kube_pod_status_phase', '[STABLE] The pods current phase.', (_p, s, id) => {
    for (const phase of ['Pending', 'Succeeded', 'Failed', 'Unknown', 'Running']) body.sample('kube_pod_status_phase', [...id, ['phase', phase]], goFloat(Number(s.phase === phase)));
  });
  const condition = (name: string, value: boolean, id: Pairs) => {
    for (const c of ['true', 'false', 'unknown']) body.sample(name, [...id, ['condition', c]], goFloat(Number((c === 'true') === value && c !== 'unknown')));
  };
  perPod('kube_pod_status_ready', '[STABLE] Describes whether the pod is ready to serve requests.', (_p, s, id) => {
    if (s.scheduled) condition('kube_pod_status_ready', s.ready, id);
  });
  perPod('kube_pod_status_scheduled', '[STABLE] Describes the status of the scheduling process for the pod.', (_p, s, id) => condition('kube_pod_status_scheduled', s.scheduled, id));
  perPod('kube_pod_status_unschedulable', '[STABLE] Describes the unschedulable status for the pod.', (_p, s, id) => {
    if (!s.scheduled) body.sample('kube_pod_status_unschedulable', id, '1');
  });

  family('kube_resourcequota', '[STABLE] Information about resource quota.');
  const quotaLabels = (type: string): Pairs => [
    ['namespace', GPU_QUOTA.namespace],
    ['resourcequota', GPU_QUOTA.name],
    ['resource', GPU_QUOTA.resource],
    ['type', type],
  ];
  body.sample('kube_resourcequota', quotaLabels('hard'), goFloat(cluster.quotaHard));
  body.sample('kube_resourcequota', quotaLabels('used'), goFloat(cluster.quotaUsed()));
  return body.toString();
}

function podLabels(p: Pod): Pairs {
  return [
    ['namespace', p.namespace],
    ['pod', p.name],
    ['uid', p.uid],
  ];
}
