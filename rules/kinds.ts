/**
 * The list of rule-file kinds vigil reads. Each import registers its decoders with
 * rules/load/kinds.ts registerKind; the loader imports this file, so a new kind (BudgetRule,
 * RegressionRule) is one line here and nothing else. Order matters only for documents two
 * decoders would both read: the first registered wins.
 */
import { alertRuleKind } from './load/alert-rule.js';
import { registerKind } from './load/kinds.js';
import { prometheusRuleFile, prometheusRuleResource } from './load/prometheus.js';
import { recordingRuleKind } from './load/recording-rule.js';

registerKind('Prometheus rule file (groups:)', prometheusRuleFile);
registerKind('monitoring.coreos.com/v1 PrometheusRule', prometheusRuleResource);
registerKind('vigil/v1 AlertRule', alertRuleKind);
registerKind('vigil/v1 RecordingRule', recordingRuleKind);
// SLO kinds (vigil/v1 SLO, Sloth, OpenSLO) register themselves in rules/slo/index.ts:
// import './slo/index.js';
