/**
 * Kubernetes service discovery for scrape targets: Prometheus's `kubernetes_sd_configs` with
 * `role: pod`, through @kubernetes/client-node's list and watch, in-cluster or from a kubeconfig
 * or an explicit `api_server`.
 *
 * Every pod becomes a target group with Prometheus's meta labels (`__meta_kubernetes_namespace`,
 * `__meta_kubernetes_pod_name`, `_ip`, `_label_<name>`, `_labelpresent_<name>`,
 * `_annotation_<name>`, `_annotationpresent_<name>`, `_container_name`, `_container_id`,
 * `_container_image`, `_container_init`, `_container_port_name|number|protocol`, `_ready`,
 * `_phase`, `_node_name`, `_host_ip`, `_uid`, `_controller_kind|name`), one target per declared
 * container port (or per container without ports). Which pods are scraped, on which port and
 * path, and with which labels is decided by `relabel_configs`, exactly as in Prometheus, so the
 * same snippets work. The two common cases:
 *
 * ```yaml
 * scrape_configs:
 *   # Pods that opt in with annotations:
 *   #   prometheus.io/scrape: "true"     scrape this pod
 *   #   prometheus.io/port: "8000"       on this port instead of the declared ones
 *   #   prometheus.io/path: /stats       at this path instead of /metrics
 *   - job_name: kubernetes-pods
 *     kubernetes_sd_configs:
 *       - role: pod
 *     relabel_configs:
 *       - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
 *         regex: 'true'
 *         action: keep
 *       # Finished pods keep their IP, which a new pod may get: never scrape them.
 *       - source_labels: [__meta_kubernetes_pod_phase]
 *         regex: Succeeded|Failed
 *         action: drop
 *       - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
 *         regex: (.+)
 *         target_label: __metrics_path__
 *       - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
 *         regex: (.+?)(?::\d+)?;(\d+)
 *         replacement: $1:$2
 *         target_label: __address__
 *       - action: labelmap
 *         regex: __meta_kubernetes_pod_label_(.+)
 *       - source_labels: [__meta_kubernetes_namespace]
 *         target_label: namespace
 *       - source_labels: [__meta_kubernetes_pod_name]
 *         target_label: pod
 *       - source_labels: [__meta_kubernetes_pod_node_name]
 *         target_label: node
 *   # NVIDIA's DCGM exporter, by the DaemonSet that runs it (GPU Operator's name), on its metrics port:
 *   - job_name: dcgm
 *     kubernetes_sd_configs:
 *       - role: pod
 *         namespaces: {names: [gpu-operator]}
 *     relabel_configs:
 *       - source_labels: [__meta_kubernetes_pod_controller_kind, __meta_kubernetes_pod_controller_name]
 *         separator: /
 *         regex: DaemonSet/nvidia-dcgm-exporter
 *         action: keep
 *       - source_labels: [__meta_kubernetes_pod_container_port_name]
 *         regex: metrics
 *         action: keep
 *       - source_labels: [__meta_kubernetes_pod_node_name]
 *         target_label: node
 *       - source_labels: [__meta_kubernetes_pod_name]
 *         target_label: pod
 * ```
 *
 * As in Prometheus, discovery does not filter by phase or readiness (the labels say them), and a
 * pod without an IP yields an empty group. The config shape is in config.ts; the watch protocol
 * (list, watch, bookmarks, 410 relist, backoff) in reflector.ts.
 */
export { decodeKubernetesSDConfig, decodeKubernetesSDConfigs } from './config.js';
export type { KubernetesAuthorization, KubernetesRole, KubernetesSDConfig, KubernetesTLS } from './config.js';
export { KubernetesDiscovery, kubernetesProvider } from './provider.js';
export type { KubernetesDiscoveryOptions } from './provider.js';
export { inClusterEnv, SERVICE_ACCOUNT_DIR } from './incluster.js';
export type { InClusterEnv } from './incluster.js';
export { KubernetesDiscoveryError } from './errors.js';
export type { KubernetesErrorCode } from './errors.js';
export { podTargetGroup, sanitizeLabelName } from './pod.js';
export type { Pod } from './pod.js';
export { DEFAULT_BACKOFF } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
