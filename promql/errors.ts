/**
 * PromQL errors carry the errorType of Prometheus's HTTP API, so the API can answer exactly as
 * Prometheus does: `bad_data` (the query does not parse or type-check), `execution` (it failed
 * while running), `timeout`, `canceled`, and `unsupported` for what vigil deliberately does not do
 * (native histograms).
 */
export type PromQLErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'unsupported';

/** Position is a 0-based [start, end) range in the query text. */
export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

export class PromQLError extends Error {
  constructor(
    readonly type: PromQLErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'PromQLError';
  }
}

/**
 * ParseError is a query that does not parse or type-check. Its message reads like Prometheus's:
 * `1:14: parse error: unexpected "}" ...` (1-based line:column of the fault).
 */
export class ParseError extends PromQLError {
  constructor(
    readonly position: PositionRange,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super('bad_data', `${line}:${column}: parse error: ${reason}`);
    this.name = 'ParseError';
  }
}

/** locate turns a 0-based offset into a 1-based line and column. */
export function locate(query: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < query.length; i++) {
    if (query.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Limits exceeded while running a query use Prometheus's exact messages. */
export const ERR_TOO_MANY_SAMPLES = 'query processing would load too many samples into memory in query execution';
export const ERR_TIMEOUT = 'query timed out in query execution';
