import { FuncError, type TemplateFunc } from '../../rules/template/functions.js';
import { formatTime } from '../../rules/template/gotime.js';
import { GoMap, GoTime, type GoValue, typeName } from '../../rules/template/value.js';
import { stringList, strings } from './template-data.js';

/**
 * alertmanagerFunctions are the template functions Alertmanager adds (template.DefaultFuncs) that
 * Prometheus's set lacks; toUpper, toLower, title, match, reReplaceAll and safeHtml come from
 * Prometheus's, which behave the same. `tz` and `since` are not here: vigil's time values are UTC
 * only, and a template has no clock.
 *
 * silenceURL is vigil's: the Alertmanager UI link that opens a new silence for a label set.
 */
export function alertmanagerFunctions(): Map<string, TemplateFunc> {
  return new Map<string, TemplateFunc>([
    // join is strings.Join with the separator first, for pipelines: {{ .Values | join ", " }}.
    ['join', { params: ['string', 'any'], call: ([sep, list]) => stringList(list, 'join').join(sep as string) }],
    ['stringSlice', { params: [], variadic: 'string', call: (args) => strings(args as string[]) }],
    ['trimSpace', { params: ['string'], call: ([s]) => (s as string).trim() }],
    ['date', { params: ['string', 'any'], call: ([layout, t]) => formatTime(timeArg(t, 'date'), layout as string) }],
    ['silenceURL', { params: ['string', 'any'], call: ([externalURL, labels]) => silenceURL(externalURL as string, labelsArg(labels)) }],
  ]);
}

function timeArg(v: GoValue, fn: string): GoTime {
  if (v instanceof GoTime) return v;
  throw new FuncError(`${fn}: wrong type for value; expected time.Time; got ${v === null || v === undefined ? '<nil>' : typeName(v)}`);
}

function labelsArg(v: GoValue): Record<string, string> {
  if (v instanceof GoMap) {
    const out: Record<string, string> = {};
    for (const [k, x] of v.entries) if (typeof x === 'string') out[k] = x;
    return out;
  }
  throw new FuncError(`silenceURL: wrong type for value; expected template.KV; got ${v === null || v === undefined ? '<nil>' : typeName(v)}`);
}

/**
 * silenceURL is `<externalURL>/#/silences/new?filter={a="x",b="y"}` (URL-encoded), the link
 * Alertmanager's UI opens a silence form from, with one equality matcher per label.
 */
export function silenceURL(externalURL: string, labels: Readonly<Record<string, string>>): string {
  const matchers = Object.keys(labels)
    .sort()
    .map((n) => `${n}=${JSON.stringify(labels[n])}`)
    .join(',');
  return `${externalURL}/#/silences/new?filter=${encodeURIComponent(`{${matchers}}`)}`;
}
