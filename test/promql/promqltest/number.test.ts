import { describe, expect, it } from 'vitest';
import { StaleNaN } from '../../../model/value.js';
import { almostEqual, formatValue, parseGoNumber } from '../../../promql/promqltest/number.js';

describe('almostEqual (util/almost.Equal with epsilon 1e-6)', () => {
  it('treats NaN as equal to NaN, and a staleness marker only to itself', () => {
    expect(almostEqual(NaN, NaN)).toBe(true);
    expect(almostEqual(StaleNaN, StaleNaN)).toBe(true);
    expect(almostEqual(NaN, StaleNaN)).toBe(false);
    expect(almostEqual(StaleNaN, NaN)).toBe(false);
    expect(almostEqual(NaN, 1)).toBe(false);
  });

  it('compares by relative error', () => {
    expect(almostEqual(1, 1 + 1e-7)).toBe(true);
    expect(almostEqual(1, 1 + 1e-5)).toBe(false);
    expect(almostEqual(1e300, 1.0000001e300)).toBe(true);
    expect(almostEqual(-5, 5)).toBe(false);
  });

  it('requires exactness against zero', () => {
    expect(almostEqual(0, 0)).toBe(true);
    expect(almostEqual(0, -0)).toBe(true);
    expect(almostEqual(0, 1e-300)).toBe(false);
    expect(almostEqual(1e-310, 0)).toBe(false);
    expect(almostEqual(1e-320, 0)).toBe(true); // below epsilon * smallest normal
  });

  it('handles infinities', () => {
    expect(almostEqual(Infinity, Infinity)).toBe(true);
    expect(almostEqual(-Infinity, -Infinity)).toBe(true);
    expect(almostEqual(Infinity, -Infinity)).toBe(false);
    expect(almostEqual(Infinity, Number.MAX_VALUE)).toBe(false);
  });
});

describe('parseGoNumber (strconv.ParseInt base 0, then ParseFloat)', () => {
  it('reads Go integer literals with base prefixes', () => {
    expect(parseGoNumber('42')).toBe(42);
    expect(parseGoNumber('-7')).toBe(-7);
    expect(parseGoNumber('010')).toBe(8);
    expect(parseGoNumber('0x1f')).toBe(31);
    expect(parseGoNumber('0b101')).toBe(5);
    expect(parseGoNumber('0o17')).toBe(15);
    expect(parseGoNumber('1_000')).toBe(1000);
    expect(parseGoNumber('08')).toBe(8); // not octal: ParseFloat reads it
  });

  it('reads Go floats', () => {
    expect(parseGoNumber('1.5')).toBe(1.5);
    expect(parseGoNumber('1.')).toBe(1);
    expect(parseGoNumber('.5')).toBe(0.5);
    expect(parseGoNumber('1e3')).toBe(1000);
    expect(parseGoNumber('-2.5E-1')).toBe(-0.25);
    expect(parseGoNumber('0x1p-2')).toBe(0.25);
    expect(parseGoNumber('Inf')).toBe(Infinity);
    expect(parseGoNumber('+inf')).toBe(Infinity);
    expect(parseGoNumber('-Infinity')).toBe(-Infinity);
    expect(parseGoNumber('NaN')).toBeNaN();
  });

  it('refuses what is not a number', () => {
    for (const s of ['', 'abc', '+NaN', '1e', '1.2.3', '{} 1', 'metric 1', '1 2']) expect(parseGoNumber(s), s).toBeUndefined();
  });
});

describe('formatValue', () => {
  it('prints values as Prometheus does', () => {
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(StaleNaN)).toBe('stale');
    expect(formatValue(1.5)).toBe('1.5');
  });
});
