import type { Matcher } from '../../model/matcher.js';
import type { Querier, Queryable, SampleIterator, Series } from '../../model/storage.js';
import { instantQuery, type RangeSeries } from './api.js';
import type { RemoteClient } from './client.js';
import { RemoteError } from './errors.js';

/**
 * fetchQueryable reads the series matching `matchers` with their samples in [mint, maxt] (ms,
 * inclusive) from the remote store, and returns them as a Queryable over that snapshot.
 *
 * Queryable's contract is synchronous (a querier selects from memory, as the embedded store does),
 * and an HTTP round trip cannot be: so the remote side is read once, up front, by whoever needs
 * a Queryable (restoring alert state from ALERTS_FOR_STATE after a start), and queriers opened on
 * the snapshot see exactly what was fetched, clipped to their own bounds. The fetch is one instant
 * query of a range selector at maxt, so it works on every Prometheus-compatible API (Prometheus
 * 2 and 3, Thanos Query, Mimir) whichever way the range's left end is treated.
 */
export async function fetchQueryable(client: RemoteClient, matchers: readonly Matcher[], mint: number, maxt: number): Promise<Queryable> {
  if (matchers.length === 0) throw new RangeError('fetchQueryable needs at least one matcher');
  const selector = `{${matchers.map((m) => m.toString()).join(', ')}}[${Math.max(1, maxt - mint + 1)}ms]`;
  const value = await instantQuery(client, selector, maxt);
  if (value.type !== 'matrix') throw new RemoteError('bad_response', `a range selector returned a ${value.type}`, false);
  const series = [...value.matrix].sort((a, b) => a.metric.compare(b.metric));
  return { querier: (qmint, qmaxt) => new SnapshotQuerier(series, Math.max(mint, qmint), Math.min(maxt, qmaxt)) };
}

class SnapshotQuerier implements Querier {
  constructor(
    private readonly series: readonly RangeSeries[],
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  select(matchers: readonly Matcher[]): Series[] {
    const out: Series[] = [];
    for (const s of this.series) {
      if (!matchers.every((m) => m.matches(s.metric.get(m.name)))) continue;
      const samples = s.samples.filter((p) => p.t >= this.mint && p.t <= this.maxt);
      if (samples.length > 0) out.push({ labels: s.metric, samples: () => iterate(samples) });
    }
    return out;
  }

  labelNames(matchers: readonly Matcher[] = []): string[] {
    const names = new Set<string>();
    for (const s of this.select(matchers)) s.labels.forEach((n) => names.add(n));
    return [...names].sort();
  }

  labelValues(name: string, matchers: readonly Matcher[] = []): string[] {
    const values = new Set<string>();
    for (const s of this.select(matchers)) if (s.labels.has(name)) values.add(s.labels.get(name));
    return [...values].sort();
  }
}

function iterate(samples: readonly { t: number; v: number }[]): SampleIterator {
  let i = -1;
  return {
    next() {
      if (i < samples.length) i++;
      return i < samples.length;
    },
    seek(t) {
      if (i < 0) i = 0;
      while (i < samples.length && samples[i]!.t < t) i++;
      return i < samples.length;
    },
    get t() {
      return samples[i]!.t;
    },
    get v() {
      return samples[i]!.v;
    },
  };
}
