/**
 * The Prometheus-compatible HTTP query API (`/api/v1/query`, `query_range`, `series`, `labels`,
 * `label/<name>/values`, `metadata`, `status/buildinfo`), and the pieces `vigil query` shares with it.
 */
export { queryAPIRoutes, labelNameOf, LABEL_PATH } from './routes.js';
export type { QueryAPIRoute } from './routes.js';
export type { ApiHandler, BuildInfo, MetricMetadata, PerQueryOptions, QueryAPIOptions, QueryEngine, QueryOutcome, Reply } from './types.js';
export { ApiError, fromEngineError, goQuote, httpStatus, invalidParam } from './errors.js';
export type { ApiErrorType } from './errors.js';
export { encodeQueryData, formatSampleValue, formatTimestamp, labelsJSON, writeQueryData } from './encode.js';
export { ByteWriter } from './bytes.js';
export { MAX_TIME_MS, MIN_TIME_MS, ParamError, goAtoi, parseDurationNs, parseGoFloat, parseLimit, parseTime, parseTimeParam } from './params.js';
