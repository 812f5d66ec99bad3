import { execFileSync } from 'node:child_process';
import type { Model } from '@kubernetes-models/base';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

/** K8sObject is a rendered object as plain data. */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;

/**
 * kustomize renders a kustomization with the `kubectl kustomize` on PATH (kubectl 1.20's built-in
 * kustomize v2 and current kubectl's v5 alike) and returns its objects.
 */
export function kustomize(dir: string): K8sObject[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

type ModelCtor = new (data: never) => Model<unknown>;

/** MODELS maps apiVersion/kind to its kubernetes-models class: an object of another kind fails validation. */
const MODELS: Record<string, ModelCtor> = {
  'v1/Namespace': Namespace as unknown as ModelCtor,
  'v1/ServiceAccount': ServiceAccount as unknown as ModelCtor,
  'v1/ConfigMap': ConfigMap as unknown as ModelCtor,
  'v1/Service': Service as unknown as ModelCtor,
  'apps/v1/StatefulSet': StatefulSet as unknown as ModelCtor,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as ModelCtor,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy as unknown as ModelCtor,
  'scheduling.k8s.io/v1/PriorityClass': PriorityClass as unknown as ModelCtor,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole as unknown as ModelCtor,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding as unknown as ModelCtor,
  'rbac.authorization.k8s.io/v1/Role': Role as unknown as ModelCtor,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding as unknown as ModelCtor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule as unknown as ModelCtor,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor as unknown as ModelCtor,
};

/** validateObject checks one object against its kubernetes-models schema; it throws naming the object. */
export function validateObject(o: K8sObject): void {
  const ctor = MODELS[`${o.apiVersion}/${o.kind}`];
  if (ctor === undefined) throw new Error(`${o.apiVersion}/${o.kind} ${o.metadata.name}: no kubernetes-models schema known to the test`);
  const { apiVersion: _a, kind: _k, ...data } = o;
  try {
    new ctor(data as never).validate();
  } catch (err) {
    throw new Error(`${o.kind} ${o.metadata.name}: ${(err as Error).message}`);
  }
}

/** one returns the only object of a kind (and name, when given, with or without kustomize's hash suffix), failing otherwise. */
export function one(objects: readonly K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name || new RegExp(`^${name}-[a-z0-9]{10}$`).test(o.metadata.name)));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name === undefined ? '' : ` ${name}`}, found ${found.length}`);
  return found[0]!;
}
