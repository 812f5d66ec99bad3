// The remote store client's public surface: rules evaluated against a Prometheus-compatible HTTP
// API (Prometheus, Thanos Query, Mimir) instead of the embedded store.
export { RemoteClient } from './client.js';
export type { RemoteClientOptions, RemoteRequest, RemoteResponse } from './client.js';
export { checkRemoteURL, decodeRemoteStore, REMOTE_STORE_KEYS, DEFAULT_REMOTE_RETRIES, DEFAULT_REMOTE_TIMEOUT_MS } from './config.js';
export type { RemoteStoreConfig } from './config.js';
export { RemoteError, redactURL } from './errors.js';
export type { RemoteErrorCode } from './errors.js';
export { decodeQueryResponse, instantQuery } from './api.js';
export type { InstantSample, QueryValue, RangeSeries } from './api.js';
export { remoteQuery } from './query.js';
export type { RemoteQueryOptions } from './query.js';
export { fetchQueryable } from './queryable.js';
export { RemoteWriter } from './write.js';
export type { RemoteWriterOptions } from './write.js';
export { encodeWriteRequest, snappyBlock } from './wire.js';
export type { WriteSeries } from './wire.js';
export { otelRemoteWriteMetrics } from './metrics.js';
export type { RemoteWriteMetrics } from './metrics.js';
export { openRemoteStore } from './store.js';
export type { RemoteStore, RemoteStoreOptions } from './store.js';
