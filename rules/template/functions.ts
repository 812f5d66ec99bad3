import { isIP } from 'node:net';
import { goQueryEscape, graphLinkForExpression, tableLinkForExpression } from '../eval/notify.js';
import type { QueryFn } from '../model.js';
import { formatFloat } from './gofloat.js';
import { sprint, sprintf, sprintln } from './gofmt.js';
import { compileGoRegexp, replaceAllString } from './goregexp.js';
import { timeFromSeconds } from './gotime.js';
import { GoDuration, GoHTML, GoInt, GoMap, GoSlice, GoStruct, GoTime, type GoValue, stringMap, truth, typeName } from './value.js';

/**
 * ParamType is a Go parameter type as far as argument checking goes: `any` is interface{} (and
 * the builtins' reflect.Value), the others must match the argument's Go type.
 */
export type ParamType = 'any' | 'string' | 'float64' | 'int' | 'bool' | 'template.queryResult' | '*template.sample';

/** FuncError is an error a template function returns; the executor reports `error calling NAME: MESSAGE`. */
export class FuncError extends Error {}

/** TemplateFunc is one function a template may call, with its Go signature. */
export interface TemplateFunc {
  readonly params: readonly ParamType[];
  /** variadic is the element type of a final `...T` parameter. */
  readonly variadic?: ParamType;
  call(args: GoValue[]): GoValue | Promise<GoValue>;
}

/** FuncEnv is what Prometheus's functions need from the expansion: query, its time, and the external URL. */
export interface FuncEnv {
  readonly queryFn: QueryFn | undefined;
  readonly timestampMs: number;
  readonly externalURL: string;
}

export const QUERY_RESULT_TYPE = 'template.queryResult';
export const SAMPLE_TYPE = 'template.sample';

function fn(params: ParamType[], call: (args: GoValue[]) => GoValue | Promise<GoValue>, variadic?: ParamType): TemplateFunc {
  return variadic === undefined ? { params, call } : { params, variadic, call };
}

/** convertToFloat is prometheus/common's ConvertToFloat: float64, numeric strings, integers and durations (in seconds). */
export function convertToFloat(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return parseGoFloat(v);
  if (v instanceof GoInt) return v.v;
  if (v instanceof GoDuration && !v.pointer) return v.ns / 1e9;
  throw new FuncError(`can't convert ${v === null || v === undefined ? '<nil>' : typeName(v)} to float`);
}

