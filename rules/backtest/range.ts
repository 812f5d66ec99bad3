import { Matcher } from '../../model/matcher.js';
import { METRIC_NAME } from '../../model/labels.js';
import type { Queryable } from '../../model/storage.js';
import { isStaleNaN } from '../../model/value.js';

/**
 * dataTimeRange finds the oldest and newest sample (ms) in a store by reading every series once;
 * undefined when the store holds no sample. Staleness markers do not count: they end a series,
 * they are not data.
 */
export function dataTimeRange(q: Queryable): { min: number; max: number } | undefined {
  const querier = q.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  let min = Infinity;
  let max = -Infinity;
  for (const s of querier.select([new Matcher('=~', METRIC_NAME, '.+')])) {
    const it = s.samples();
    while (it.next()) {
      if (isStaleNaN(it.v)) continue;
      if (it.t < min) min = it.t;
      if (it.t > max) max = it.t;
    }
  }
  return min === Infinity ? undefined : { min, max };
}
