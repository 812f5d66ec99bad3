export { Labels, LabelsBuilder, METRIC_NAME, quoteLabelValue, isValidMetricName, isValidLabelName } from './labels.js';
export { Matcher } from './matcher.js';
export type { MatchType } from './matcher.js';
export { compileAnchoredRegex, RegexError } from './regex.js';
export { StaleNaN, isStaleNaN } from './value.js';
export { AppendError } from './storage.js';
export type {
  Appendable,
  Appender,
  AppendErrorCode,
  Querier,
  Queryable,
  SampleIterator,
  Series,
  SeriesRef,
} from './storage.js';
