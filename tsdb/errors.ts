/**
 * Error codes of the embedded store, all in one place. Append refusals of single samples use
 * model/storage.ts's AppendError ('out_of_order', 'out_of_bounds', 'duplicate_sample_for_timestamp');
 * everything else the store throws is a TSDBError with one of these codes.
 */
export type TSDBErrorCode =
  /** the store was closed; no more appends or queries. */
  | 'closed'
  /** an Appender was used after commit() or rollback(). */
  | 'appender_finished'
  /** a sample came with an empty label set. */
  | 'empty_labels'
  /** a timestamp is not an integer number of milliseconds (a safe integer). */
  | 'invalid_timestamp'
  /** an option is out of range (the message names it). */
  | 'invalid_option'
  /** writing the write-ahead log or a chunk file failed; the transaction was not applied. */
  | 'wal_write'
  /** the data directory cannot be used (not a directory, not writable). */
  | 'bad_dir'
  /** another running process holds the data directory. */
  | 'locked';

/** TSDBError is a failure of the store itself, with a stable code. */
export class TSDBError extends Error {
  constructor(
    readonly code: TSDBErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TSDBError';
  }
}
