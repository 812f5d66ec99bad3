import { describe, expect, it } from 'vitest';
import { Labels } from '../../model/labels.js';
import { Matcher } from '../../model/matcher.js';
import type { Queryable, SampleIterator } from '../../model/storage.js';
import { StaleNaN, isStaleNaN } from '../../model/value.js';
import { loadSeries } from '../../promql/selectors.js';
import { Head } from '../../tsdb/index.js';
import { VirtualClock } from '../../util/clock.js';

const T0 = 1_700_000_000_000;

/** bitsOf lists the 32-bit words of values, so that NaN payloads compare. */
function bitsOf(vs: Float64Array): number[] {
  return Array.from(new Uint32Array(vs.buffer, vs.byteOffset, vs.length * 2));
}

/** plainIterators hides everything but SampleIterator's own members of a store's iterators. */
function plainIterators(q: Queryable): Queryable {
  return {
    querier(mint, maxt) {
      const inner = q.querier(mint, maxt);
      return {
        select: (m) =>
          inner.select(m).map((s) => ({
            labels: s.labels,
            samples(): SampleIterator {
              const it = s.samples();
              return {
                next: () => it.next(),
                seek: (t: number) => it.seek(t),
                get t() {
                  return it.t;
                },
                get v() {
                  return it.v;
                },
              };
            },
          })),
        labelNames: (m) => inner.labelNames(m),
        labelValues: (n, m) => inner.labelValues(n, m),
      };
    },
  };
}

describe('loadSeries', () => {
  // 2,500 samples a series: many completed chunks, read in batches, and more than the scratch buffers hold at first.
  const head = new Head({ retentionMs: 1e12, clock: new VirtualClock(T0) });
  const app = head.appender();
  for (let i = 0; i < 2_500; i++) {
    app.append(Labels.from({ __name__: 'x', job: 'a' }), T0 + i * 1000, i === 1_300 ? StaleNaN : i / 4);
    if (i % 3 === 0) app.append(Labels.from({ __name__: 'x', job: 'b' }), T0 + i * 1000, -i);
  }
  app.commit();
  const budget = { n: 0, add(k: number) { this.n += k; } };

  it('reads the same samples through batches as one next() at a time, staleness markers included', () => {
    for (const [mint, maxt] of [
      [T0, T0 + 2_499_000],
      [T0 + 123_456, T0 + 2_000_500],
      [T0 + 1_300_000, T0 + 1_300_000],
    ] as const) {
      const batched = loadSeries(head, [new Matcher('=', '__name__', 'x')], mint, maxt, budget);
      const plain = loadSeries(plainIterators(head), [new Matcher('=', '__name__', 'x')], mint, maxt, budget);
      expect(batched.map((s) => [s.metric.toString(), s.n])).toEqual(plain.map((s) => [s.metric.toString(), s.n]));
      for (let k = 0; k < plain.length; k++) {
        expect(Array.from(batched[k]!.ts)).toEqual(Array.from(plain[k]!.ts));
        expect(bitsOf(batched[k]!.vs)).toEqual(bitsOf(plain[k]!.vs));
      }
    }
    const all = loadSeries(head, [new Matcher('=', 'job', 'a')], T0, T0 + 2_499_000, budget);
    expect(all[0]!.n).toBe(2_500);
    expect(isStaleNaN(all[0]!.vs[1_300]!)).toBe(true);
    // Several series of one call: each sees only its own samples.
    const both = loadSeries(head, [new Matcher('=', '__name__', 'x')], T0 + 2_400_000, T0 + 2_499_000, budget);
    expect(both.map((s) => [s.metric.toString(), s.n, s.ts[0], s.ts[s.n - 1]])).toEqual([
      ['{__name__="x", job="a"}', 100, T0 + 2_400_000, T0 + 2_499_000],
      ['{__name__="x", job="b"}', 34, T0 + 2_400_000, T0 + 2_499_000],
    ]);
    expect(Array.from(both[1]!.vs.subarray(0, 2))).toEqual([-2_400, -2_403]);
  });
});
