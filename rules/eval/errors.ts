/**
 * RuleEvalErrorCode names why one rule's evaluation failed. The messages are Prometheus's, so a
 * rule's `lastError` reads the same in vigil's /api/v1/rules as in Prometheus's.
 */
export type RuleEvalErrorCode =
  /** the query returned several series that are one series once the rule's labels are applied */
  | 'duplicate_labelset'
  /** the rule produced more series or alerts than the group's `limit` */
  | 'limit_exceeded'
  /** the QueryFn failed (a PromQL error, a timeout, a remote error) */
  | 'query_failed';

/** RuleEvalError fails one rule in one evaluation; the group's other rules still run. */
export class RuleEvalError extends Error {
  constructor(
    readonly code: RuleEvalErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RuleEvalError';
  }
}

export const ERR_DUPLICATE_RULE_LABELSET = 'vector contains metrics with the same labelset after applying rule labels';
export const ERR_DUPLICATE_ALERT_LABELSET = 'vector contains metrics with the same labelset after applying alert labels';