/** parseGoFloat is strconv.ParseFloat(s, 64) with its error text. */
export function parseGoFloat(s: string): number {
  const body = s.replace(/^[+-]/, '');
  const sign = s.startsWith('-') ? -1 : 1;
  if (/^(inf|infinity)$/i.test(body)) return sign * Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) throw new FuncError(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: value out of range`);
    return v;
  }
  throw new FuncError(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
}

const SI_UP = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const SI_DOWN = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];
const g4 = (v: number) => formatFloat(v, 'g', 4);

/** humanize is Prometheus's humanize: SI prefixes, 4 significant digits. */
export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return g4(v);
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of SI_UP) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return g4(v) + prefix;
  }
  for (const p of SI_DOWN) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return g4(v) + prefix;
}

/** humanize1024 is Prometheus's humanize1024: binary prefixes (ki, Mi, ...). */
export function humanize1024(v: number): string {
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return g4(v);
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return g4(v) + prefix;
}

/** humanizeDuration is prometheus/common's HumanizeDuration: seconds as `1d 2h 3m 4s`, or with SI prefixes below a second. */
export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return g4(v);
  if (v === 0) return g4(v) + 's';
  if (Math.abs(v) >= 1) {
    let sign = '';
    if (v < 0) {
      sign = '-';
      v = -v;
    }
    const whole = Math.trunc(v);
    const seconds = whole % 60;
    const minutes = Math.trunc(whole / 60) % 60;
    const hours = Math.trunc(whole / 3600) % 24;
    const days = Math.trunc(whole / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${g4(v)}s`;
  }
  let prefix = '';
  for (const p of SI_DOWN) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${g4(v)}${prefix}s`;
}

/** splitHostPort is Go's net.SplitHostPort; undefined where Go returns an error. */
export function splitHostPort(hostport: string): { host: string; port: string } | undefined {
  const i = hostport.lastIndexOf(':');
  if (i < 0) return undefined;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === '[') {
    const end = hostport.indexOf(']');
    if (end < 0 || end + 1 === hostport.length || end + 1 !== i) return undefined;
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return undefined;
  }
  if (hostport.slice(j).includes('[') || hostport.slice(k).includes(']')) return undefined;
  return { host, port: hostport.slice(i + 1) };
}

function sample(labels: Readonly<Record<string, string>>, value: number): GoStruct {
  return new GoStruct(SAMPLE_TYPE, new Map<string, GoValue>([
    ['Labels', stringMap(labels)],
    ['Value', value],
  ]), true);
}

function sampleField(s: GoValue, field: 'Labels' | 'Value'): GoValue {
  return (s as GoStruct).fields.get(field);
}

/** floatToDuration and floatToTime are Prometheus's: NaN and Inf are errors, as are values past int64 nanoseconds. */
function floatToDuration(v: number): GoDuration {
  if (!Number.isFinite(v)) throw new FuncError('value is NaN or Inf');
  const ns = v * 1e9;
  if (ns > 9223372036854775807 || ns < -9223372036854775808) {
    throw new FuncError(`${formatFloat(v, 'g', -1)} cannot be represented as a nanoseconds timestamp since it overflows int64`);
  }
  return new GoDuration(Math.trunc(ns), true);
}

function floatToTime(v: number): GoTime {
  if (!Number.isFinite(v)) throw new FuncError('value is NaN or Inf');
  const t = timeFromSeconds(v, true);
  if (typeof t === 'string') throw new FuncError(t);
  return t;
}

/** parsePromDuration is Prometheus's model.ParseDuration, in seconds, with its error text. */
function parsePromDuration(s: string): number {
  if (s === '0') return 0;
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(s);
  if (s === '' || m === null) throw new FuncError(`not a valid duration string: ${JSON.stringify(s)}`);
  const units = [365 * 86400, 7 * 86400, 86400, 3600, 60, 1, 0.001];
  let ms = 0;
  units.forEach((u, i) => {
    if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * u * 1000;
  });
  return ms / 1000;
}

function queryUnescape(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new FuncError(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === '+') bytes.push(0x20);
    else bytes.push(...new TextEncoder().encode(c));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** title is Go's cases.Title(language.AmericanEnglish, cases.NoLower): each word's first letter upper-cased, the rest kept. */
function title(s: string): string {
  return s.replace(/(^|[^\p{L}\p{N}'’_])(\p{Ll})/gu, (_m, before: string, letter: string) => before + letter.toUpperCase());
}

/** prometheusFunctions are the functions of Prometheus's template/template.go. */
export function prometheusFunctions(env: FuncEnv): Map<string, TemplateFunc> {
  const num = (f: (v: number) => GoValue) => fn(['any'], ([v]) => f(convertToFloat(v)));
  let externalURL: URL | undefined;
  try {
    externalURL = env.externalURL === '' ? undefined : new URL(env.externalURL);
  } catch {
    externalURL = undefined;
  }
  return new Map<string, TemplateFunc>([
    [
      'query',
      fn(['string'], async ([q]) => {
        if (env.queryFn === undefined) throw new FuncError('query is not available here');
        const result = await env.queryFn(q as string, env.timestampMs);
        return new GoSlice(result.map((s) => sample(s.metric.toRecord(), s.v)), QUERY_RESULT_TYPE);
      }),
    ],
    [
      'first',
      fn([QUERY_RESULT_TYPE], ([v]) => {
        const items = (v as GoSlice).items;
        if (items.length === 0) throw new FuncError('first() called on vector with no elements');
        return items[0];
      }),
    ],
    ['label', fn(['string', '*template.sample'], ([l, s]) => (sampleField(s, 'Labels') as GoMap).entries.get(l as string) ?? '')],
    ['value', fn(['*template.sample'], ([s]) => sampleField(s, 'Value'))],
    ['strvalue', fn(['*template.sample'], ([s]) => (sampleField(s, 'Labels') as GoMap).entries.get('__value__') ?? '')],
    ['args', fn([], (args) => new GoMap(new Map(args.map((a, i) => [`arg${i}`, a])), 'interface {}'), 'any')],
    ['reReplaceAll', fn(['string', 'string', 'string'], ([p, r, t]) => replaceAllString(compileGoRegexp(p as string), t as string, r as string))],
    ['safeHtml', fn(['string'], ([s]) => new GoHTML(s as string))],
    [
      'match',
      fn(['string', 'string'], ([p, s]) => {
        let re: RegExp;
        try {
          re = compileGoRegexp(p as string);
        } catch (err) {
          throw new FuncError((err as Error).message.replace(/^regexp: Compile\(.*?\): /, ''));
        }
        return re.test(s as string);
      }),
    ],
    ['title', fn(['string'], ([s]) => title(s as string))],
    ['toUpper', fn(['string'], ([s]) => (s as string).toUpperCase())],
    ['toLower', fn(['string'], ([s]) => (s as string).toLowerCase())],
    ['graphLink', fn(['string'], ([s]) => graphLinkForExpression(s as string))],
    ['tableLink', fn(['string'], ([s]) => tableLinkForExpression(s as string))],
    [
      'sortByLabel',
      fn(['string', QUERY_RESULT_TYPE], ([l, v]) => {
        const key = (s: GoValue) => (sampleField(s, 'Labels') as GoMap).entries.get(l as string) ?? '';
        (v as GoSlice).items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
        return v;
      }),
    ],
    ['stripPort', fn(['string'], ([s]) => splitHostPort(s as string)?.host ?? (s as string))],
    [
      'stripDomain',
      fn(['string'], ([s]) => {
        const hostPort = s as string;
        const split = splitHostPort(hostPort);
        const host = split?.host ?? hostPort;
        if (isIP(host) !== 0) return hostPort;
        const short = host.split('.')[0]!;
        if (split === undefined || split.port === '') return short;
        return short.includes(':') ? `[${short}]:${split.port}` : `${short}:${split.port}`;
      }),
    ],
    ['humanize', num(humanize)],
    ['humanize1024', num(humanize1024)],
    ['humanizeDuration', num(humanizeDuration)],
    ['humanizePercentage', num((v) => formatFloat(v * 100, 'g', 4) + '%')],
    [
      'humanizeTimestamp',
      num((v) => {
        if (!Number.isFinite(v)) return g4(v);
        return sprint([floatToTime(v)]);
      }),
    ],
    ['toTime', num(floatToTime)],
    ['toDuration', num(floatToDuration)],
    ['now', fn([], () => env.timestampMs / 1000)],
    ['pathPrefix', fn([], () => externalURL?.pathname.replace(/^\/$/, '') ?? '')],
    ['externalURL', fn([], () => env.externalURL)],
    ['parseDuration', fn(['string'], ([s]) => parsePromDuration(s as string))],
    ['urlUnescape', fn(['string'], ([s]) => queryUnescape(s as string))],
  ]);
}

/** builtinFunctions are Go text/template's predefined functions (and, or and call are handled by the executor). */
export function builtinFunctions(): Map<string, TemplateFunc> {
  const htmlEscape = (s: string) => s.replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c]!);
  return new Map<string, TemplateFunc>([
    ['and', fn(['any'], () => null, 'any')],
    ['or', fn(['any'], () => null, 'any')],
    ['not', fn(['any'], ([v]) => !truth(v))],
    ['len', fn(['any'], ([v]) => new GoInt(goLen(v)))],
    ['index', fn(['any'], ([item, ...idx]) => goIndex(item, idx), 'any')],
    ['slice', fn(['any'], ([item, ...idx]) => goSlice(item, idx), 'any')],
    ['print', fn([], (args) => sprint(args), 'any')],
    ['printf', fn(['string'], ([f, ...args]) => sprintf(f as string, args), 'any')],
    ['println', fn([], (args) => sprintln(args), 'any')],
    ['html', fn([], (args) => htmlEscape(evalArgsString(args)), 'any')],
    ['urlquery', fn([], (args) => goQueryEscape(evalArgsString(args)), 'any')],
    ['js', fn([], (args) => evalArgsString(args).replace(/[\\'"<>&=\n\r\t]/g, (c) => jsEscape(c)), 'any')],
    ['call', fn(['any'], ([f]) => {
      throw new FuncError(`non-function ${f === null || f === undefined ? '<nil>' : typeName(f)} of type ${typeName(f)}`);
    }, 'any')],
    ['eq', fn(['any'], ([a, ...b]) => eq(a, b), 'any')],
    ['ne', fn(['any', 'any'], ([a, b]) => !eq(a, [b]))],
    ['lt', fn(['any', 'any'], ([a, b]) => lt(a, b))],
    ['le', fn(['any', 'any'], ([a, b]) => lt(a, b) || eq(a, [b]))],
    ['gt', fn(['any', 'any'], ([a, b]) => !(lt(a, b) || eq(a, [b])))],
    ['ge', fn(['any', 'any'], ([a, b]) => !lt(a, b))],
  ]);
}

function jsEscape(c: string): string {
  return { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D', '\n': '\\n', '\r': '\\r', '\t': '\\t' }[c]!;
}

function evalArgsString(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args);
}

function goLen(v: GoValue): number {
  if (typeof v === 'string') return new TextEncoder().encode(v).length;
  if (v instanceof GoHTML) return new TextEncoder().encode(v.s).length;
  if (v instanceof GoMap) return v.entries.size;
  if (v instanceof GoSlice) return v.items.length;
  if (v === null || v === undefined) throw new FuncError('len of nil pointer');
  throw new FuncError(`len of type ${typeName(v)}`);
}

function intIndex(x: GoValue): number {
  if (x instanceof GoInt) return x.v;
  throw new FuncError(`cannot index slice/array with type ${x === null || x === undefined ? '<nil>' : typeName(x)}`);
}

function goIndex(item: GoValue, indexes: GoValue[]): GoValue {
  let v = item;
  for (const x of indexes) {
    if (v === null || v === undefined) throw new FuncError('index of untyped nil');
    if (v instanceof GoMap) {
      if (typeof x !== 'string') throw new FuncError(`value has type ${typeName(x)}; should be string`);
      v = v.entries.get(x) ?? (v.elem === 'string' ? '' : null);
    } else if (v instanceof GoSlice || typeof v === 'string') {
      const i = intIndex(x);
      const len = v instanceof GoSlice ? v.items.length : new TextEncoder().encode(v).length;
      if (i < 0 || i >= len) throw new FuncError(`index out of range: ${i}`);
      v = v instanceof GoSlice ? v.items[i] : new GoInt(new TextEncoder().encode(v)[i]!, 'uint8');
    } else throw new FuncError(`can't index item of type ${typeName(v)}`);
  }
  return v;
}

