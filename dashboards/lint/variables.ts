/**
 * Grafana's template variables in dashboard text: `$name`, `${name}`, `${name:format}` and the
 * deprecated `[[name]]` / `[[name:format]]`, the forms Grafana's TemplateSrv interpolates.
 */
const REFERENCE = /\$(\w+)|\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::\w+)?\]\]/g;

/** BUILTIN_VARIABLES are Grafana's global variables, always defined. */
export const BUILTIN_VARIABLES: ReadonlySet<string> = new Set([
  '__interval',
  '__interval_ms',
  '__rate_interval',
  '__rate_interval_ms',
  '__range',
  '__range_s',
  '__range_ms',
  '__from',
  '__to',
  '__now',
  '__auto',
  '__dashboard',
  '__org',
  '__user',
  '__name',
  '__timezone',
  '__timeFilter',
  '__all',
]);

/**
 * variableReferences lists the variable names a text refers to, in order. `$1` and other
 * all-digit names are regex capture references (label_replace), not variables.
 */
export function variableReferences(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(REFERENCE)) {
    const name = m[1] ?? m[2] ?? m[3] ?? '';
    if (!/^\d+$/.test(name)) names.push(name);
  }
  return names;
}

/** Substitutions are the values variables take: the name (without `$`) to its text. */
export type Substitutions = ReadonlyMap<string, string>;

/**
 * substitute replaces every variable a text refers to by its value, leaving references it has no
 * value for as they are (so the PromQL parser reports them where they stand).
 */
export function substitute(text: string, values: Substitutions): string {
  return text.replace(REFERENCE, (whole, a: string | undefined, b: string | undefined, c: string | undefined) => values.get(a ?? b ?? c ?? '') ?? whole);
}

/** TimeSettings are what Grafana's time-dependent globals stand for when a query is checked or run. */
export interface TimeSettings {
  /** rateInterval is `$__rate_interval` as a PromQL duration. */
  readonly rateInterval: string;
  readonly intervalMs: number;
  readonly rangeMs: number;
  /** end is the query's evaluation time (ms); `$__from` is end − range. */
  readonly end: number;
}

export const DEFAULT_TIME: TimeSettings = { rateInterval: '5m', intervalMs: 60_000, rangeMs: 3_600_000, end: 0 };

/** VariableModel is the part of a classic dashboard variable that decides its value. */
export interface VariableModel {
  readonly name: string;
  readonly type: string;
  readonly query?: unknown;
  readonly includeAll?: boolean;
  readonly allValue?: string;
  readonly current?: { readonly value?: unknown };
  readonly options?: readonly { readonly value?: unknown }[];
}

function durationText(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function firstString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

/**
 * substitutions are the values a dashboard's queries are checked and run with: the time globals,
 * and for each variable what a fresh load of the dashboard shows. "All" is its allValue (a
 * regex such as `.*`; `.*` when none is set, as a Prometheus data source expands "All" to every
 * value, which `.*` matches); a constant is its value; otherwise the current or first option.
 */
export function substitutions(variables: readonly VariableModel[], time: TimeSettings = DEFAULT_TIME): Map<string, string> {
  const values = new Map<string, string>([
    ['__rate_interval', time.rateInterval],
    ['__interval', durationText(time.intervalMs)],
    ['__interval_ms', String(time.intervalMs)],
    ['__range', durationText(time.rangeMs)],
    ['__range_s', String(Math.floor(time.rangeMs / 1000))],
    ['__range_ms', String(time.rangeMs)],
    ['__from', String(time.end - time.rangeMs)],
    ['__to', String(time.end)],
    ['__auto', durationText(time.intervalMs)],
  ]);
  for (const v of variables) {
    let value: string | undefined;
    if (v.type === 'constant' || v.type === 'textbox') value = typeof v.query === 'string' ? v.query : undefined;
    else if (v.type === 'datasource') value = 'prometheus';
    else {
      const current = firstString(v.current?.value);
      if (current === '$__all' || (current === undefined && v.includeAll === true)) value = v.allValue ?? '.*';
      else value = current ?? firstString(v.options?.[0]?.value);
    }
    values.set(v.name, value ?? '');
  }
  return values;
}
