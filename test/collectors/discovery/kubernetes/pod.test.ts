import { describe, expect, it } from 'vitest';
import { type Pod, podTargetGroup, sanitizeLabelName } from '../../../../collectors/discovery/kubernetes/pod.js';

// The expectations follow Prometheus's discovery/kubernetes/pod.go (buildPod, podLabels) and the
// pod-role label list in its configuration documentation.
const vllm: Pod = {
  metadata: {
    name: 'vllm-7d9f-abcde',
    namespace: 'inference',
    uid: '6a1c-uid',
    labels: { 'app.kubernetes.io/name': 'vllm', tier: 'gpu' },
    annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8000' },
    ownerReferences: [
      { kind: 'Node', name: 'not-the-controller' },
      { kind: 'ReplicaSet', name: 'vllm-7d9f', controller: true },
    ],
  },
  spec: {
    nodeName: 'gpu-node-1',
    containers: [
      {
        name: 'server',
        image: 'vllm/vllm-openai:v0.6',
        ports: [
          { name: 'http', containerPort: 8000, protocol: 'TCP' },
          { name: 'grpc', containerPort: 8001, protocol: 'TCP' },
        ],
      },
      { name: 'sidecar', image: 'envoy:1' },
    ],
    initContainers: [{ name: 'warmup', image: 'busybox', ports: [{ containerPort: 9000, protocol: 'UDP' }] }],
  },
  status: {
    phase: 'Running',
    podIP: '10.4.0.7',
    hostIP: '192.168.1.10',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'True' },
    ],
    containerStatuses: [
      { name: 'sidecar', containerID: 'containerd://side' },
      { name: 'server', containerID: 'containerd://srv' },
    ],
    initContainerStatuses: [{ name: 'warmup', containerID: 'containerd://warm' }],
  },
};

