// The rules' public surface: the shared model, loading and checking rule files, the SLO compiler,
// output for Prometheus, the evaluator, unit tests and backtests. Sub-folders keep their own
// detailed surfaces (slo/index.ts, eval/index.ts, output/index.ts).
export type {
  Alert,
  AlertingRule,
  AlertTier,
  BurnWindow,
  NotifyFn,
  QueryFn,
  QueryFnResult,
  RecordingRule,
  Rule,
  RuleGroup,
  RuleSet,
  SLI,
  SLO,
  SLOWindow,
  SourceRef,
} from './model.js';
export { checkRuleFiles, ERR_RULE_FILES, loadRuleFiles, parseRuleFile, RuleLoadError } from './load/loader.js';
export type { CheckedRuleFiles, LoadOptions, LoadResult } from './load/loader.js';
export { findKind, registerKind, registeredKinds } from './load/kinds.js';
export type { DecodeContext, Decoded, DocumentHeader, KindDecoder, KindRule, RegisteredKind } from './load/kinds.js';
export { checkRules } from './check.js';
export type { CheckResult } from './check.js';
export { compileSLO, compileSLOs, sloGroupName } from './slo/index.js';
export { formatPrometheusRule, formatRuleFile } from './output/index.js';
export { RuleManager } from './eval/index.js';
export type { RuleManagerOptions } from './eval/index.js';
export { otelRuleMetrics, nopRuleMetrics } from './telemetry.js';
export type { RuleMetrics } from './telemetry.js';
export { expandText, expandTemplate } from './template/execute.js';
export { parseTemplate, TemplateParseError } from './template/parse.js';
export { runBacktest } from './backtest/run.js';
export type { BacktestOptions, BacktestResult } from './backtest/run.js';
export { runTestFile, runTestGroup } from './unittest/runner.js';
