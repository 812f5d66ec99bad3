/**
 * SLOCompileError is an SLO the compiler cannot turn into rules. Codes are stable (scripts and
 * tests match on them); every code the SLO compiler throws is listed here.
 *
 * - `duplicate-slo`: two SLOs with the same service and name.
 * - `bad-window`: an alert window that is not a whole number of minutes ≥ 5m, or a short window
 *   not shorter than its long window.
 * - `bad-objective`: an objective outside (0, 100).
 * - `exact-needs-window`: `optimize: exact` on a raw SLI whose query has no `{{.window}}`.
 *
 * Problems in rule files are reported by the decoders with file:line:column before the compiler
 * runs; these errors are for SLOs built in code and for conflicts between files.
 */
export type SLOCompileErrorCode = 'duplicate-slo' | 'bad-window' | 'bad-objective' | 'exact-needs-window';

export class SLOCompileError extends Error {
  constructor(
    readonly code: SLOCompileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SLOCompileError';
  }
}
