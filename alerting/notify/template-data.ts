import type { TemplateFunc } from '../../rules/template/functions.js';
import { FuncError } from '../../rules/template/functions.js';
import { GoMap, GoSlice, GoStruct, GoTime, type GoValue, typeName } from '../../rules/template/value.js';
import type { TemplateAlert, TemplateData } from './data.js';

/**
 * The Go types of Alertmanager's template data (package template), so that `{{ . }}` prints and
 * `{{ .GroupLabels.SortedPairs.Values }}` reads as in Alertmanager. Field order is Go's, since
 * `{{ . }}` prints a struct's fields in declaration order.
 */
const DATA_TYPE = 'template.Data';
const ALERT_TYPE = 'template.Alert';
const ALERTS_TYPE = 'template.Alerts';
const PAIR_TYPE = 'template.Pair';
const PAIRS_TYPE = 'template.Pairs';
const STRINGS_TYPE = '[]string';

/** ALERTNAME sorts first in SortedPairs, as in Alertmanager. */
const ALERTNAME = 'alertname';

/**
 * goTemplateData is TemplateData as the template engine's value of Alertmanager's template.Data:
 * `.Alerts` has the methods Firing and Resolved; every label and annotation map is a template.KV
 * with SortedPairs, Names, Values and Remove. Times are time.Time (the zero time when unset).
 * GroupKey is not part of it, as in Alertmanager.
 */
export function goTemplateData(d: TemplateData): GoStruct {
  return new GoStruct(
    DATA_TYPE,
    new Map<string, GoValue>([
      ['Receiver', d.receiver],
      ['Status', d.status],
      ['Alerts', alertsValue(d.alerts.map(alertValue))],
      ['GroupLabels', kv(d.groupLabels)],
      ['CommonLabels', kv(d.commonLabels)],
      ['CommonAnnotations', kv(d.commonAnnotations)],
      ['ExternalURL', d.externalURL],
    ]),
    false,
  );
}

function alertValue(a: TemplateAlert): GoStruct {
  return new GoStruct(
    ALERT_TYPE,
    new Map<string, GoValue>([
      ['Status', a.status],
      ['Labels', kv(a.labels)],
      ['Annotations', kv(a.annotations)],
      ['StartsAt', goTime(a.startsAt)],
      ['EndsAt', goTime(a.endsAt)],
      ['GeneratorURL', a.generatorURL],
      ['Fingerprint', a.fingerprint],
    ]),
    false,
  );
}

/** goTime reads an RFC 3339 time of the payload; Date keeps ms, the nanoseconds beyond are kept too. */
function goTime(rfc3339: string): GoTime {
  const ms = Date.parse(rfc3339);
  if (Number.isNaN(ms)) throw new Error(`template data: ${JSON.stringify(rfc3339)} is not an RFC 3339 time`);
  const frac = /\.(\d+)/.exec(rfc3339)?.[1] ?? '';
  const ns = Number(frac.padEnd(9, '0').slice(3, 9));
  return new GoTime(ms, ns, false);
}

function method(params: TemplateFunc['params'], call: TemplateFunc['call']): TemplateFunc {
  return { params, call };
}

function alertsValue(items: GoStruct[]): GoSlice {
  const byStatus = (status: string) => alertsValue(items.filter((a) => a.fields.get('Status') === status));
  return new GoSlice(
    items,
    ALERTS_TYPE,
    new Map([
      ['Firing', method([], () => byStatus('firing'))],
      ['Resolved', method([], () => byStatus('resolved'))],
    ]),
  );
}

/** sortedNames is the order of SortedPairs: alertname first, the rest by name (byte order). */
function sortedNames(r: Readonly<Record<string, string>>): string[] {
  const names = Object.keys(r).filter((n) => n !== ALERTNAME);
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ALERTNAME in r ? [ALERTNAME, ...names] : names;
}

/** kv is Alertmanager's template.KV: a map[string]string with its methods. */
export function kv(r: Readonly<Record<string, string>>): GoMap {
  const pairs = () => {
    const names = sortedNames(r);
    return pairsValue(names.map((n) => [n, r[n]!] as const));
  };
  const entries = new Map(Object.keys(r).sort().map((n) => [n, r[n]!] as const));
  return new GoMap(
    entries,
    'string',
    new Map([
      ['SortedPairs', method([], pairs)],
      ['Names', method([], () => strings(sortedNames(r)))],
      ['Values', method([], () => strings(sortedNames(r).map((n) => r[n]!)))],
      [
        'Remove',
        method(['any'], ([keys]) => {
          const drop = new Set(stringList(keys, 'Remove'));
          return kv(Object.fromEntries(Object.entries(r).filter(([n]) => !drop.has(n))));
        }),
      ],
    ]),
  );
}

function pairsValue(pairs: readonly (readonly [string, string])[]): GoSlice {
  const items = pairs.map(
    ([name, value]) =>
      new GoStruct(
        PAIR_TYPE,
        new Map<string, GoValue>([
          ['Name', name],
          ['Value', value],
        ]),
        false,
      ),
  );
  return new GoSlice(
    items,
    PAIRS_TYPE,
    new Map([
      ['Names', method([], () => strings(pairs.map((p) => p[0])))],
      ['Values', method([], () => strings(pairs.map((p) => p[1])))],
    ]),
  );
}

/** strings makes a Go []string. */
export function strings(items: readonly string[]): GoSlice {
  return new GoSlice([...items], STRINGS_TYPE);
}

/**
 * stringList reads a Go []string argument. Go would refuse any other type when calling; the
 * message follows Go's wording.
 */
export function stringList(v: GoValue, fn: string): string[] {
  if (v instanceof GoSlice && v.items.every((x) => typeof x === 'string')) return v.items as string[];
  throw new FuncError(`${fn}: wrong type for value; expected []string; got ${v === null || v === undefined ? '<nil>' : typeName(v)}`);
}
