import { PromQLError } from '../errors.js';
import { goQuote } from '../strings.js';

/**
 * ApiErrorType is the `errorType` of Prometheus's HTTP API error envelope. Each maps to one HTTP
 * status (httpStatus), as in Prometheus 3's web/api/v1 respondError.
 */
export type ApiErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal' | 'unavailable' | 'not_found';

/** ApiError is a request the API answers with `{"status":"error","errorType":...,"error":...}`. */
export class ApiError extends Error {
  constructor(
    readonly type: ApiErrorType,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

/**
 * httpStatus is Prometheus 3's status for each errorType: 400 bad_data, 422 execution,
 * 499 canceled (the client went away; nginx's code), 503 timeout and unavailable, 404 not_found,
 * 500 for the rest.
 */
export function httpStatus(type: ApiErrorType): number {
  switch (type) {
    case 'bad_data':
      return 400;
    case 'execution':
      return 422;
    case 'canceled':
      return 499;
    case 'timeout':
    case 'unavailable':
      return 503;
    case 'not_found':
      return 404;
    case 'internal':
      return 500;
  }
}

/** invalidParam words a bad parameter as Prometheus does: `invalid parameter "step": <reason>`. */
export function invalidParam(name: string, reason: string): ApiError {
  return new ApiError('bad_data', `invalid parameter ${goQuote(name)}: ${reason}`);
}

/**
 * fromEngineError maps what the engine threw to the API's error, as Prometheus's query handlers
 * do: a query that does not parse or type-check (PromQLError 'bad_data', raised before anything
 * runs) is `invalid parameter "query": ...`; 'execution', 'timeout' and 'canceled' keep their type;
 * 'unsupported' (what vigil deliberately does not do, such as native histograms) is bad_data, since
 * asking again cannot help; anything else (a store failure, a bug) is internal.
 */
export function fromEngineError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof PromQLError) {
    switch (err.type) {
      case 'bad_data':
        return invalidParam('query', err.message);
      case 'unsupported':
        return new ApiError('bad_data', err.message);
      case 'execution':
      case 'timeout':
      case 'canceled':
        return new ApiError(err.type, err.message);
    }
  }
  return new ApiError('internal', err instanceof Error ? err.message : String(err), { cause: err });
}

export { goQuote };