function goSlice(item: GoValue, indexes: GoValue[]): GoValue {
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  const nums = indexes.map(intIndex);
  if (typeof item === 'string') {
    if (nums.length === 3) throw new FuncError('cannot 3-index slice a string');
    const b = new TextEncoder().encode(item);
    const [i = 0, j = b.length] = nums;
    if (i < 0 || j > b.length || i > j) throw new FuncError(`index out of range: ${j > b.length ? j : i}`);
    return new TextDecoder().decode(b.slice(i, j));
  }
  if (item instanceof GoSlice) {
    const [i = 0, j = item.items.length] = nums;
    if (i < 0 || j > item.items.length || i > j) throw new FuncError(`index out of range: ${j > item.items.length ? j : i}`);
    return new GoSlice(item.items.slice(i, j), item.typeName);
  }
  throw new FuncError(`can't slice item of type ${item === null || item === undefined ? '<nil>' : typeName(item)}`);
}

type Kind = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'other' | 'invalid';

function basicKind(v: GoValue): Kind {
  if (v === undefined || v === null) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string' || v instanceof GoHTML) return 'string';
  if (v instanceof GoInt) return v.kind === 'uint64' || v.kind === 'uint8' ? 'uint' : 'int';
  return 'other';
}

function scalar(v: GoValue): unknown {
  if (v instanceof GoInt) return v.v;
  if (v instanceof GoHTML) return v.s;
  if (v instanceof GoTime) return `${v.ms}.${v.nsRemainder}`;
  if (v instanceof GoDuration) return v.ns;
  return v;
}

