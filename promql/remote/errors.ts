/**
 * RemoteErrorCode names why a request to a remote Prometheus-compatible API failed. The codes are
 * stable (logs and tests match on them); every code vigil's remote client raises is listed here.
 */
export type RemoteErrorCode =
  /** the connection failed (refused, reset, DNS): the store is down or unreachable */
  | 'unreachable'
  /** no response within the configured timeout */
  | 'timeout'
  /** an HTTP status that is not a success, with Prometheus's errorType and error when the body had them */
  | 'http_status'
  /** a 2xx response whose body is not the API's JSON envelope, or a result of an unexpected type */
  | 'bad_response'
  /** the query ran and failed (Prometheus's `status: "error"`: bad_data, execution, timeout, ...) */
  | 'query_error';

/**
 * RemoteError is one failed request, after every retry. `retryable` says whether trying again
 * later may help (the store down, a 5xx, a 429), as opposed to a query the store rejects (a 400 or
 * 422). Messages name the endpoint without credentials and never carry a header value.
 */
export class RemoteError extends Error {
  constructor(
    readonly code: RemoteErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

/** redactURL renders a URL for logs and errors: no user info, no query string. */
export function redactURL(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
