import type { TemplateFunc } from './functions.js';

/**
 * The values a template works with, modelled on the Go types Prometheus's templates see:
 * a JS string is a Go string, a JS number a float64, a boolean a bool; GoInt is an int constant
 * or integer; maps, slices and structs carry their Go type name for error messages. `null` is
 * Go's nil, `undefined` an invalid reflect.Value (Go prints it as `<no value>`).
 */
export type GoValue = string | number | boolean | GoInt | GoMap | GoSlice | GoStruct | GoTime | GoDuration | GoHTML | null | undefined;

/** GoInt is a Go integer; kind is its type (int for template constants and len). */
export class GoInt {
  constructor(
    readonly v: number,
    readonly kind: 'int' | 'int64' | 'uint64' | 'uint8' = 'int',
  ) {}
}

/**
 * GoMethods are the methods of a named Go type whose values a template reads (Alertmanager's
 * `template.KV.SortedPairs`, `template.Alerts.Firing`). Go's reflection finds a method before a
 * struct field or a map key of the same name, and so does the executor. Each method's call gets
 * the arguments only: the receiver is bound when the value is built.
 */
export type GoMethods = ReadonlyMap<string, TemplateFunc>;

/** GoMap is a Go map with string keys; elem is the value type's name (`string` or `interface {}`). */
export class GoMap {
  constructor(
    readonly entries: ReadonlyMap<string, GoValue>,
    readonly elem: 'string' | 'interface {}',
    readonly methods?: GoMethods,
  ) {}
  get typeName(): string {
    return `map[string]${this.elem}`;
  }
}

/** GoSlice is a Go slice; typeName is its declared type, such as `template.queryResult`. */
export class GoSlice {
  constructor(
    readonly items: GoValue[],
    readonly typeName: string,
    readonly methods?: GoMethods,
  ) {}
}

/** GoStruct is a struct (or pointer to one, `&{...}` when printed) with ordered fields. */
export class GoStruct {
  constructor(
    readonly typeName: string,
    readonly fields: ReadonlyMap<string, GoValue>,
    readonly pointer: boolean,
    readonly methods?: GoMethods,
  ) {}
}

/** GoTime is a time.Time (UTC) at nanosecond precision: ms since the epoch plus extra nanoseconds. */
export class GoTime {
  constructor(
    readonly ms: number,
    readonly nsRemainder: number,
    readonly pointer: boolean,
  ) {}
}

/** GoDuration is a time.Duration in nanoseconds. */
export class GoDuration {
  constructor(
    readonly ns: number,
    readonly pointer: boolean,
  ) {}
}

/** GoHTML is html/template.HTML, what safeHtml returns: a string of its own type. */
export class GoHTML {
  constructor(readonly s: string) {}
}

/** typeName is the Go type of a value, as Go's error messages name it. */
export function typeName(v: GoValue): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (v === null || v === undefined) return '<nil>';
  if (v instanceof GoInt) return v.kind;
  if (v instanceof GoMap || v instanceof GoSlice) return v.typeName;
  if (v instanceof GoStruct) return (v.pointer ? '*' : '') + v.typeName;
  if (v instanceof GoTime) return v.pointer ? '*time.Time' : 'time.Time';
  if (v instanceof GoDuration) return v.pointer ? '*time.Duration' : 'time.Duration';
  return 'template.HTML';
}

/** truth is Go's template truth: false, 0, nil, an empty string, slice or map are false; everything else true. */
export function truth(v: GoValue): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'boolean') return v;
  if (v instanceof GoInt) return v.v !== 0;
  if (v instanceof GoMap) return v.entries.size > 0;
  if (v instanceof GoSlice) return v.items.length > 0;
  if (v instanceof GoHTML) return v.s.length > 0;
  if (v instanceof GoDuration) return v.pointer || v.ns !== 0;
  return true;
}

/** stringMap makes a Go map[string]string from a record. */
export function stringMap(r: Readonly<Record<string, string>>): GoMap {
  return new GoMap(new Map(Object.entries(r).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))), 'string');
}
