import { Labels } from '../../../model/labels.js';
import type { TargetGroup } from '../provider.js';

/**
 * Pod is the part of a Kubernetes `v1.Pod` that the pod role reads, in the API's JSON field
 * names. Lists (through the typed client) and watch events (raw JSON) both fit it; every field is
 * optional because the API server omits empty ones.
 */
export interface Pod {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly ownerReferences?: readonly { readonly kind?: string; readonly name?: string; readonly controller?: boolean }[];
  };
  readonly spec?: {
    readonly nodeName?: string;
    readonly containers?: readonly Container[];
    readonly initContainers?: readonly Container[];
  };
  readonly status?: {
    readonly phase?: string;
    readonly podIP?: string;
    readonly hostIP?: string;
    readonly conditions?: readonly { readonly type?: string; readonly status?: string }[];
    readonly containerStatuses?: readonly ContainerStatus[];
    readonly initContainerStatuses?: readonly ContainerStatus[];
  };
}

export interface Container {
  readonly name?: string;
  readonly image?: string;
  readonly ports?: readonly { readonly name?: string; readonly containerPort?: number; readonly protocol?: string }[];
}

export interface ContainerStatus {
  readonly name?: string;
  readonly containerID?: string;
}

const META = '__meta_kubernetes_';

/** podKey is the pod's identity in a store and in group sources: `namespace/name`. */
export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/**
 * podTargetGroup is the target group Prometheus's pod role makes of one pod, with `source`.
 *
 * The group labels are the pod's meta labels (namespace, name, IP, ready, phase, node, host IP,
 * UID, controller, and every label and annotation with its `present` twin); there is one target
 * per declared container port, `__address__` = podIP:port, or one per container that declares no
 * port, `__address__` = podIP. Init containers count too, marked by
 * `__meta_kubernetes_pod_container_init="true"` (native sidecars are init containers).
 *
 * A pod without an IP (scheduled but not started, or evicted) gives a group with no targets, so
 * an update still replaces the pod's earlier targets. The phase does not filter: as in
 * Prometheus, a Succeeded or Failed pod that keeps its IP is still offered, labelled with its
 * phase, and a relabel step drops it (see the module documentation in index.ts).
 */
export function podTargetGroup(pod: Pod, source: string): TargetGroup {
  const ip = pod.status?.podIP ?? '';
  if (ip === '') return { source, targets: [], labels: Labels.EMPTY };
  const targets: Labels[] = [];
  const containers = pod.spec?.containers ?? [];
  const inits = pod.spec?.initContainers ?? [];
  const all: [Container, boolean][] = [...containers.map((c) => [c, false] as [Container, boolean]), ...inits.map((c) => [c, true] as [Container, boolean])];
  for (const [c, isInit] of all) {
    const statuses = (isInit ? pod.status?.initContainerStatuses : pod.status?.containerStatuses) ?? [];
    const common: [string, string][] = [
      [META + 'pod_container_name', c.name ?? ''],
      [META + 'pod_container_id', statuses.find((s) => s.name === c.name)?.containerID ?? ''],
      [META + 'pod_container_image', c.image ?? ''],
      [META + 'pod_container_init', String(isInit)],
    ];
    const ports = c.ports ?? [];
    if (ports.length === 0) {
      // No declared port: the address is the bare IP and a relabel step must supply the port.
      targets.push(Labels.from([['__address__', ip], ...common]));
      continue;
    }
    for (const p of ports) {
      const port = String(p.containerPort ?? 0);
      targets.push(
        Labels.from([
          ['__address__', joinHostPort(ip, port)],
          ...common,
          [META + 'pod_container_port_name', p.name ?? ''],
          [META + 'pod_container_port_number', port],
          [META + 'pod_container_port_protocol', p.protocol ?? ''],
        ]),
      );
    }
  }
  return { source, targets, labels: podLabels(pod) };
}

function podLabels(pod: Pod): Labels {
  const m = pod.metadata ?? {};
  const out: [string, string][] = [
    [META + 'namespace', m.namespace ?? ''],
    [META + 'pod_name', m.name ?? ''],
    [META + 'pod_ip', pod.status?.podIP ?? ''],
    [META + 'pod_ready', podReady(pod)],
    [META + 'pod_phase', pod.status?.phase ?? ''],
    [META + 'pod_node_name', pod.spec?.nodeName ?? ''],
    [META + 'pod_host_ip', pod.status?.hostIP ?? ''],
    [META + 'pod_uid', m.uid ?? ''],
  ];
  const controller = m.ownerReferences?.find((r) => r.controller === true);
  if (controller !== undefined) {
    out.push([META + 'pod_controller_kind', controller.kind ?? ''], [META + 'pod_controller_name', controller.name ?? '']);
  }
  for (const [k, v] of Object.entries(m.labels ?? {})) {
    const name = sanitizeLabelName(k);
    out.push([META + 'pod_label_' + name, v], [META + 'pod_labelpresent_' + name, 'true']);
  }
  for (const [k, v] of Object.entries(m.annotations ?? {})) {
    const name = sanitizeLabelName(k);
    out.push([META + 'pod_annotation_' + name, v], [META + 'pod_annotationpresent_' + name, 'true']);
  }
  return Labels.from(out);
}

/** podReady is the Ready condition's status in lower case ("true", "false"), or "unknown" without one. */
function podReady(pod: Pod): string {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  return (ready?.status ?? 'Unknown').toLowerCase();
}

/**
 * sanitizeLabelName turns a Kubernetes label or annotation key (`app.kubernetes.io/name`) into a
 * Prometheus label-name suffix by replacing every character outside [a-zA-Z0-9_] with `_`, as
 * Prometheus's strutil.SanitizeLabelName does. Two keys may collide (`a.b` and `a/b`); then the
 * later one in the object wins, as in Prometheus's map.
 */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/gu, '_');
}

/** joinHostPort brackets an IPv6 address, as Go's net.JoinHostPort does. */
function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
