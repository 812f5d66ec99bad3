// The rule evaluator's public surface: the manager, its groups and rules' state, and the seams.
export { RuleManager, DEFAULT_FOR_GRACE_PERIOD_MS, DEFAULT_OUTAGE_TOLERANCE_MS, DEFAULT_RESEND_DELAY_MS } from './manager.js';
export type { RuleManagerOptions, UpdateSettings } from './manager.js';
export { Group, groupKey } from './group.js';
export type { RuleState } from './group.js';
export { AlertingRuleState, ALERTS_METRIC, ALERTS_FOR_STATE_METRIC, RESOLVED_RETENTION_MS } from './alerting.js';
export { RecordingRuleState } from './recording.js';
export type { ActiveAlert, AlertState } from './alert.js';
export type { RuleHealth, RuleSample, RuleStatus } from './sample.js';
export type { AlertTemplateData, ExpandRequest, TemplateExpander } from './context.js';
export { ALERT_TEMPLATE_DEFS } from './expand.js';
export { RuleEvalError } from './errors.js';
export type { RuleEvalErrorCode } from './errors.js';
export { toNotifierAlert, tableLinkForExpression, graphLinkForExpression, goQueryEscape } from './notify.js';
export { rulesAPIResponse, alertsAPIResponse } from './api.js';
