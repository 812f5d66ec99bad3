import { parse } from 'yaml';
import { expect } from 'vitest';
import { type K8sObject, one } from '../support/kustomize.js';

// The guardrails every rendered overlay must keep (issue 8), as assertions shared by the overlay tests.

type Container = {
  name: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[] } };
};
type PodSpec = {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  priorityClassName?: string;
  serviceAccountName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; value?: string; effect?: string }[];
  volumes?: { name: string; configMap?: { name: string } }[];
};

/** SECRET_KEY: a config key that holds a credential when written inline (Alertmanager's and vigil's names). */
const SECRET_KEY = /(^|_)(password|token|secret|credentials|api_key|api_url|webhook_url)$/i;

export function podSpec(objects: readonly K8sObject[]): PodSpec {
  const sts = one(objects, 'StatefulSet', 'vigil') as unknown as { spec: { template: { spec: PodSpec } } };
  return sts.spec.template.spec;
}

export function expectGuardrails(objects: readonly K8sObject[]): void {
  const pod = podSpec(objects);
  expect(pod.containers.length).toBeGreaterThan(0);
  for (const c of pod.containers) {
    // Probes on the health endpoints, on the container's HTTP port.
    expect(c.livenessProbe?.httpGet?.path, c.name).toBe('/-/healthy');
    expect(c.readinessProbe?.httpGet?.path, c.name).toBe('/-/ready');
    // Requests and limits for CPU and memory.
    for (const r of ['cpu', 'memory']) {
      expect(c.resources?.requests?.[r], `${c.name} requests.${r}`).toBeDefined();
      expect(c.resources?.limits?.[r], `${c.name} limits.${r}`).toBeDefined();
    }
    // Non-root, read-only root filesystem, no privilege escalation.
    expect(c.securityContext?.readOnlyRootFilesystem, c.name).toBe(true);
    expect(c.securityContext?.allowPrivilegeEscalation, c.name).toBe(false);
    expect(c.securityContext?.capabilities?.drop, c.name).toContain('ALL');
    expect(c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot, c.name).toBe(true);
    // Credentials in the environment come from Secrets, never as literal values.
    for (const e of c.env ?? []) {
      if (/TOKEN|PASSWORD|SECRET|KEY/.test(e.name)) {
        expect(e.value, `${c.name} env ${e.name}`).toBeUndefined();
        expect(e.valueFrom?.secretKeyRef, `${c.name} env ${e.name}`).toBeDefined();
      }
    }
  }
  expect(pod.securityContext?.runAsUser).not.toBe(0);

  // RBAC: get, list and watch on pods and endpoints, nothing more, in every role.
  const roles = objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role');
  expect(roles.length).toBeGreaterThan(0);
  for (const r of roles) {
    for (const rule of (r as unknown as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] }).rules) {
      expect(rule.apiGroups, r.metadata.name).toEqual(['']);
      expect([...rule.verbs].sort(), r.metadata.name).toEqual(['get', 'list', 'watch']);
      for (const res of rule.resources) expect(['pods', 'endpoints'], r.metadata.name).toContain(res);
    }
  }

  // No Secret objects are rendered, and no ConfigMap value holds an inline credential.
  expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
    for (const [key, text] of Object.entries((cm as unknown as { data?: Record<string, string> }).data ?? {})) {
      for (const doc of text.split(/^---$/m)) {
        const inline = secretKeys(parse(doc));
        expect(inline, `${cm.metadata.name} ${key}`).toEqual([]);
      }
    }
  }

  // The pod is scheduled above batch work, on the platform-services pool.
  const pc = one(objects, 'PriorityClass') as unknown as { metadata: { name: string }; value: number; globalDefault?: boolean };
  expect(pod.priorityClassName).toBe(pc.metadata.name);
  expect(pc.value).toBeGreaterThan(0);
  expect(pc.value).toBeLessThan(1_000_000_000); // below system-cluster-critical
  expect(pc.globalDefault ?? false).toBe(false);
  expect(Object.values(pod.nodeSelector ?? {})).toContain('platform-services');
  expect(pod.tolerations?.some((t) => t.value === 'platform-services' && t.effect === 'NoSchedule')).toBe(true);

  // The NetworkPolicy admits only the HTTP port (query API and /metrics), and selects the pod.
  const httpPort = pod.containers[0]!.ports!.find((p) => p.name === 'http')!.containerPort;
  const np = one(objects, 'NetworkPolicy') as unknown as {
    spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; ingress: { ports?: { port: number | string }[] }[] };
  };
  expect(np.spec.policyTypes).toContain('Ingress');
  expect(np.spec.ingress.length).toBeGreaterThan(0);
  for (const rule of np.spec.ingress) expect(rule.ports?.map((p) => p.port)).toEqual([httpPort]);
  const sts = one(objects, 'StatefulSet', 'vigil') as unknown as { spec: { template: { metadata: { labels: Record<string, string> } } } };
  const podLabels = sts.spec.template.metadata.labels;
  expect(podLabels).toMatchObject(np.spec.podSelector.matchLabels);
  const pdb = one(objects, 'PodDisruptionBudget') as unknown as { spec: { selector: { matchLabels: Record<string, string> } } };
  expect(podLabels).toMatchObject(pdb.spec.selector.matchLabels);

  // Every ConfigMap the pod mounts is rendered.
  const maps = new Set(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name));
  for (const v of pod.volumes ?? []) if (v.configMap !== undefined) expect(maps, v.name).toContain(v.configMap.name);
}

/** secretKeys lists the paths of credential keys written inline (a `_file` or `_env` reference is fine). */
export function secretKeys(node: unknown, path = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => secretKeys(n, `${path}[${i}]`));
  if (node === null || typeof node !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(node)) {
    const p = path === '' ? k : `${path}.${k}`;
    if (SECRET_KEY.test(k) && typeof v === 'string' && !/^https?:\/\/(127\.0\.0\.1|localhost)/.test(v)) {
      // api_url and webhook_url are credentials for Slack incoming webhooks; a plain API base is not.
      if (!(/api_url$/.test(k) && /^https:\/\/slack\.com\/api\/?$/.test(v))) out.push(p);
    }
    out.push(...secretKeys(v, p));
  }
  return out;
}
