import { describe, expect, it } from 'vitest';
import {
  goAtoi,
  MAX_TIME_MS,
  MIN_TIME_MS,
  parseDurationNs,
  parseGoFloat,
  parseLimit,
  parseTime,
  parseTimeParam,
} from '../../../promql/api/params.js';

// Expected values were read off a real Prometheus 2.42 (`time()` at each `time=` value); the
// parsing code is the same in Prometheus 3 (web/api/v1/api.go parseTime, parseDuration).

describe('parseGoFloat', () => {
  it('reads what Go strconv.ParseFloat reads', () => {
    expect(parseGoFloat('1')).toBe(1);
    expect(parseGoFloat('-1.5')).toBe(-1.5);
    expect(parseGoFloat('+2')).toBe(2);
    expect(parseGoFloat('.5')).toBe(0.5);
    expect(parseGoFloat('5.')).toBe(5);
    expect(parseGoFloat('1e3')).toBe(1000);
    expect(parseGoFloat('1E-3')).toBe(0.001);
    expect(parseGoFloat('1_000')).toBe(1000);
    expect(parseGoFloat('1_000.000_1')).toBe(1000.0001);
    expect(parseGoFloat('0x1p4')).toBe(16);
    expect(parseGoFloat('-0x1.8p1')).toBe(-3);
    expect(parseGoFloat('inf')).toBe(Infinity);
    expect(parseGoFloat('-Infinity')).toBe(-Infinity);
    expect(parseGoFloat('NaN')).toBeNaN();
    expect(parseGoFloat('nan')).toBeNaN();
  });

  it('refuses what Go refuses', () => {
    for (const s of ['', ' 1', '1 ', '1e', '.', '0x10', '1__0', '_1', '1_', '1_.5', '+nan', 'infinit', '1e400', '12abc', '--1', '0b101']) {
      expect(parseGoFloat(s), s).toBeUndefined();
    }
  });
});

describe('parseTime', () => {
  it('reads Unix seconds, rounding the fraction to the millisecond as Prometheus does', () => {
    expect(parseTime('1700000000')).toBe(1_700_000_000_000);
    expect(parseTime('1.0005')).toBe(1000); // 1.0005 is 1.000499999... in binary
    expect(parseTime('1.0015')).toBe(1002);
    expect(parseTime('-0.0015')).toBe(-2); // Go's math.Round: halves away from zero
    expect(parseTime('-1.5')).toBe(-1500);
    expect(parseTime('.5')).toBe(500);
    expect(parseTime('1e3')).toBe(1_000_000);
    expect(parseTime('1_000')).toBe(1_000_000);
    expect(parseTime('0x1p4')).toBe(16_000);
    expect(parseTime('0.9996')).toBe(1000);
  });

  it('evaluates `Inf` and `NaN` where Prometheus does (Go overflow)', () => {
    expect(parseTime('inf')).toBe(-9_223_372_036_854);
    expect(parseTime('NaN')).toBe(-9_223_372_036_854);
  });

  it('reads RFC 3339 with an optional fraction and any zone offset', () => {
    expect(parseTime('2020-01-01T00:00:00Z')).toBe(Date.UTC(2020, 0, 1));
    expect(parseTime('2020-01-01T00:00:00.5Z')).toBe(Date.UTC(2020, 0, 1) + 500);
    expect(parseTime('2020-01-01T00:00:00.123456789Z')).toBe(Date.UTC(2020, 0, 1) + 123);
    expect(parseTime('2020-01-01T00:00:00+01:00')).toBe(Date.UTC(2019, 11, 31, 23));
    expect(parseTime('2020-01-01T00:00:00-02:30')).toBe(Date.UTC(2020, 0, 1, 2, 30));
    expect(parseTime('2024-02-29T12:34:56Z')).toBe(Date.UTC(2024, 1, 29, 12, 34, 56));
    expect(parseTime('1969-12-31T23:59:59.999Z')).toBe(-1);
    expect(parseTime('0001-01-01T00:00:00Z')).toBe(-62_135_596_800_000);
  });

  it("reads Prometheus's own MinTime and MaxTime strings (clients send them back)", () => {
    expect(parseTime('-292273086-05-16T16:47:06Z')).toBe(MIN_TIME_MS);
    expect(parseTime('292277025-08-18T07:12:54.999999999Z')).toBe(MAX_TIME_MS);
  });

  it('refuses the rest with Prometheus\'s words', () => {
    for (const s of [
      'x',
      ' 1',
      '1 ',
      '0x10',
      '2020-01-01t00:00:00Z',
      '2020-01-01T00:00:00',
      '2020-02-30T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2020-01-01T24:00:00Z',
      '2020-01-01T00:00:60Z',
      '2020-13-01T00:00:00Z',
      '2020-01-01T00:00:00+24:00',
      '2020-01-01',
    ]) {
      expect(() => parseTime(s), s).toThrow(`cannot parse ${JSON.stringify(s)} to a valid timestamp`);
    }
  });

  it('names the parameter for optional times, and falls back when empty', () => {
    expect(parseTimeParam('', 'start', 42)).toBe(42);
    expect(parseTimeParam('2', 'start', 42)).toBe(2000);
    expect(() => parseTimeParam('x', 'start', 0)).toThrow(`Invalid time value for 'start': cannot parse "x" to a valid timestamp`);
  });
});

