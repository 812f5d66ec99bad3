import type { Sample, Vector } from '../value.js';
import type { InstantFunction } from './types.js';
import { stringArg, vectorArg } from './args.js';
import { goSort, type GoSortVariant, type Less } from '../gosort.js';

/**
 * sort, sort_desc, sort_by_label and sort_by_label_desc. They reorder the input samples and keep
 * them as they are (metric, dropName). Sorting by value puts NaN last in both directions;
 * sorting by label uses natural order (facette/natsort, as Prometheus) and then the whole label
 * set. Both run Go's own sort algorithm, because their comparisons are not always consistent
 * (NaN against NaN; natsort against an empty value) and the result then depends on it.
 */

// Prometheus sorts with sort.Sort(sort.Reverse(h)), h a "heap" whose Less puts NaN first;
// reversed, a sorts before b when b is NaN or a is on the right side of b.
const ascending = (a: Sample, b: Sample): boolean => b.v !== b.v || b.v > a.v;
const descending = (a: Sample, b: Sample): boolean => b.v !== b.v || b.v < a.v;

function sortedCopy(vec: Vector, less: Less<Sample>, variant: GoSortVariant): Vector {
  const out = vec.slice();
  goSort(out, less, variant);
  return out;
}

export const sort: InstantFunction = (args) => sortedCopy(vectorArg(args, 0), ascending, 'sort');
export const sortDesc: InstantFunction = (args) => sortedCopy(vectorArg(args, 0), descending, 'sort');

function labelSorter(desc: boolean): InstantFunction {
  return (args) => {
    const names: string[] = [];
    for (let i = 1; i < args.length; i++) names.push(stringArg(args, i));
    // slices.SortFunc with a three-way comparison; pdqsort only asks whether it is negative.
    const less = (a: Sample, b: Sample): boolean => {
      for (const name of names) {
        const x = a.metric.get(name);
        const y = b.metric.get(name);
        if (x === y) continue;
        return natsortLess(x, y) !== desc;
      }
      const c = a.metric.compare(b.metric);
      return desc ? c > 0 : c < 0;
    };
    return sortedCopy(vectorArg(args, 0), less, 'slices');
  };
}

export const sortByLabel: InstantFunction = labelSorter(false);
export const sortByLabelDesc: InstantFunction = labelSorter(true);

const CHUNK = /\d+|\D+/g;
const INT64_MAX = '9223372036854775807';

/**
 * natsortLess is facette/natsort's Compare at the version Prometheus pins (2018-12-10): split both
 * strings into runs of digits and non-digits and compare run by run, digit runs that both parse
 * as int64 by value and everything else as strings. Its quirks are kept: when a run is equal and
 * is the last one of `a`, `a` sorts first even if `b` ends there too; a run equal in value but not
 * in spelling ("01", "1") is passed over.
 */
export function natsortLess(a: string, b: string): boolean {
  const chunksA = a.match(CHUNK) ?? [];
  const chunksB = b.match(CHUNK) ?? [];
  for (let i = 0; i < chunksA.length; i++) {
    if (i >= chunksB.length) return false;
    const ca = chunksA[i]!;
    const cb = chunksB[i]!;
    const na = asInt64(ca);
    const nb = asInt64(cb);
    if (na !== undefined && nb !== undefined) {
      if (na === nb) {
        if (i === chunksA.length - 1) return true;
        if (i === chunksB.length - 1) return false;
        continue;
      }
      return na.length !== nb.length ? na.length < nb.length : na < nb;
    }
    if (ca === cb) {
      if (i === chunksA.length - 1) return true;
      if (i === chunksB.length - 1) return false;
      continue;
    }
    return ca < cb;
  }
  return false;
}

/** asInt64 returns a digit run without leading zeros if strconv.Atoi accepts it, else undefined. */
function asInt64(chunk: string): string | undefined {
  const c = chunk.charCodeAt(0);
  if (c < 48 || c > 57) return undefined;
  let start = 0;
  while (start < chunk.length - 1 && chunk.charCodeAt(start) === 48) start++;
  const digits = chunk.slice(start);
  if (digits.length > INT64_MAX.length || (digits.length === INT64_MAX.length && digits > INT64_MAX)) return undefined;
  return digits;
}
