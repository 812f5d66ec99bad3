import { alertRuleKind } from './alert-rule.js';
import { registerKind } from './kinds.js';
import { prometheusRuleFile, prometheusRuleResource } from './prometheus.js';
import { recordingRuleKind } from './recording-rule.js';

// The rule formats of rules/load register here; rules/kinds.ts imports this module.
registerKind('Prometheus rule file (groups:)', prometheusRuleFile);
registerKind('monitoring.coreos.com/v1 PrometheusRule', prometheusRuleResource);
registerKind('vigil/v1 AlertRule', alertRuleKind);
registerKind('vigil/v1 RecordingRule', recordingRuleKind);