/** eq is Go's builtin eq: arg1 == arg2 || arg1 == arg3 ...; different basic kinds are an error. */
function eq(a: GoValue, others: GoValue[]): boolean {
  if (others.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of others) {
    const k2 = basicKind(b);
    if (k1 !== k2) {
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) {
        if (scalar(a) === scalar(b)) return true;
        continue;
      }
      if (k1 !== 'invalid' && k2 !== 'invalid') throw new FuncError('incompatible types for comparison');
      continue;
    }
    if (k1 === 'invalid') return true;
    if (k1 === 'other') {
      if (a instanceof GoMap || a instanceof GoSlice) throw new FuncError(`non-comparable type ${sprint([a])}: ${typeName(a)}`);
      if (typeName(a) !== typeName(b)) throw new FuncError(`non-comparable types ${sprint([a])}: ${typeName(a)}, ${typeName(b)}: ${sprint([b])}`);
      if (a === b || scalar(a) === scalar(b)) return true;
      continue;
    }
    if (scalar(a) === scalar(b)) return true;
  }
  return false;
}

/** lt is Go's builtin lt: only basic kinds, both of the same kind. */
function lt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k1 === 'other' || k2 === 'invalid' || k2 === 'other') throw new FuncError('invalid type for comparison');
  if (k1 !== k2) {
    if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) return (scalar(a) as number) < (scalar(b) as number);
    throw new FuncError('incompatible types for comparison');
  }
  if (k1 === 'bool') throw new FuncError('invalid type for comparison');
  return (scalar(a) as number | string) < (scalar(b) as number | string);
}
