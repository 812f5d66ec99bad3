import { METRIC_NAME } from '../../model/labels.js';
import { Matcher } from '../../model/matcher.js';
import { parseMetricSelector } from '../../promql/parse.js';

/**
 * Synthetic series for generated rule tests: label sets that a set of PromQL selectors select
 * (and, optionally, one selector does not), found by trying candidate values against the
 * matchers. Regular expressions are sampled, not solved: a selector whose regex none of the
 * candidates satisfies makes synthesis fail, and the caller leaves that test out.
 */

/** SeriesLabels is a label set with `__name__`, in insertion order. */
export type SeriesLabels = Record<string, string>;

/** matchersOf parses a series selector into its matchers. */
export function matchersOf(selector: string): Matcher[] {
  return parseMetricSelector(selector);
}

/**
 * synthesize returns a label set selected by every matcher list in `all`, carrying `fixed` labels
 * (such as grouping labels, which may be constrained too), and not selected by `none` when given.
 */
export function synthesize(all: readonly (readonly Matcher[])[], fixed: Readonly<Record<string, string>>, none?: readonly Matcher[]): SeriesLabels | undefined {
  const must = all.flat();
  const names = [...new Set([METRIC_NAME, ...must.map((m) => m.name), ...Object.keys(fixed)])];
  const base: SeriesLabels = {};
  for (const name of names) {
    const v = valueFor(name, must, fixed[name]);
    if (v === undefined) return undefined;
    if (v !== '') base[name] = v;
  }
  if (none === undefined || !selects(none, base)) return base;
  // Break one matcher of `none` on a label the other selectors leave room for.
  for (const m of none) {
    for (const v of candidates(m.name, [...must.filter((x) => x.name === m.name), m], fixed[m.name])) {
      const constrained = must.filter((x) => x.name === m.name);
      if (constrained.every((x) => x.matches(v)) && !m.matches(v) && (fixed[m.name] === undefined || fixed[m.name] === v)) {
        const out = { ...base };
        if (v === '') delete out[m.name];
        else out[m.name] = v;
        if (!selects(none, out) && all.every((ms) => selects(ms, out))) return out;
      }
    }
  }
  return undefined;
}

/** selects says whether every matcher accepts the label set (an absent label is ""). */
export function selects(matchers: readonly Matcher[], labels: SeriesLabels): boolean {
  return matchers.every((m) => m.matches(labels[m.name] ?? ''));
}

function valueFor(name: string, must: readonly Matcher[], fixed: string | undefined): string | undefined {
  const ms = must.filter((m) => m.name === name);
  for (const v of candidates(name, ms, fixed)) if (ms.every((m) => m.matches(v))) return v;
  return undefined;
}

/** candidates lists values to try for a label: a fixed value only, or values drawn from the matchers. */
function candidates(name: string, ms: readonly Matcher[], fixed: string | undefined): string[] {
  if (fixed !== undefined) return [fixed];
  const out: string[] = [];
  for (const m of ms) {
    if (m.type === '=') out.push(m.value);
    if (m.type === '=~' && m.setMatches !== undefined) out.push(...m.setMatches);
  }
  // A neutral value, values that fail common matchers (code=~"5..", status!="ok"), then samples
  // of the regular expressions; "" drops the label.
  out.push(name === 'le' ? '+Inf' : 'vigil', '200', 'ok', 'stop', '0', 'x');
  for (const m of ms) if (m.type === '=~' || m.type === '!~') out.push(...sampleRegex(m.value));
  out.push('');
  return [...new Set(out)];
}

/**
 * sampleRegex draws strings a simple regular expression likely matches: each top-level
 * alternative with groups, anchors and quantifiers dropped, `.` and `\d` as 0, a class as its
 * first member.
 */
export function sampleRegex(source: string): string[] {
  const alternatives = splitTopLevel(source.replace(/^\^|\$$/g, ''));
  return alternatives.map((a) =>
    a
      .replace(/\\d/g, '0')
      .replace(/\\w/g, 'a')
      .replace(/\[\^?([^\]\\])[^\]]*\]/g, '$1')
      .replace(/\\(.)/g, '\u0000$1')
      .replace(/[()?*]/g, '')
      .replace(/\+/g, '')
      .replace(/\{\d+(,\d*)?\}/g, '')
      .replace(/\./g, '0')
      .replace(/\u0000(.)/g, '$1')
      .replace(/\|.*$/, ''),
  );
}

function splitTopLevel(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  // An alternation inside one group, (a|b), offers its branches too.
  const inner = /^\(([^()]*)\)$/.exec(source);
  if (inner !== null) out.push(...inner[1]!.split('|'));
  return out;
}

/** seriesText renders a label set as a promtool `series:` string: `name{a="x", b="y"}`. */
export function seriesText(labels: SeriesLabels): string {
  const name = labels[METRIC_NAME] ?? '';
  const rest = Object.entries(labels).filter(([k]) => k !== METRIC_NAME);
  return rest.length === 0 ? name : `${name}{${rest.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}
