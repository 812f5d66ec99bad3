/**
 * SilenceErrorCode lists every way a silence operation fails; the API maps each to one status.
 * - `invalid`: the silence breaks a rule (no matcher, matchers that all match "", a bad label
 *   name or regex, times in the wrong order or in the past): 400.
 * - `not_found`: no silence has the given id (it never existed or was garbage-collected): 404.
 * - `corrupt`: a stored row cannot be read back; the message names the row and the reason.
 */
export type SilenceErrorCode = 'invalid' | 'not_found' | 'corrupt';

/** SilenceError is a failed silence operation; `message` says what is wrong in Alertmanager's words. */
export class SilenceError extends Error {
  constructor(
    readonly code: SilenceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SilenceError';
  }
}
