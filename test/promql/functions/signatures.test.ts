import { describe, expect, it } from 'vitest';
import { FUNCTION_SIGNATURES, isNativeHistogramFunction } from '../../../promql/functions/signatures.js';
import { INSTANT_FUNCTIONS } from '../../../promql/functions/instant.js';
import { RANGE_FUNCTIONS } from '../../../promql/functions/range.js';

describe('FUNCTION_SIGNATURES', () => {
  it('knows every function of Prometheus 3.14 and nothing removed', () => {
    expect(FUNCTION_SIGNATURES.size).toBe(90);
    for (const name of ['rate', 'histogram_quantiles', 'info', 'start', 'end', 'range', 'step', 'min_of', 'max_of', 'start_timestamp', 'first_over_time', 'ts_of_first_over_time', 'mad_over_time', 'double_exponential_smoothing']) {
      expect(FUNCTION_SIGNATURES.has(name), name).toBe(true);
    }
    expect(FUNCTION_SIGNATURES.has('holt_winters')).toBe(false);
    for (const [name, sig] of FUNCTION_SIGNATURES) expect(sig.name).toBe(name);
  });

  it('declares types and arity as parser/functions.go does', () => {
    expect(FUNCTION_SIGNATURES.get('rate')).toEqual({ name: 'rate', argTypes: ['matrix'], variadic: 0, returnType: 'vector', experimental: false });
    expect(FUNCTION_SIGNATURES.get('round')).toMatchObject({ argTypes: ['vector', 'scalar'], variadic: 1 });
    expect(FUNCTION_SIGNATURES.get('label_join')).toMatchObject({ argTypes: ['vector', 'string', 'string', 'string'], variadic: -1 });
    expect(FUNCTION_SIGNATURES.get('label_replace')).toMatchObject({ argTypes: ['vector', 'string', 'string', 'string', 'string'], variadic: 0 });
    expect(FUNCTION_SIGNATURES.get('histogram_quantiles')).toMatchObject({ argTypes: ['vector', 'string', 'scalar', 'scalar'], variadic: 9, experimental: true });
    expect(FUNCTION_SIGNATURES.get('quantile_over_time')).toMatchObject({ argTypes: ['scalar', 'matrix'] });
    expect(FUNCTION_SIGNATURES.get('histogram_fraction')).toMatchObject({ argTypes: ['scalar', 'scalar', 'vector'] });
    expect(FUNCTION_SIGNATURES.get('year')).toMatchObject({ argTypes: ['vector'], variadic: 1 });
    expect(FUNCTION_SIGNATURES.get('sort_by_label')).toMatchObject({ argTypes: ['vector', 'string'], variadic: -1, experimental: true });
    expect(FUNCTION_SIGNATURES.get('info')).toMatchObject({ argTypes: ['vector', 'vector'], variadic: 1, experimental: true });
    expect(FUNCTION_SIGNATURES.get('time')).toMatchObject({ argTypes: [], returnType: 'scalar', experimental: false });
    expect(FUNCTION_SIGNATURES.get('min_of')).toMatchObject({ argTypes: ['scalar', 'scalar'], returnType: 'scalar', experimental: true });
    expect(FUNCTION_SIGNATURES.get('first_over_time')?.experimental).toBe(false);
    expect(FUNCTION_SIGNATURES.get('scalar')?.returnType).toBe('scalar');
  });

  it('marks exactly the experimental functions', () => {
    const experimental = [...FUNCTION_SIGNATURES.values()].filter((s) => s.experimental).map((s) => s.name).sort();
    expect(experimental).toEqual([
      'double_exponential_smoothing', 'end', 'histogram_quantiles', 'info', 'mad_over_time', 'max_of', 'min_of', 'range',
      'sort_by_label', 'sort_by_label_desc', 'start', 'start_timestamp', 'step', 'ts_of_first_over_time', 'ts_of_last_over_time',
      'ts_of_max_over_time', 'ts_of_min_over_time',
    ]);
  });

  it('is frozen', () => {
    const sig = FUNCTION_SIGNATURES.get('abs')!;
    expect(Object.isFrozen(sig)).toBe(true);
    expect(Object.isFrozen(sig.argTypes)).toBe(true);
  });

  it('has an implementation (or an engine owner) for every function', () => {
    const engine = new Set(['absent', 'absent_over_time', 'time', 'timestamp', 'vector', 'scalar', 'pi', 'info', 'start', 'end', 'range', 'step', 'min_of', 'max_of', 'start_timestamp']);
    for (const name of FUNCTION_SIGNATURES.keys()) {
      const owned = RANGE_FUNCTIONS.has(name) || INSTANT_FUNCTIONS.has(name) || engine.has(name) || isNativeHistogramFunction(name);
      expect(owned, name).toBe(true);
    }
    for (const name of [...RANGE_FUNCTIONS.keys(), ...INSTANT_FUNCTIONS.keys()]) expect(FUNCTION_SIGNATURES.has(name), name).toBe(true);
    for (const name of RANGE_FUNCTIONS.keys()) expect(FUNCTION_SIGNATURES.get(name)!.argTypes).toContain('matrix');
  });
});

describe('isNativeHistogramFunction', () => {
  it('names the functions that need native histograms, not those that also take classic buckets', () => {
    for (const name of ['histogram_count', 'histogram_sum', 'histogram_avg', 'histogram_stddev', 'histogram_stdvar']) {
      expect(isNativeHistogramFunction(name), name).toBe(true);
    }
    for (const name of ['histogram_quantile', 'histogram_quantiles', 'histogram_fraction', 'rate', 'nonexistent']) {
      expect(isNativeHistogramFunction(name), name).toBe(false);
    }
  });
});
