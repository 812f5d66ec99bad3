import { describe, expect, it } from 'vitest';
import { parseSeriesDesc, SeriesSyntaxError } from '../../../promql/promqltest/series.js';
import { POINT_FLOAT, POINT_HISTOGRAM, POINT_OMITTED, POINT_STALE, type Sequence } from '../../../promql/promqltest/sequence.js';

function floats(seq: Sequence): number[] {
  return seq.values.filter((_, i) => seq.kinds[i] === POINT_FLOAT);
}

describe('parseSeriesDesc: points', () => {
  it('expands the examples of the series notation', () => {
    expect(parseSeriesDesc('m -2+4x3').points.toString()).toBe('-2 2 6 10');
    expect(parseSeriesDesc('m 1-2x4').points.toString()).toBe('1 -1 -3 -5 -7');
    expect(parseSeriesDesc('m 1x4').points.toString()).toBe('1 1 1 1 1');
    expect(parseSeriesDesc('m 1 _x3 stale').points.toString()).toBe('1 _ _ _ stale');
    expect(parseSeriesDesc('m 0+10x4 0+10x5').points.length).toBe(11);
  });

  it('reads 0x10 as 0 repeated, never as hexadecimal', () => {
    const p = parseSeriesDesc('m 0x10').points;
    expect(p.length).toBe(11);
    expect(floats(p).every((v) => v === 0)).toBe(true);
  });

  it('accumulates the increment as Prometheus does (repeated addition)', () => {
    let v = 0.1;
    const want: number[] = [];
    for (let i = 0; i <= 30; i++) {
      want.push(v);
      v += 0.1;
    }
    expect(floats(parseSeriesDesc('m 0.1+0.1x30').points)).toEqual(want);
  });

  it('reads every Inf and NaN spelling, signed', () => {
    const p = parseSeriesDesc('m Inf +Inf -Inf inf NaN nan -NaN 1e3 .5 2.').points;
    const v = floats(p);
    expect(v.slice(0, 4)).toEqual([Infinity, Infinity, -Infinity, Infinity]);
    expect(v.slice(4, 7).every(Number.isNaN)).toBe(true);
    expect(v.slice(7)).toEqual([1000, 0.5, 2]);
  });

  it('reads integers as Go literals (a leading 0 is octal)', () => {
    expect(floats(parseSeriesDesc('m 010 08').points)).toEqual([8, 8]);
  });

  it('marks gaps, staleness markers and native histograms by kind', () => {
    const p = parseSeriesDesc('m 1 _ stale {{schema:1 sum:3 count:22 buckets:[5 10 7]}} _x2').points;
    expect([...p.kinds]).toEqual([POINT_FLOAT, POINT_OMITTED, POINT_STALE, POINT_HISTOGRAM, POINT_OMITTED, POINT_OMITTED]);
    expect(p.hasHistograms).toBe(true);
    expect(p.histograms.get(3)).toBe('{{schema:1 sum:3 count:22 buckets:[5 10 7]}}');
  });

  it('expands repeated and incremented histogram literals', () => {
    expect(parseSeriesDesc('m {{sum:1 count:1}}x2').points.length).toBe(3);
    expect(parseSeriesDesc('m {{sum:1 count:1}}+{{sum:1 count:1}}x3 1').points.length).toBe(5);
  });

  it('allows _x0 (no slots)', () => {
    expect(parseSeriesDesc('m 1 _x0 2').points.toString()).toBe('1 2');
  });

  it('rejects malformed items with the column', () => {
    for (const bad of ['m 1+2', 'm Infx3', 'm 1x', 'm 1x2.5', 'm abc', 'm 1,2', 'm stalex2', 'm {{sum:1']) {
      expect(() => parseSeriesDesc(bad), bad).toThrow(SeriesSyntaxError);
    }
    try {
      parseSeriesDesc('metric 1 2 x');
    } catch (err) {
      expect((err as SeriesSyntaxError).column).toBe(12);
    }
  });

  it('requires points after the labels', () => {
    expect(() => parseSeriesDesc('metric')).toThrow(/missing point values/);
    expect(() => parseSeriesDesc('metric{a="b"}')).toThrow(/missing point values/);
  });
});

describe('parseSeriesDesc: labels', () => {
  it('reads a metric name and a label set', () => {
    const d = parseSeriesDesc('http_requests{job="api-server", instance="0", group="production"}  0+10x10');
    expect(d.labels.toRecord()).toEqual({ __name__: 'http_requests', job: 'api-server', instance: '0', group: 'production' });
    expect(d.points.length).toBe(11);
  });

  it('reads {} as the empty label set', () => {
    expect(parseSeriesDesc('{} 1').labels.size).toBe(0);
  });

  it('reads __name__ in braces, colons in names, a trailing comma and keywords as names', () => {
    expect(parseSeriesDesc('{__name__="m", a="b",} 1').labels.toRecord()).toEqual({ __name__: 'm', a: 'b' });
    expect(parseSeriesDesc('job:rate:5m 1').labels.metricName).toBe('job:rate:5m');
    expect(parseSeriesDesc('sum{by="x"} 1').labels.toRecord()).toEqual({ __name__: 'sum', by: 'x' });
  });

  it('reads quoted label names and a bare quoted metric name (UTF-8 syntax)', () => {
    const d = parseSeriesDesc('{"my.metric", "a.b"="c"} 1');
    expect(d.labels.toRecord()).toEqual({ __name__: 'my.metric', 'a.b': 'c' });
  });

  it('unquotes values with Go escapes, single and back quotes', () => {
    const d = parseSeriesDesc(`m{a="x\\"y\\n", b='it', c=\`raw\\n\`} 1`);
    expect(d.labels.toRecord()).toEqual({ __name__: 'm', a: 'x"y\n', b: 'it', c: 'raw\\n' });
  });

  it('rejects malformed label sets', () => {
    for (const bad of ['m{a="b" 1', 'm{a=b} 1', 'm{a!="b"} 1', 'm{="b"} 1', 'm {a="b"} 1', '1 2']) {
      expect(() => parseSeriesDesc(bad), bad).toThrow(SeriesSyntaxError);
    }
  });
});
