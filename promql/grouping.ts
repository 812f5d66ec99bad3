import { Labels, METRIC_NAME } from '../model/labels.js';

/** Grouping is an aggregation's `by (...)` or `without (...)` clause; no clause is `by ()`. */
export interface Grouping {
  readonly without: boolean;
  readonly labels: readonly string[];
}

/** Group is the output group of one input label set: its identity and its output labels. */
export interface Group {
  /** key is equal for label sets in the same group (Labels.key's form over the kept labels). */
  readonly key: string;
  readonly labels: Labels;
}

/**
 * Grouper maps label sets to aggregation groups as Prometheus's generateGroupingKey and
 * generateGroupingLabels do: `by` keeps only the listed labels (`__name__` too, if listed);
 * `without` drops the listed labels and always `__name__`.
 *
 * A Grouper is cached per grouping label list (the engine passes the same AST array at every
 * step) and remembers each input label set's group, so a range query groups each series once.
 */
export class Grouper {
  private readonly names: ReadonlySet<string>;
  private readonly cache = new WeakMap<Labels, Group>();

  constructor(
    readonly without: boolean,
    names: Iterable<string>,
  ) {
    this.names = new Set(names);
  }

  /** constant reports whether every label set falls in the one group `{}` (`by ()`, or no clause). */
  get constant(): boolean {
    return !this.without && this.names.size === 0;
  }

  group(ls: Labels): Group {
    let g = this.cache.get(ls);
    if (g === undefined) {
      g = this.compute(ls);
      this.cache.set(ls, g);
    }
    return g;
  }

  /** compute derives a label set's group without caching (count_values builds a new set per sample). */
  compute(ls: Labels): Group {
    const flat = ls.toFlat();
    const names = this.names;
    const keep = !this.without;
    const out: string[] = [];
    let key = '';
    for (let i = 0; i < flat.length; i += 2) {
      const name = flat[i]!;
      if (keep ? !names.has(name) : names.has(name) || name === METRIC_NAME) continue;
      const value = flat[i + 1]!;
      out.push(name, value);
      key += name + '\u0000' + (value.includes('\u0000') ? value.replaceAll('\u0000', '\u0000\u0000') : value) + '\u0000';
    }
    const labels = out.length === flat.length ? ls : Labels.fromSorted(out);
    return { key, labels };
  }
}

const groupers = new WeakMap<readonly string[], { by?: Grouper; without?: Grouper }>();

/** grouperFor returns the (cached) Grouper of a grouping clause. */
export function grouperFor(grouping: Grouping): Grouper {
  let entry = groupers.get(grouping.labels);
  if (entry === undefined) {
    entry = {};
    groupers.set(grouping.labels, entry);
  }
  if (grouping.without) return (entry.without ??= new Grouper(true, grouping.labels));
  return (entry.by ??= new Grouper(false, grouping.labels));
}
