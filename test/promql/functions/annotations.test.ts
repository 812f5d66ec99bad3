import { describe, expect, it } from 'vitest';
import { forcedMonotonicityInfo, formatAnnotation, invalidQuantileWarning, mergeMonotonicity, possibleNonCounterInfo } from '../../../promql/functions/annotations.js';

describe('annotations', () => {
  it('format as Prometheus does, with the position of the argument', () => {
    expect(formatAnnotation(invalidQuantileWarning(2, 0), '1:20')).toBe('PromQL warning: quantile value should be between 0 and 1, got 2 (1:20)');
  });

  it('merge monotonicity details across steps and series', () => {
    const a = forcedMonotonicityInfo('x', 1, 60_000, 10, 100, 3);
    const b = forcedMonotonicityInfo('x', 1, 120_000, 1, 1000, 0.25);
    mergeMonotonicity(a.monotonicity!, b.monotonicity!);
    expect(a.monotonicity).toEqual({ minT: 60_000, maxT: 120_000, minBucket: 1, maxBucket: 1000, maxDiff: 3, count: 1 });
    expect(formatAnnotation(a, '1:1')).toContain(
      'for metric name "x", from buckets 1 to 1000, with a max diff of 3, over 2 samples from 1970-01-01T00:01:00Z to 1970-01-01T00:02:00Z (1:1)',
    );
    expect(formatAnnotation(forcedMonotonicityInfo('', 1, 0, 1, 2, 1234), '1:1')).toMatch(/monotonicity \(see [^)]*\), from buckets 1 to 2, with a max diff of 1\.2e\+03, over 1 samples/);
  });

  it('flag rate over names that do not look like counters', () => {
    expect(possibleNonCounterInfo('http_requests_total', 0)).toBeUndefined();
    expect(possibleNonCounterInfo('x_bucket', 0)).toBeUndefined();
    expect(possibleNonCounterInfo('', 0)).toBeUndefined();
    expect(formatAnnotation(possibleNonCounterInfo('metric', 0)!, '1:6')).toBe(
      'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "metric" (1:6)',
    );
  });
});
