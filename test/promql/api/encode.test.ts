import { describe, expect, it } from 'vitest';
import { Labels } from '../../../model/labels.js';
import { formatPromAPIFloat } from '../../../collectors/textparse/format.js';
import { encodeQueryData, formatSampleValue, formatTimestamp, labelsJSON } from '../../../promql/api/encode.js';

// Expected strings are what Prometheus writes (util/jsonutil MarshalFloat / MarshalTimestamp,
// promql.Scalar's MarshalJSON); several were read off a real Prometheus 2.42 (vector(1e-7) and so on).

describe('formatSampleValue', () => {
  it("uses Go's 'f' form between 1e-6 and 1e21 and the 'e' form outside", () => {
    expect(formatSampleValue(1)).toBe('1');
    expect(formatSampleValue(0.1)).toBe('0.1');
    expect(formatSampleValue(-2.5)).toBe('-2.5');
    expect(formatSampleValue(0)).toBe('0');
    expect(formatSampleValue(-0)).toBe('-0');
    expect(formatSampleValue(1e-6)).toBe('0.000001');
    expect(formatSampleValue(1e-7)).toBe('1e-07');
    expect(formatSampleValue(-1.5e-7)).toBe('-1.5e-07');
    expect(formatSampleValue(1e20)).toBe('100000000000000000000');
    expect(formatSampleValue(1e21)).toBe('1e+21');
    expect(formatSampleValue(1.5e300)).toBe('1.5e+300');
    expect(formatSampleValue(5e-324)).toBe('5e-324');
    expect(formatSampleValue(1e100)).toBe('1e+100');
    expect(formatSampleValue(0.30000000000000004)).toBe('0.30000000000000004');
    expect(formatSampleValue(NaN)).toBe('NaN');
    expect(formatSampleValue(Infinity)).toBe('+Inf');
    expect(formatSampleValue(-Infinity)).toBe('-Inf');
  });

  it("agrees with the general 'f' formatter wherever it takes the fast path", () => {
    // A seeded walk over magnitudes from 1e-6 to 1e21 and over random mantissas.
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      const v = (rand() < 0.5 ? -1 : 1) * rand() * 10 ** Math.floor(rand() * 27 - 6);
      if (Math.abs(v) < 1e-6 || Math.abs(v) >= 1e21) continue;
      expect(formatSampleValue(v), String(v)).toBe(formatPromAPIFloat(v));
    }
  });
});

describe('formatTimestamp', () => {
  it('writes seconds and a three-digit millisecond fraction when there is one', () => {
    expect(formatTimestamp(1_795_792_371_303)).toBe('1795792371.303');
    expect(formatTimestamp(1500)).toBe('1.500');
    expect(formatTimestamp(1050)).toBe('1.050');
    expect(formatTimestamp(1005)).toBe('1.005');
    expect(formatTimestamp(1000)).toBe('1');
    expect(formatTimestamp(1)).toBe('0.001');
    expect(formatTimestamp(0)).toBe('0');
    expect(formatTimestamp(-1500)).toBe('-1.500');
    expect(formatTimestamp(-2)).toBe('-0.002');
  });
});

describe('labelsJSON', () => {
  it('writes labels in order, escaping as JSON, and can leave out the name', () => {
    const l = Labels.from({ __name__: 'up', job: 'a"b', Z: '\n' });
    expect(labelsJSON(l)).toBe('{"Z":"\\n","__name__":"up","job":"a\\"b"}');
    expect(labelsJSON(l, true)).toBe('{"Z":"\\n","job":"a\\"b"}');
    expect(labelsJSON(Labels.EMPTY)).toBe('{}');
  });
});

describe('encodeQueryData', () => {
  const a = Labels.from({ __name__: 'm', i: 'a' });
  const b = Labels.from({ __name__: 'm', i: 'b' });

  it('encodes a vector', () => {
    const { json, truncated } = encodeQueryData({
      type: 'vector',
      vector: [
        { metric: a, t: 1500, v: 1e-7 },
        { metric: b, t: 1500, v: NaN, dropName: true },
      ],
    });
    expect(truncated).toBe(false);
    expect(json).toBe(
      '{"resultType":"vector","result":[{"metric":{"__name__":"m","i":"a"},"value":[1.500,"1e-07"]},{"metric":{"i":"b"},"value":[1.500,"NaN"]}]}',
    );
    expect(JSON.parse(json).result[0].value).toEqual([1.5, '1e-07']);
  });

  it('encodes a matrix, and an empty one', () => {
    const { json } = encodeQueryData({ type: 'matrix', matrix: [{ metric: a, ts: [1000, 2000], vs: [1, Infinity] }] });
    expect(json).toBe('{"resultType":"matrix","result":[{"metric":{"__name__":"m","i":"a"},"values":[[1,"1"],[2,"+Inf"]]}]}');
    expect(encodeQueryData({ type: 'matrix', matrix: [] }).json).toBe('{"resultType":"matrix","result":[]}');
    expect(encodeQueryData({ type: 'vector', vector: [] }).json).toBe('{"resultType":"vector","result":[]}');
  });

  it("writes a scalar's value in the 'f' form and its time as encoding/json prints floats", () => {
    expect(encodeQueryData({ type: 'scalar', scalar: { t: 1500, v: 1e-7 } }).json).toBe('{"resultType":"scalar","result":[1.5,"0.0000001"]}');
    expect(encodeQueryData({ type: 'scalar', scalar: { t: 100_000, v: -Infinity } }).json).toBe('{"resultType":"scalar","result":[100,"-Inf"]}');
    expect(encodeQueryData({ type: 'string', string: { t: 100_000, s: 'a"b' } }).json).toBe('{"resultType":"string","result":[100,"a\\"b"]}');
  });

  it('keeps the first `limit` series and says it cut', () => {
    const m = encodeQueryData({ type: 'matrix', matrix: [{ metric: a, ts: [1], vs: [1] }, { metric: b, ts: [1], vs: [2] }] }, 1);
    expect(m.truncated).toBe(true);
    expect(JSON.parse(m.json).result).toHaveLength(1);
    const v = encodeQueryData({ type: 'vector', vector: [{ metric: a, t: 1, v: 1 }] }, 1);
    expect(v.truncated).toBe(false);
    expect(encodeQueryData({ type: 'scalar', scalar: { t: 1, v: 1 } }, 1).truncated).toBe(false);
  });
});
