import { describe, expect, it } from 'vitest';
import { formatGoFloat, formatOpenMetricsFloat, formatPromAPIFloat } from '../../../collectors/textparse/index.js';
import { mulberry32 } from '../../support/prng.js';

describe('float formatting', () => {
  it("matches Go's strconv 'g' and 'f' (shortest) and FormatOpenMetricsFloat", () => {
    const cases: [number, string, string, string][] = [
      [0, '0', '0', '0.0'],
      [-0, '-0', '-0', '0.0'],
      [1, '1', '1', '1.0'],
      [-1, '-1', '-1', '-1.0'],
      [0.1, '0.1', '0.1', '0.1'],
      [100, '100', '100', '100.0'],
      [123456, '123456', '123456', '123456.0'],
      [1e6, '1e+06', '1000000', '1e+06'],
      [8601838, '8.601838e+06', '8601838', '8.601838e+06'],
      [1.7e9, '1.7e+09', '1700000000', '1.7e+09'],
      [0.0001, '0.0001', '0.0001', '0.0001'],
      [0.00001, '1e-05', '0.00001', '1e-05'],
      [1e21, '1e+21', '1000000000000000000000', '1e+21'],
      [1.5e-300, '1.5e-300', `0.${'0'.repeat(299)}15`, '1.5e-300'],
      [NaN, 'NaN', 'NaN', 'NaN'],
      [Infinity, '+Inf', '+Inf', '+Inf'],
      [-Infinity, '-Inf', '-Inf', '-Inf'],
    ];
    for (const [v, g, f, om] of cases) {
      expect(formatGoFloat(v), String(v)).toBe(g);
      expect(formatPromAPIFloat(v), String(v)).toBe(f);
      expect(formatOpenMetricsFloat(v), String(v)).toBe(om);
    }
  });

  it('writes forms that read back as the same double', () => {
    const rand = mulberry32(99);
    const f64 = new Float64Array(1);
    const u32 = new Uint32Array(f64.buffer);
    for (let i = 0; i < 5000; i++) {
      u32[0] = (rand() * 2 ** 32) >>> 0;
      u32[1] = (rand() * 0x7fefffff) >>> 0;
      const v = rand() < 0.5 ? f64[0]! : -f64[0]!;
      expect(Number(formatGoFloat(v))).toBe(v);
      expect(Number(formatPromAPIFloat(v))).toBe(v);
    }
  });
});
