/**
 * Rule output: Prometheus rule files, PrometheusRule resources, and the promtool unit tests
 * `vigil compile --with-tests` writes.
 */
export { formatRuleFile } from './promfile.js';
export { formatPrometheusRule, kubernetesName, PROMETHEUS_RULE_LABELS } from './prometheusrule.js';
export type { PrometheusRuleMeta } from './prometheusrule.js';
export { generatedHeader, groupsToYaml, toYaml } from './groups.js';
export { generateUnitTests } from './unittest.js';
export type { GeneratedTests, SkippedTest } from './unittest.js';
