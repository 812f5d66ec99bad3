import { describe, expect, it } from 'vitest';
import {
  collectFamilies,
  millisToSeconds,
  newParser,
  serializeOpenMetrics,
  serializeText,
  type MetricFamily,
} from '../../../collectors/textparse/index.js';
import { FIXTURES, OPENMETRICS, TEXT, readFixture } from './fixtures.js';

interface Flat {
  key: string;
  value: number;
  timestamp: number | undefined;
  exemplar: string | undefined;
}

function flatten(families: readonly MetricFamily[]): Flat[] {
  return families.flatMap((f) =>
    f.samples.map((s) => ({
      key: s.labels.key,
      value: s.value,
      timestamp: s.timestamp,
      exemplar: s.exemplar === undefined ? undefined : `${s.exemplar.labels.key}|${bits(s.exemplar.value)}|${s.exemplar.timestamp}`,
    })),
  );
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
function bits(v: number): string {
  f64[0] = v;
  return `${u32[1]!.toString(16)}:${u32[0]!.toString(16)}`;
}

function expectSameSamples(a: Flat[], b: Flat[]): void {
  expect(b.length).toBe(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    expect(y.key).toBe(x.key);
    expect(Object.is(y.value, x.value), `value of ${x.key}`).toBe(true);
    expect(bits(y.value)).toBe(bits(x.value));
    expect(y.timestamp).toBe(x.timestamp);
    expect(y.exemplar).toBe(x.exemplar);
  }
}

describe('serializeText and serializeOpenMetrics', () => {
  it.each(FIXTURES)('%s: parse → text → parse gives the same samples', (fixture) => {
    const first = collectFamilies(newParser(readFixture(fixture), TEXT));
    const text = serializeText(first);
    const second = collectFamilies(newParser(text, TEXT));
    expectSameSamples(flatten(first), flatten(second));
    // What vigil writes is clean for strict parsers too: no warnings.
    const p = newParser(text, TEXT);
    while (p.next() !== null);
    expect(p.warnings()).toEqual([]);
  });

  it.each(FIXTURES)('%s: parse → OpenMetrics → parse gives the same samples', (fixture) => {
    const first = collectFamilies(newParser(readFixture(fixture), TEXT));
    const om = serializeOpenMetrics(first);
    expect(om.endsWith('# EOF\n')).toBe(true);
    const second = collectFamilies(newParser(om, OPENMETRICS));
    expectSameSamples(flatten(first), flatten(second));
  });

  it('keeps NaN, ±Inf, -0, extreme floats, timestamps and awkward label values bit for bit', () => {
    const body = [
      '# HELP odd Values that "break" things\\n and \\\\ more.',
      '# TYPE odd gauge',
      'odd{v="nan"} NaN',
      'odd{v="pinf"} +Inf 1700000000001',
      'odd{v="ninf"} -Inf -1',
      'odd{v="nzero"} -0',
      'odd{v="min"} 5e-324',
      'odd{v="max"} 1.7976931348623157e+308',
      'odd{v="third"} 0.3333333333333333',
      'odd{v="big"} 9007199254740993',
      'odd{v="esc\\\\aped\\"\\nnew",w="🦙"} 1.5',
      '',
    ].join('\n');
    const first = collectFamilies(newParser(body, TEXT));
    for (const [serialize, contentType] of [
      [serializeText, TEXT],
      [serializeOpenMetrics, OPENMETRICS],
    ] as const) {
      const out = serialize(first);
      const second = collectFamilies(newParser(out, contentType));
      expectSameSamples(flatten(first), flatten(second));
      expect(second[0]!.help).toBe('Values that "break" things\n and \\ more.');
    }
    expect(serializeText(first)).toContain('odd{v="pinf"} +Inf 1700000000001\n');
    expect(serializeText(first)).toContain('odd{v="nzero"} -0\n');
  });

  it('writes OpenMetrics exemplars, units and fractional timestamps that read back the same', () => {
    const body =
      '# TYPE lat_seconds histogram\n# UNIT lat_seconds seconds\nlat_seconds_bucket{le="1"} 1 1.001 # {trace_id="a"} 0.5 1605281325.123\nlat_seconds_bucket{le="+Inf"} 2\nlat_seconds_count 2\nlat_seconds_sum 3\n# EOF\n';
    const first = collectFamilies(newParser(body, OPENMETRICS));
    const om = serializeOpenMetrics(first);
    expect(om).toBe(
      '# TYPE lat_seconds histogram\n# UNIT lat_seconds seconds\nlat_seconds_bucket{le="1.0"} 1 1.001 # {trace_id="a"} 0.5 1605281325.123\nlat_seconds_bucket{le="+Inf"} 2\nlat_seconds_count 2\nlat_seconds_sum 3\n# EOF\n',
    );
    expectSameSamples(flatten(first), flatten(collectFamilies(newParser(om, OPENMETRICS))));
  });

  it('declares a text-format counter without its _total in OpenMetrics', () => {
    const first = collectFamilies(newParser('# TYPE reqs_total counter\nreqs_total 3\n', TEXT));
    expect(serializeOpenMetrics(first)).toBe('# TYPE reqs counter\nreqs_total 3\n# EOF\n');
  });

  it('writes milliseconds as exact seconds', () => {
    expect(millisToSeconds(1001)).toBe('1.001');
    expect(millisToSeconds(1700000000000)).toBe('1700000000');
    expect(millisToSeconds(-1500)).toBe('-1.5');
    expect(millisToSeconds(-1)).toBe('-0.001');
    expect(millisToSeconds(10)).toBe('0.01');
  });
});
