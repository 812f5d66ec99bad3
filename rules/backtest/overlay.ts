import type { Matcher } from '../../model/matcher.js';
import type { Querier, Queryable, Series } from '../../model/storage.js';

/**
 * overlayQueryable reads recorded history (`base`) together with what a backtest's rules write
 * (`overlay`), hiding from `base` every series whose metric name is in `shadowed`: the names the
 * rules record, and ALERTS / ALERTS_FOR_STATE. Data recorded by a live run of older rules would
 * otherwise mix with the backtest's own results, and a backtest of changed rules must see only what
 * the changed rules produce. Series come back sorted by labels, as Querier requires; a label set in
 * both (possible only for a name not shadowed) is read from the overlay.
 *
 * labelNames and labelValues are the union of both stores, shadowed series included: rules never
 * ask for them, and filtering would mean reading every shadowed series.
 */
export function overlayQueryable(base: Queryable, overlay: Queryable, shadowed: ReadonlySet<string>): Queryable {
  return {
    querier(mint: number, maxt: number): Querier {
      const b = base.querier(mint, maxt);
      const o = overlay.querier(mint, maxt);
      return {
        select(matchers: readonly Matcher[]): Series[] {
          const fromBase = b.select(matchers).filter((s) => !shadowed.has(s.labels.metricName));
          return mergeSorted(fromBase, o.select(matchers));
        },
        labelNames(matchers?: readonly Matcher[]): string[] {
          return union(b.labelNames(matchers), o.labelNames(matchers));
        },
        labelValues(name: string, matchers?: readonly Matcher[]): string[] {
          return union(b.labelValues(name, matchers), o.labelValues(name, matchers));
        },
      };
    },
  };
}

function mergeSorted(a: readonly Series[], b: readonly Series[]): Series[] {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  const out: Series[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = a[i]!.labels.compare(b[j]!.labels);
    if (c < 0) out.push(a[i++]!);
    else if (c > 0) out.push(b[j++]!);
    else {
      out.push(b[j++]!);
      i++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
