import { describe, expect, it } from 'vitest';
import { formatGoFixed6, formatGoFloat, formatOpenMetricsFloat, parseGoFloat } from '../../../promql/functions/gofloat.js';

describe('parseGoFloat (strconv.ParseFloat)', () => {
  it('accepts Go float syntax', () => {
    expect(parseGoFloat('0.1')).toBe(0.1);
    expect(parseGoFloat('.2')).toBe(0.2);
    expect(parseGoFloat('1e0')).toBe(1);
    expect(parseGoFloat('2.0e-1')).toBe(0.2);
    expect(parseGoFloat('-0.1')).toBe(-0.1);
    expect(parseGoFloat('+5')).toBe(5);
    expect(parseGoFloat('5.')).toBe(5);
    expect(parseGoFloat('+Inf')).toBe(Infinity);
    expect(parseGoFloat('+inf')).toBe(Infinity);
    expect(parseGoFloat('-Infinity')).toBe(-Infinity);
    expect(parseGoFloat('INF')).toBe(Infinity);
    expect(parseGoFloat('NaN')).toBeNaN();
    expect(parseGoFloat('nan')).toBeNaN();
    expect(parseGoFloat('0x1p-2')).toBe(0.25);
    expect(parseGoFloat('0x1.8p1')).toBe(3);
    expect(parseGoFloat('0x_1p4')).toBe(16);
  });

  it('rejects what Go rejects', () => {
    for (const s of ['', ' 1', '1 ', 'Hello World', '0x10', '1_000', '+nan', 'infinit', '1e', '.', '--1', '1e400']) {
      expect(parseGoFloat(s), JSON.stringify(s)).toBeUndefined();
    }
  });
});

describe('formatGoFloat (%g, shortest)', () => {
  it('formats like Go', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [1, '1'],
      [-0.1, '-0.1'],
      [0.25, '0.25'],
      [1.01, '1.01'],
      [100000, '100000'],
      [1e6, '1e+06'],
      [1234567, '1.234567e+06'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1e21, '1e+21'],
      [1.5e-300, '1.5e-300'],
      [NaN, 'NaN'],
      [Infinity, '+Inf'],
      [-Infinity, '-Inf'],
    ];
    for (const [v, s] of cases) expect(formatGoFloat(v)).toBe(s);
  });

  it('adds ".0" to integers for OpenMetrics', () => {
    expect(formatOpenMetricsFloat(0)).toBe('0.0');
    expect(formatOpenMetricsFloat(1)).toBe('1.0');
    expect(formatOpenMetricsFloat(0.5)).toBe('0.5');
    expect(formatOpenMetricsFloat(1e6)).toBe('1e+06');
    expect(formatOpenMetricsFloat(NaN)).toBe('NaN');
    expect(formatOpenMetricsFloat(Infinity)).toBe('+Inf');
  });

  it('formats %f with six decimals', () => {
    expect(formatGoFixed6(1)).toBe('1.000000');
    expect(formatGoFixed6(-0.25)).toBe('-0.250000');
    expect(formatGoFixed6(1e21)).toBe('1000000000000000000000.000000');
    expect(formatGoFixed6(NaN)).toBe('NaN');
    expect(formatGoFixed6(Infinity)).toBe('+Inf');
  });
});