describe('parseDurationNs', () => {
  it('reads float seconds and Prometheus durations as nanoseconds', () => {
    expect(parseDurationNs('15')).toBe(15e9);
    expect(parseDurationNs('0.5')).toBe(5e8);
    expect(parseDurationNs('0.0001')).toBe(1e5);
    expect(parseDurationNs('-1')).toBe(-1e9);
    expect(parseDurationNs('1m')).toBe(60e9);
    expect(parseDurationNs('1h1m')).toBe(3660e9);
    expect(parseDurationNs('250ms')).toBe(250e6);
    expect(parseDurationNs('0')).toBe(0);
    expect(parseDurationNs('NaN')).toBeLessThan(0);
  });

  it("refuses the rest with Prometheus's words", () => {
    expect(() => parseDurationNs('')).toThrow('cannot parse "" to a valid duration');
    expect(() => parseDurationNs('abc')).toThrow('cannot parse "abc" to a valid duration');
    expect(() => parseDurationNs('1ns')).toThrow('cannot parse "1ns" to a valid duration');
    expect(() => parseDurationNs('1.5m')).toThrow('cannot parse "1.5m" to a valid duration');
    expect(() => parseDurationNs('1e30')).toThrow('cannot parse "1e30" to a valid duration. It overflows int64');
    expect(() => parseDurationNs('inf')).toThrow('cannot parse "inf" to a valid duration. It overflows int64');
  });
});

describe('limits', () => {
  it('reads integers as Go strconv.Atoi, with its error texts', () => {
    expect(goAtoi('12')).toBe(12);
    expect(goAtoi('+3')).toBe(3);
    expect(goAtoi('-007')).toBe(-7);
    expect(() => goAtoi('abc')).toThrow('strconv.Atoi: parsing "abc": invalid syntax');
    expect(() => goAtoi('1.0')).toThrow('strconv.Atoi: parsing "1.0": invalid syntax');
    expect(() => goAtoi('1_000')).toThrow('strconv.Atoi: parsing "1_000": invalid syntax');
    expect(() => goAtoi('99999999999999999999')).toThrow('strconv.Atoi: parsing "99999999999999999999": value out of range');
  });

  it('takes an empty limit as none and refuses a negative one', () => {
    expect(parseLimit('')).toBe(0);
    expect(parseLimit('5')).toBe(5);
    expect(() => parseLimit('-1')).toThrow('limit must be non-negative');
  });
});
