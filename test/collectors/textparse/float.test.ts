import { describe, expect, it } from 'vitest';
import { parseFloatValue } from '../../../collectors/textparse/index.js';
import { isInfLiteral, isNaNLiteral, scanFloat } from '../../../collectors/textparse/float.js';
import { mulberry32 } from '../../support/prng.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
function bits(v: number): string {
  f64[0] = v;
  return `${u32[1]}:${u32[0]}`;
}

function randomDouble(rand: () => number): number {
  switch (Math.floor(rand() * 5)) {
    case 0:
      return Math.floor(rand() * 1e6);
    case 1:
      return rand() * 1000;
    case 2:
      return (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
    case 3:
      u32[0] = (rand() * 2 ** 32) >>> 0;
      u32[1] = (rand() * 0x7fefffff) >>> 0;
      return f64[0]!;
    default:
      return Math.round(rand() * 1e9) / 10 ** Math.floor(rand() * 10);
  }
}

describe('scanFloat', () => {
  it('reads 20,000 random decimals exactly as Number() does, in several spellings', () => {
    const seed = 20240501;
    const rand = mulberry32(seed);
    for (let i = 0; i < 20000; i++) {
      const v = randomDouble(rand);
      const spellings = [String(v), v.toExponential(), v.toExponential(Math.floor(rand() * 17)), v.toPrecision(1 + Math.floor(rand() * 21))];
      if (Math.abs(v) < 1e21) spellings.push(v.toFixed(Math.floor(rand() * 20)));
      for (const text of spellings) {
        const got = scanFloat(text, 0, text.length);
        expect(bits(got), `seed ${seed}: ${text}`).toBe(bits(Number(text)));
      }
    }
  });

  it('scales by a power of ten exactly (seconds to milliseconds)', () => {
    expect(scanFloat('1.001', 0, 5, 3)).toBe(1001);
    expect(scanFloat('1605281325.123', 0, 14, 3)).toBe(1605281325123);
    expect(scanFloat('1.6e9', 0, 5, 3)).toBe(1.6e12);
    expect(scanFloat('12345678901234567890', 0, 20, 3)).toBe(Number('12345678901234567890e3'));
    const rand = mulberry32(7);
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor(rand() * 2e12);
      const seconds = `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
      expect(scanFloat(seconds, 0, seconds.length, 3), seconds).toBe(ms);
    }
  });

  it('reads within a larger string', () => {
    expect(scanFloat('foo 12.5 bar', 4, 8)).toBe(12.5);
  });

  it('returns NaN for what is not a number, and says which NaN is a literal', () => {
    for (const text of ['', '+', '-', '.', 'e5', '1e', '1e+', '1.2.3', '0x10', '1_000', '1p5', ' 1', '1 ', 'Infinit', 'infinityy', '+nan', '-NaN', 'nanx', '١']) {
      expect(Number.isNaN(scanFloat(text, 0, text.length)), text).toBe(true);
      expect(isNaNLiteral(text, 0, text.length), text).toBe(false);
    }
    for (const text of ['NaN', 'nan', 'nAn']) expect(isNaNLiteral(text, 0, text.length)).toBe(true);
  });

  it('reads infinities in all of Go\'s spellings and tells them from an overflow', () => {
    for (const text of ['Inf', '+Inf', '-inf', 'INF', 'infinity', '+Infinity', '-INFINITY']) {
      expect(Math.abs(scanFloat(text, 0, text.length)), text).toBe(Infinity);
      expect(isInfLiteral(text, 0, text.length)).toBe(true);
    }
    expect(scanFloat('1e400', 0, 5)).toBe(Infinity);
    expect(isInfLiteral('1e400', 0, 5)).toBe(false);
  });
});

describe('parseFloatValue', () => {
  it('reads values as Prometheus does, or gives undefined', () => {
    expect(parseFloatValue('1.7e+09')).toBe(1.7e9);
    expect(Number.isNaN(parseFloatValue('NaN'))).toBe(true);
    expect(parseFloatValue('-Inf')).toBe(-Infinity);
    expect(Object.is(parseFloatValue('-0'), -0)).toBe(true);
    expect(parseFloatValue('1e400')).toBeUndefined();
    expect(parseFloatValue('Infinityx')).toBeUndefined();
    expect(parseFloatValue('')).toBeUndefined();
  });
});
