import { PromQLError } from '../errors.js';

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

/**
 * goQuote quotes like Go's %q (strconv.Quote), which Prometheus uses in its messages: escapes for
 * `"`, `\` and control characters, printable Unicode kept as it is.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd'; // a lone surrogate has no UTF-8 form
    else out += ch;
  }
  return out + '"';
}
