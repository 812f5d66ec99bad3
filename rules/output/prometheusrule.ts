import type { RuleGroup } from '../model.js';
import { generatedHeader, groupsToYaml, toYaml } from './groups.js';

/** PrometheusRuleMeta is the resource's metadata. */
export interface PrometheusRuleMeta {
  /** name must be a Kubernetes object name (lowercase letters, digits, '-', '.'). */
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** PROMETHEUS_RULE_LABELS mark the resource as SLO rules vigil manages (Sloth sets the same pair). */
export const PROMETHEUS_RULE_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/component': 'SLO',
  'app.kubernetes.io/managed-by': 'vigil',
};

/**
 * formatPrometheusRule prints groups as a Prometheus Operator PrometheusRule resource
 * (monitoring.coreos.com/v1), whose `spec.groups` is a rule file's `groups`.
 */
export function formatPrometheusRule(groups: readonly RuleGroup[], meta: PrometheusRuleMeta, source: string): string {
  const labels = { ...PROMETHEUS_RULE_LABELS, ...meta.labels };
  const metadata: Record<string, unknown> = { name: meta.name };
  if (meta.namespace !== undefined) metadata['namespace'] = meta.namespace;
  metadata['labels'] = Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]!]));
  return generatedHeader(source) + toYaml({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata, spec: { groups: groupsToYaml(groups) } });
}

/** kubernetesName turns a file name into a valid object name: `vLLM_slos.yaml` → `vllm-slos`. */
export function kubernetesName(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/\.(ya?ml)$/, '')
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return (name === '' ? 'slos' : name).slice(0, 253);
}
