// The embedded store's public surface. Everything else in tsdb/ is internal.
export { openTSDB } from './db.js';
export type { RetentionResult, TSDB, TSDBOptions } from './db.js';
export type { TSDBStats } from './stats.js';
export { TSDBError } from './errors.js';
export type { TSDBErrorCode } from './errors.js';
export { Head } from './head.js';
export type { ChunkSink, CommitLog, HeadMetrics, HeadOptions, TruncateResult } from './head.js';
export { XorChunk, XorEncoder, XorIterator } from './chunkenc/xor.js';
export { ENCODING_XOR, MAX_SAMPLES_PER_CHUNK } from './chunkenc/chunk.js';
