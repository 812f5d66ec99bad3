import type { RecordingRule, SLO } from '../model.js';
import { dur, num } from './promql.js';
import { ERRORS_RATE5M, errorRatio, of, seriesLabels, TOTAL_RATE5M, WINDOW_LABEL } from './series.js';
import type { SLIExprs } from './sli.js';
import { MIN_WINDOW_MS } from './windows.js';

/**
 * The error ratio per window, event-weighted.
 *
 * `optimize: chained` (the default) records the 5m error and total rates once and builds every
 * longer window from those recordings, so a window costs about one sample per minute of it
 * instead of every raw sample of every series. The window is a ratio of sums, never an average of
 * 5m ratios:
 *
 *   K(x, W) = sum_over_time(x[W-4m:1m]) + 2 * x + (2 * x offset (W-5m) or 0 * x)
 *   ratio_W = K(errors5m, W) / K(total5m, W)
 *
 * Why this shape: a 5m rate taken every minute covers the five minutes before it, so the steps
 * of a `[W:1m]` subquery count every minute five times, except for ramps of weight 1,2,3,4 over
 * the newest minutes and 4,3,2,1 past the oldest, which would make a step change show late and
 * keep an ended incident in the window for minutes after it left. Ending the subquery 4m short
 * of W and adding the newest and the oldest 5m rate twice gives the minutes of the window the
 * weights 3,4,5,6,7, 5, 5, ..., 5, 7,6,5,4,3 (newest to oldest) and nothing outside it: every
 * event in the window counts five times once it is 5m from either edge, a step change shows from
 * the first minute, and the window is exactly W long. (Promtool 2.42's closed ranges take one
 * step more, a 1m sliver past W.) The `or 0 * x` keeps the window defined before W of history.
 *
 * A `[W:5m]` subquery would be cheaper, but its steps are aligned to multiples of 5m since the
 * epoch, so the newest 0-5m would be missing: a total outage would page up to 5m late and the 10x
 * burn through the 6h tier would fire on a 5m grid instead of at 3h36m. The SLO period (30d),
 * which only feeds the budget series, does use `[P:5m]` steps. The 1m steps assume the group is
 * evaluated every minute (compiled SLO groups set `interval: 1m`).
 *
 * `optimize: exact` computes each window from the raw series (`rate(x[6h])`), as Sloth does for
 * windows up to 3d. The raw SLI (an error-ratio expression) has no event counts, so its chained
 * windows can only average its 5m ratio over time, with the same kernel; `exact` fills the
 * window into its `{{.window}}` instead.
 */

const MINUTE = 60_000;

/** chainedSum is the kernel K above for one recorded 5m series over window W, in units of its rate × 1m. */
export function chainedSum(series: string, windowMs: number): string {
  if (windowMs <= MIN_WINDOW_MS) return `5 * ${series}`;
  return `sum_over_time(${series}[${dur(windowMs - 4 * MINUTE)}:1m]) + 2 * ${series} + (2 * ${series} offset ${dur(windowMs - MIN_WINDOW_MS)} or 0 * ${series})`;
}

/** chainedEvents is the number of events in the window from the recorded 5m total rate. */
export function chainedEvents(totalSeries: string, windowMs: number): string {
  return `(${chainedSum(totalSeries, windowMs)}) * 60`;
}

/**
 * ratioRules records `slo:sli_error:ratio_rate<W>` for each window (ascending, 5m first) and the
 * period. The 5m window is the base rates' ratio; alert windows use the kernel; the period, when
 * it is not an alert window, sums 5m steps.
 */
export function ratioRules(slo: SLO, exprs: SLIExprs, alertWindows: readonly number[], period: number): RecordingRule[] {
  const labels = (w: number): Record<string, string> => ({ ...seriesLabels(slo), [WINDOW_LABEL]: dur(w) });
  const windows = [...new Set([MIN_WINDOW_MS, ...alertWindows])].sort((a, b) => a - b);
  const rules: RecordingRule[] = windows.map((w) => ({ kind: 'recording', record: errorRatio(w), expr: windowRatio(slo, exprs, w, false), labels: labels(w) }));
  if (!windows.includes(period)) {
    rules.push({ kind: 'recording', record: errorRatio(period), expr: windowRatio(slo, exprs, period, true), labels: labels(period) });
  }
  return rules;
}

function windowRatio(slo: SLO, exprs: SLIExprs, w: number, isPeriod: boolean): string {
  const errors = of(ERRORS_RATE5M, slo);
  const total = of(TOTAL_RATE5M, slo);
  const base5m = of(errorRatio(MIN_WINDOW_MS), slo);
  if (exprs.kind === 'ratio') {
    if (w === MIN_WINDOW_MS) return exprs.errorRatio(w);
    if (slo.optimize === 'exact') return exprs.errorRatio(w);
    if (isPeriod) return `avg_over_time(${base5m}[${dur(w)}:5m])`;
    return `(${chainedSum(base5m, w)}) / ${num(w / MINUTE)}`;
  }
  if (w === MIN_WINDOW_MS) return `${errors}\n/\n${total}`;
  if (slo.optimize === 'exact') return `(\n  ${exprs.errors(w)}\n)\n/\n(\n  ${exprs.total(w)}\n)`;
  if (isPeriod) return `sum_over_time(${errors}[${dur(w)}:5m])\n/\nsum_over_time(${total}[${dur(w)}:5m])`;
  return `(${chainedSum(errors, w)})\n/\n(${chainedSum(total, w)})`;
}
