import type { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import { labelsJSON } from './encode.js';
import { ApiError, goQuote, invalidParam } from './errors.js';
import type { Form } from './form.js';
import { MAX_TIME_MS, MIN_TIME_MS, parseLimit, parseTimeParam } from './params.js';
import type { QueryAPIOptions, Reply } from './types.js';

const TRUNCATED = 'results truncated due to limit';
/** What PromQL parsers say of `{a=""}` as an expression. */
const EMPTY_SELECTOR = 'vector selector must contain at least one non-empty matcher';

function param<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw invalidParam(name, (err as Error).message);
  }
}

/** readRange reads the optional `start` and `end` (Prometheus's MinTime and MaxTime when absent). */
function readRange(form: Form): { start: number; end: number } {
  const start = param('start', () => parseTimeParam(form.value('start'), 'start', MIN_TIME_MS));
  const end = param('end', () => parseTimeParam(form.value('end'), 'end', MAX_TIME_MS));
  return { start, end };
}

/**
 * matcherSets parses every `match[]` and then checks that each set has a matcher that does not
 * match the empty string, as Prometheus's parseMatchersParam does. Errors are bare bad_data
 * messages; /series wraps them as `invalid parameter "match[]"`, the label endpoints do not.
 *
 * Prometheus's ParseMetricSelector does not check for a non-empty matcher (the API does, after
 * parsing them all); a selector parser that refuses such a selector as an expression would is
 * taken to have read one, so the request gets Prometheus's answer.
 */
function matcherSets(form: Form, opts: QueryAPIOptions): Matcher[][] {
  const sets: Matcher[][] = [];
  let allEmpty = false;
  for (const text of form.values('match[]')) {
    try {
      sets.push(opts.parseMetricSelector(text));
    } catch (err) {
      const message = (err as Error).message;
      if (message.endsWith(EMPTY_SELECTOR)) allEmpty = true;
      else throw new ApiError('bad_data', message);
    }
  }
  if (allEmpty || sets.some((set) => set.every((m) => m.matchesEmpty))) {
    throw new ApiError('bad_data', 'match[] must contain at least one non-empty matcher');
  }
  return sets;
}

/** stringList writes a list of strings as a JSON array, truncated to `limit` (> 0) with a warning. */
function stringList(values: string[], limit: number): Reply {
  if (limit > 0 && values.length > limit) return { data: JSON.stringify(values.slice(0, limit)), warnings: [TRUNCATED] };
  return { data: JSON.stringify(values) };
}

/**
 * series serves `/api/v1/series`: the label sets of the series matching any `match[]` (required)
 * between `start` and `end`, sorted and without duplicates; `limit` keeps the first N.
 */
export function series(form: Form, opts: QueryAPIOptions): Reply {
  if (form.values('match[]').length === 0) throw new ApiError('bad_data', 'no match[] parameter provided');
  const limit = param('limit', () => parseLimit(form.value('limit')));
  const { start, end } = readRange(form);
  let sets: Matcher[][];
  try {
    sets = matcherSets(form, opts);
  } catch (err) {
    throw invalidParam('match[]', (err as Error).message);
  }
  const querier = opts.queryable.querier(start, end);
  let found: Labels[];
  if (sets.length === 1) {
    found = querier.select(sets[0]!).map((s) => s.labels);
  } else {
    const byKey = new Map<string, Labels>();
    for (const set of sets) for (const s of querier.select(set)) byKey.set(s.labels.key, s.labels);
    found = [...byKey.values()].sort((a, b) => a.compare(b));
  }
  let warnings: string[] | undefined;
  if (limit > 0 && found.length > limit) {
    found = found.slice(0, limit);
    warnings = [TRUNCATED];
  }
  const data = `[${found.map((l) => labelsJSON(l)).join(',')}]`;
  return warnings === undefined ? { data } : { data, warnings };
}

/** labelNames serves `/api/v1/labels`: label names of the series matching any `match[]` (all series without). */
export function labelNames(form: Form, opts: QueryAPIOptions): Reply {
  const limit = param('limit', () => parseLimit(form.value('limit')));
  const { start, end } = readRange(form);
  const sets = matcherSets(form, opts);
  const querier = opts.queryable.querier(start, end);
  if (sets.length <= 1) return stringList(querier.labelNames(sets[0] ?? []), limit);
  const names = new Set<string>();
  for (const set of sets) for (const n of querier.labelNames(set)) names.add(n);
  return stringList([...names].sort(), limit);
}

/**
 * labelValues serves `/api/v1/label/<name>/values`. The name may be written in Prometheus 3's
 * `U__` escaping (for names that are not classic identifiers); any non-empty UTF-8 name is valid.
 */
export function labelValues(rawName: string, form: Form, opts: QueryAPIOptions): Reply {
  const name = rawName.startsWith('U__') ? unescapeName(rawName) : rawName;
  if (name === '') throw new ApiError('bad_data', `invalid label name: ${goQuote(name)}`);
  const limit = param('limit', () => parseLimit(form.value('limit')));
  const { start, end } = readRange(form);
  const sets = matcherSets(form, opts);
  const querier = opts.queryable.querier(start, end);
  if (sets.length <= 1) return stringList(querier.labelValues(name, sets[0] ?? []), limit);
  const values = new Set<string>();
  for (const set of sets) for (const v of querier.labelValues(name, set)) values.add(v);
  return stringList([...values].sort(), limit);
}

/**
 * unescapeName undoes Prometheus's "value encoding" escaping: after `U__`, `__` is `_` and
 * `_<hex>_` is the code point <hex>. A malformed name is returned unchanged, as Prometheus does.
 */
export function unescapeName(name: string): string {
  const s = name.slice(3);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '_') {
      out += s[i];
      continue;
    }
    i++;
    if (i >= s.length) return name;
    if (s[i] === '_') {
      out += '_';
      continue;
    }
    const m = /^([0-9a-fA-F]{1,6})_/.exec(s.slice(i));
    if (m === null) return name;
    const cp = parseInt(m[1]!, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return name;
    out += String.fromCodePoint(cp);
    i += m[0].length - 1;
  }
  return out;
}
