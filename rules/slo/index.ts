/**
 * The SLO compiler's public surface: the SLO document formats (registered with the rule-file
 * kinds registry by ./kinds.ts), the compiler, the windows, and the names of the series it records.
 */
export { compileSLO, compileSLOs, SLO_GROUP_INTERVAL_MS, sloGroupName } from './compile.js';
export { SLOCompileError } from './errors.js';
export type { SLOCompileErrorCode } from './errors.js';
export { DEFAULT_ALERT_NAME } from './alerts.js';
export { decodeVigilSLO, vigilSLOKind, DEFAULT_NO_DATA_FOR_MS, DEFAULT_WINDOW_MS } from './vigil.js';
export { decodeSlothResource, decodeSlothSpec, slothResourceKind, slothSpecKind } from './sloth.js';
export { decodeOpenSLOv1, decodeOpenSLOv1alpha, openSLOv1alphaKind, openSLOv1Kind } from './openslo.js';
export {
  budgetPercentFor,
  burnRateFactor,
  defaultWindows,
  errorBudget,
  GOOGLE_30D,
  KEEP_WINDOWS_FROM_MS,
  MIN_WINDOW_MS,
  periodMs,
} from './windows.js';
export type { AlertWindows } from './windows.js';
export {
  CURRENT_BURN_RATE,
  ERROR_BUDGET,
  errorRatio,
  ERRORS_RATE5M,
  OBJECTIVE,
  PERIOD_BUDGET_REMAINING,
  PERIOD_BURN_RATE,
  RESERVED_LABELS,
  SERVICE_LABEL,
  SLO_INFO,
  SLO_LABEL,
  TIME_PERIOD_DAYS,
  TOTAL_RATE5M,
  WINDOW_LABEL,
} from './series.js';
