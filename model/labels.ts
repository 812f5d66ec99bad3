import { labelsFingerprint } from './fingerprint.js';

/**
 * Labels is an immutable label set, sorted by name, with at most one value per name.
 *
 * A label whose value is the empty string is the same as an absent label (as in Prometheus), so
 * the constructors drop empty values. Two label sets are equal exactly when their `key` strings
 * are equal; `key` is the identity used by the store's series map and by every cache.
 */
export class Labels {
  static readonly EMPTY = new Labels([]);

  /** Interleaved, sorted by name: [name0, value0, name1, value1, ...]. */
  private readonly flat: readonly string[];
  private cachedKey: string | undefined;
  private cachedFingerprint: string | undefined;

  private constructor(flat: readonly string[]) {
    this.flat = flat;
  }

  /** fromSorted trusts `flat` to be interleaved, sorted by name, unique and free of empty values. */
  static fromSorted(flat: readonly string[]): Labels {
    return flat.length === 0 ? Labels.EMPTY : new Labels(flat);
  }

  /** from builds a label set from a record or from [name, value] pairs; later duplicates win. */
  static from(input: Readonly<Record<string, string>> | Iterable<readonly [string, string]>): Labels {
    const entries: [string, string][] = [];
    const source = Symbol.iterator in input ? (input as Iterable<readonly [string, string]>) : Object.entries(input);
    for (const [name, value] of source) entries.push([name, value]);
    return fromEntries(entries);
  }

  get size(): number {
    return this.flat.length >> 1;
  }

  /**
   * fingerprint is Prometheus's model.Fingerprint of the set (model/fingerprint.ts), computed
   * once: alerting names every alert by it, several times per alert.
   */
  fingerprint(): string {
    return (this.cachedFingerprint ??= labelsFingerprint(this.flat));
  }

  /** get returns the value of `name`, or "" when absent. */
  get(name: string): string {
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 2) {
      if (flat[i] === name) return flat[i + 1]!;
    }
    return '';
  }

  has(name: string): boolean {
    return this.get(name) !== '';
  }

  /** metricName is the value of `__name__`. */
  get metricName(): string {
    return this.get(METRIC_NAME);
  }

  forEach(fn: (name: string, value: string) => void): void {
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 2) fn(flat[i]!, flat[i + 1]!);
  }

  *[Symbol.iterator](): IterableIterator<[string, string]> {
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 2) yield [flat[i]!, flat[i + 1]!];
  }

  names(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.flat.length; i += 2) out.push(this.flat[i]!);
    return out;
  }

  /** toFlat returns the interleaved sorted pairs; the caller must not modify the array. */
  toFlat(): readonly string[] {
    return this.flat;
  }

  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    this.forEach((n, v) => (out[n] = v));
    return out;
  }

  /**
   * key is a canonical, injective string for this label set. Names never contain NUL, so NUL
   * separates fields; a NUL inside a value is doubled so no two label sets share a key.
   */
  get key(): string {
    if (this.cachedKey !== undefined) return this.cachedKey;
    let key = '';
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 2) {
      const value = flat[i + 1]!;
      key += flat[i]! + '\u0000' + (value.includes('\u0000') ? value.replaceAll('\u0000', '\u0000\u0000') : value) + '\u0000';
    }
    this.cachedKey = key;
    return key;
  }

  equals(other: Labels): boolean {
    if (this === other) return true;
    const a = this.flat;
    const b = other.flat;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** compare orders label sets as Prometheus does: pairwise by name, then value, then length. */
  compare(other: Labels): number {
    const a = this.flat;
    const b = other.flat;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i += 2) {
      if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
      if (a[i + 1] !== b[i + 1]) return a[i + 1]! < b[i + 1]! ? -1 : 1;
    }
    return a.length - b.length;
  }

  /** without returns a copy without the given names. */
  without(...names: string[]): Labels {
    const out: string[] = [];
    for (let i = 0; i < this.flat.length; i += 2) {
      if (!names.includes(this.flat[i]!)) out.push(this.flat[i]!, this.flat[i + 1]!);
    }
    return out.length === this.flat.length ? this : Labels.fromSorted(out);
  }

  /** toString renders `{__name__="up", job="api"}`, Prometheus's labels.String form. */
  toString(): string {
    const parts: string[] = [];
    this.forEach((n, v) => parts.push(`${n}=${quoteLabelValue(v)}`));
    return `{${parts.join(', ')}}`;
  }

  /** toSeriesString renders `up{job="api"}`, the exposition form. */
  toSeriesString(): string {
    const name = this.metricName;
    const parts: string[] = [];
    this.forEach((n, v) => {
      if (n !== METRIC_NAME) parts.push(`${n}=${quoteLabelValue(v)}`);
    });
    if (parts.length === 0) return name === '' ? '{}' : name;
    return `${name}{${parts.join(', ')}}`;
  }
}

export const METRIC_NAME = '__name__';

const NEEDS_ESCAPE = /[\\"\n]/;

/** quoteLabelValue quotes a label value with the exposition format's escapes. */
export function quoteLabelValue(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return '"' + value + '"';
  return '"' + value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : '\\' + c)) + '"';
}

function fromEntries(entries: [string, string][]): Labels {
  entries.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const flat: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const [name, value] = entries[i]!;
    const next = entries[i + 1];
    if (next !== undefined && next[0] === name) continue; // a later duplicate wins
    if (value !== '') flat.push(name, value);
  }
  return Labels.fromSorted(flat);
}

/**
 * LabelsBuilder edits a label set: relabelling and target labelling build on it. Setting a label
 * to "" deletes it, as in Prometheus.
 */
export class LabelsBuilder {
  private readonly values = new Map<string, string>();

  constructor(base: Labels = Labels.EMPTY) {
    this.reset(base);
  }

  reset(base: Labels): this {
    this.values.clear();
    base.forEach((n, v) => this.values.set(n, v));
    return this;
  }

  get(name: string): string {
    return this.values.get(name) ?? '';
  }

  set(name: string, value: string): this {
    if (value === '') this.values.delete(name);
    else this.values.set(name, value);
    return this;
  }

  del(name: string): this {
    this.values.delete(name);
    return this;
  }

  forEach(fn: (name: string, value: string) => void): void {
    this.values.forEach((v, n) => fn(n, v));
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  labels(): Labels {
    return fromEntries([...this.values.entries()]);
  }
}

const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** isValidMetricName applies Prometheus's classic metric-name rule `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export function isValidMetricName(name: string): boolean {
  return LEGACY_METRIC_NAME.test(name);
}

/** isValidLabelName applies Prometheus's classic label-name rule `[a-zA-Z_][a-zA-Z0-9_]*`. */
export function isValidLabelName(name: string): boolean {
  return LEGACY_LABEL_NAME.test(name);
}
