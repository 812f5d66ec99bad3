import type { SLI } from '../model.js';
import { dur, str, sumBy, withWindow } from './promql.js';

/**
 * SLI expressions over a raw range: what the compiler records as the 5m base rates, and what
 * `optimize: exact` uses for every window. Each SLI kind says how its bad and total events are
 * counted; everything after the base rates is the same for all kinds.
 */

/** EventSLIExprs computes per-second error and total event rates over a window, per grouping. */
export interface EventSLIExprs {
  readonly kind: 'events';
  errors(windowMs: number): string;
  total(windowMs: number): string;
}

/** RatioSLIExprs computes an error ratio directly: the raw SLI, which has no event counts. */
export interface RatioSLIExprs {
  readonly kind: 'ratio';
  errorRatio(windowMs: number): string;
}

export type SLIExprs = EventSLIExprs | RatioSLIExprs;

/**
 * sliExprs builds the expressions for an SLI.
 *
 * A missing error series means no errors, not no data: `errors or 0 * total` yields 0 where the
 * error counter was never created (Sloth's rules return nothing there, so its SLO reads as met
 * without data). With a good selector, errors are total minus good, clamped at 0 because the two
 * rates are extrapolated separately and can cross by a hair.
 */
export function sliExprs(sli: SLI, grouping: readonly string[]): SLIExprs {
  switch (sli.kind) {
    case 'events': {
      const total = (w: number): string => sumBy(grouping, `rate(${sli.total}[${dur(w)}])`);
      if (sli.error !== undefined) {
        const error = sli.error;
        return { kind: 'events', total, errors: (w) => `${sumBy(grouping, `rate(${error}[${dur(w)}])`)} or 0 * ${total(w)}` };
      }
      const good = sli.good ?? '';
      return { kind: 'events', total, errors: (w) => goodToErrors(total(w), sumBy(grouping, `rate(${good}[${dur(w)}])`)) };
    }
    case 'latency': {
      const { name, matchers } = splitSelector(sli.histogram);
      const count = `${name}_count${matchers.length === 0 ? '' : `{${matchers}}`}`;
      const bucket = `${name}_bucket{${matchers.length === 0 ? '' : matchers + ', '}${leMatcher(sli.thresholdSeconds)}}`;
      const total = (w: number): string => sumBy(grouping, `rate(${count}[${dur(w)}])`);
      return { kind: 'events', total, errors: (w) => goodToErrors(total(w), sumBy(grouping, `rate(${bucket}[${dur(w)}])`)) };
    }
    case 'query': {
      const total = (w: number): string => withWindow(sli.totalQuery, w).trim();
      return { kind: 'events', total, errors: (w) => `(${withWindow(sli.errorQuery, w).trim()}) or 0 * (${total(w)})` };
    }
    case 'raw':
      return { kind: 'ratio', errorRatio: (w) => withWindow(sli.errorRatio, w).trim() };
  }
}

function goodToErrors(total: string, good: string): string {
  return `clamp_min(${total} - (${good} or 0 * ${total}), 0)`;
}

/**
 * splitSelector splits `name{matchers}` into the metric name and the text between the braces, kept
 * as the user wrote it. The decoders have already checked that the text is a series selector.
 */
export function splitSelector(text: string): { name: string; matchers: string } {
  const t = text.trim();
  const brace = t.indexOf('{');
  if (brace < 0) return { name: t, matchers: '' };
  return { name: t.slice(0, brace).trim(), matchers: t.slice(brace + 1, t.lastIndexOf('}')).trim() };
}

/**
 * leMatcher selects the bucket whose upper bound is `seconds`. Client libraries disagree on how
 * they print whole numbers (Go writes `1`, Python `1.0`; Prometheus 3 normalises to `1`), so a whole
 * number matches both spellings.
 */
export function leMatcher(seconds: number): string {
  const s = String(seconds);
  return Number.isInteger(seconds) ? `le=~${str(`${s}|${s}\\.0`)}` : `le=${str(s)}`;
}