describe('podTargetGroup', () => {
  it('gives the pod meta labels to the group and one target per container port, or per container without ports', () => {
    const g = podTargetGroup(vllm, 'src/inference/vllm-7d9f-abcde');
    expect(g.source).toBe('src/inference/vllm-7d9f-abcde');
    expect(g.labels.toRecord()).toEqual({
      __meta_kubernetes_namespace: 'inference',
      __meta_kubernetes_pod_name: 'vllm-7d9f-abcde',
      __meta_kubernetes_pod_ip: '10.4.0.7',
      __meta_kubernetes_pod_ready: 'true',
      __meta_kubernetes_pod_phase: 'Running',
      __meta_kubernetes_pod_node_name: 'gpu-node-1',
      __meta_kubernetes_pod_host_ip: '192.168.1.10',
      __meta_kubernetes_pod_uid: '6a1c-uid',
      __meta_kubernetes_pod_controller_kind: 'ReplicaSet',
      __meta_kubernetes_pod_controller_name: 'vllm-7d9f',
      __meta_kubernetes_pod_label_app_kubernetes_io_name: 'vllm',
      __meta_kubernetes_pod_labelpresent_app_kubernetes_io_name: 'true',
      __meta_kubernetes_pod_label_tier: 'gpu',
      __meta_kubernetes_pod_labelpresent_tier: 'true',
      __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'true',
      __meta_kubernetes_pod_annotationpresent_prometheus_io_scrape: 'true',
      __meta_kubernetes_pod_annotation_prometheus_io_port: '8000',
      __meta_kubernetes_pod_annotationpresent_prometheus_io_port: 'true',
    });
    expect(g.targets.map((t) => t.toRecord())).toEqual([
      {
        __address__: '10.4.0.7:8000',
        __meta_kubernetes_pod_container_name: 'server',
        __meta_kubernetes_pod_container_id: 'containerd://srv',
        __meta_kubernetes_pod_container_image: 'vllm/vllm-openai:v0.6',
        __meta_kubernetes_pod_container_init: 'false',
        __meta_kubernetes_pod_container_port_name: 'http',
        __meta_kubernetes_pod_container_port_number: '8000',
        __meta_kubernetes_pod_container_port_protocol: 'TCP',
      },
      {
        __address__: '10.4.0.7:8001',
        __meta_kubernetes_pod_container_name: 'server',
        __meta_kubernetes_pod_container_id: 'containerd://srv',
        __meta_kubernetes_pod_container_image: 'vllm/vllm-openai:v0.6',
        __meta_kubernetes_pod_container_init: 'false',
        __meta_kubernetes_pod_container_port_name: 'grpc',
        __meta_kubernetes_pod_container_port_number: '8001',
        __meta_kubernetes_pod_container_port_protocol: 'TCP',
      },
      {
        // No declared port: the bare pod IP, for a relabel step to complete.
        __address__: '10.4.0.7',
        __meta_kubernetes_pod_container_name: 'sidecar',
        __meta_kubernetes_pod_container_id: 'containerd://side',
        __meta_kubernetes_pod_container_image: 'envoy:1',
        __meta_kubernetes_pod_container_init: 'false',
      },
      {
        // An unnamed port has no port_name label (an empty value is no label).
        __address__: '10.4.0.7:9000',
        __meta_kubernetes_pod_container_name: 'warmup',
        __meta_kubernetes_pod_container_id: 'containerd://warm',
        __meta_kubernetes_pod_container_image: 'busybox',
        __meta_kubernetes_pod_container_init: 'true',
        __meta_kubernetes_pod_container_port_number: '9000',
        __meta_kubernetes_pod_container_port_protocol: 'UDP',
      },
    ]);
  });

  it('gives a pod without an IP an empty group under the same source, so its earlier targets go', () => {
    const pending: Pod = { ...vllm, status: { phase: 'Pending', conditions: [] } };
    const g = podTargetGroup(pending, 's');
    expect(g.source).toBe('s');
    expect(g.targets).toEqual([]);
    expect(g.labels.size).toBe(0);
  });

  it('does not filter by phase or readiness: a Failed pod with an IP is offered, labelled', () => {
    const failed: Pod = { ...vllm, status: { ...vllm.status, phase: 'Failed', conditions: [{ type: 'Ready', status: 'False' }] } };
    const g = podTargetGroup(failed, 's');
    expect(g.targets).toHaveLength(4);
    expect(g.labels.get('__meta_kubernetes_pod_phase')).toBe('Failed');
    expect(g.labels.get('__meta_kubernetes_pod_ready')).toBe('false');
  });

  it('says ready "unknown" without a Ready condition, and has no controller labels without a controller reference', () => {
    const bare: Pod = { metadata: { name: 'p', namespace: 'n', ownerReferences: [{ kind: 'Node', name: 'x' }] }, spec: { containers: [{ name: 'c' }] }, status: { podIP: '10.0.0.1' } };
    const g = podTargetGroup(bare, 's');
    expect(g.labels.get('__meta_kubernetes_pod_ready')).toBe('unknown');
    expect(g.labels.has('__meta_kubernetes_pod_controller_kind')).toBe(false);
    expect(g.targets.map((t) => t.get('__address__'))).toEqual(['10.0.0.1']);
  });

  it('brackets an IPv6 pod IP with a port, as Go net.JoinHostPort, and leaves it bare without one', () => {
    const v6: Pod = { metadata: { name: 'p', namespace: 'n' }, spec: { containers: [{ name: 'a', ports: [{ containerPort: 80 }] }, { name: 'b' }] }, status: { podIP: 'fd00::7' } };
    expect(podTargetGroup(v6, 's').targets.map((t) => t.get('__address__'))).toEqual(['[fd00::7]:80', 'fd00::7']);
  });

  it('keeps empty label values present: the value label is absent but labelpresent says true', () => {
    const p: Pod = { metadata: { name: 'p', namespace: 'n', labels: { canary: '' } }, spec: { containers: [{ name: 'c' }] }, status: { podIP: '10.0.0.1' } };
    const g = podTargetGroup(p, 's');
    expect(g.labels.has('__meta_kubernetes_pod_label_canary')).toBe(false);
    expect(g.labels.get('__meta_kubernetes_pod_labelpresent_canary')).toBe('true');
  });
});

describe('sanitizeLabelName', () => {
  it('replaces every character outside [a-zA-Z0-9_] with one underscore, per code point', () => {
    expect(sanitizeLabelName('app.kubernetes.io/name')).toBe('app_kubernetes_io_name');
    expect(sanitizeLabelName('nvidia.com/gpu-product')).toBe('nvidia_com_gpu_product');
    expect(sanitizeLabelName('Zürich😀_x')).toBe('Z_rich__x');
  });
});
