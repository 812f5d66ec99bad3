import { describe, expect, it } from 'vitest';
import { newParser, OpenMetricsParser, ParseError, PromTextParser, type Parser } from '../../../collectors/textparse/index.js';
import { type PlainDecimal, scanFloat, scanPlainDecimal } from '../../../collectors/textparse/float.js';
import { mulberry32 } from '../../support/prng.js';
import { FIXTURES, readFixture, TEXT } from './fixtures.js';

// The parsers check a plain series (`name{a="x",b="y"} `) with a regular expression and lex its
// labels only when labels() asks; anything else goes through the character-by-character lexer.
// These tests hold the two paths to the same answers.

interface Sample {
  labels: Record<string, string>;
  value: number;
  timestamp: number | undefined;
}

function read(p: Parser): Sample[] {
  const out: Sample[] = [];
  let kind;
  while ((kind = p.next()) !== null) {
    if (kind === 'series') out.push({ labels: p.labels().toRecord(), value: p.value(), timestamp: p.timestamp() });
  }
  return out;
}

/** generalPath puts a blank after each sample's `{`, which only the general lexer takes. */
function generalPath(body: string): string {
  return body
    .split('\n')
    .map((line) => line.replace(/^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(?=[a-zA-Z_])/, '$1{ '))
    .join('\n');
}

describe('the plain series fast path', () => {
  it.each(FIXTURES)('reads %s as the general lexer does', (fixture) => {
    const body = readFixture(fixture);
    const variant = generalPath(body);
    expect(variant).not.toBe(body);
    const fast = read(newParser(body, TEXT));
    expect(fast.length).toBeGreaterThan(0);
    expect(fast).toEqual(read(newParser(variant, TEXT)));
  });

  it('reports a repeated label name from labels(), at its position, as Prometheus does when it builds the series', () => {
    const text = new PromTextParser('foo{a="1",b="2",a="3"} 1\n');
    expect(text.next()).toBe('series');
    expect(text.seriesKey()).toBe('foo{a="1",b="2",a="3"}');
    expect(() => text.labels()).toThrow('1:17: label name "a" is not unique');

    const om = new OpenMetricsParser('foo{__name__="x"} 1\n# EOF\n');
    expect(om.next()).toBe('series');
    expect(() => om.labels()).toThrow('1:5: label name "__name__" is not unique');
  });

  it('lexes the labels of an earlier line correctly after the parser has moved on to its value', () => {
    const p = new PromTextParser('# HELP h x\\\\y\nh_bucket{le="1",path="/a"} 3 1000\nh_bucket{le="+Inf",path="/a"} 4\n');
    expect(p.next()).toBe('help');
    expect(p.help()).toBe('x\\y');
    expect(p.next()).toBe('series');
    expect(p.timestamp()).toBe(1000);
    expect(p.labels().toRecord()).toEqual({ __name__: 'h_bucket', le: '1', path: '/a' });
    expect(p.labels().toRecord()).toEqual({ __name__: 'h_bucket', le: '1', path: '/a' });
    expect(p.next()).toBe('series');
    expect(p.labels().toRecord()).toEqual({ __name__: 'h_bucket', le: '+Inf', path: '/a' });
  });
});

describe('metric names', () => {
  // The fast paths spell the name class as a lowercase run, then the rest of the class; they must
  // take exactly the names `[a-zA-Z_:][a-zA-Z0-9_:]*` takes, in samples and metadata lines alike.
  const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
  // Invalid characters that cannot start a value: a name glued to a number (`a-1 2`) is a sample with a timestamp.
  const ALPHABET = 'abzAMZ09_:é"';

  function outcome(body: string): string {
    try {
      const p = new PromTextParser(body);
      const kinds: string[] = [];
      let kind;
      while ((kind = p.next()) !== null) kinds.push(kind === 'series' ? `series ${p.seriesKey()} ${p.labels().get('__name__')}` : `${kind} ${p.metricFamily()}`);
      return kinds.join(', ');
    } catch (err) {
      return err instanceof ParseError ? 'error' : String(err);
    }
  }

  it('takes exactly the names of the class, with and without labels, on 3000 random names', () => {
    const rand = mulberry32(20261129);
    for (let i = 0; i < 3000; i++) {
      let name = '';
      const n = 1 + Math.floor(rand() * 10);
      for (let k = 0; k < n; k++) name += ALPHABET[Math.floor(rand() * ALPHABET.length)];
      const valid = NAME.test(name);
      expect(outcome(`${name} 1\n`), name).toBe(valid ? `series ${name} ${name}` : 'error');
      expect(outcome(`${name}{a="b"} 1\n`), name).toBe(valid ? `series ${name}{a="b"} ${name}` : 'error');
      expect(outcome(`# TYPE ${name} gauge\n`), name).toBe(valid ? `type ${name}` : 'error');
    }
  });

  it('turns down a long name with a bad character at its end without backtracking for long', () => {
    for (const run of ['a', 'aZ', 'a0', 'Za_']) {
      const name = run.repeat(20000);
      expect(outcome(`${name}- 1\n`)).toBe('error');
      expect(outcome(`${name}{a="b"}- 1\n`)).toBe('error');
    }
  });
});

describe('scanPlainDecimal', () => {
  const out: PlainDecimal = { value: 0, end: 0 };

  it('agrees with scanFloat on 20000 random plain decimals', () => {
    const rand = mulberry32(20261127);
    for (let i = 0; i < 20000; i++) {
      const intDigits = Math.floor(rand() * 17);
      const fracDigits = Math.floor(rand() * 12);
      let text = '';
      for (let d = 0; d < intDigits; d++) text += Math.floor(rand() * 10);
      if (fracDigits > 0 || intDigits === 0) text += '.';
      for (let d = 0; d < fracDigits; d++) text += Math.floor(rand() * 10);
      const line = `${text} `;
      const expected = scanFloat(line, 0, text.length);
      if (scanPlainDecimal(line, 0, out)) {
        expect(out.value, text).toBe(expected);
        expect(out.end).toBe(text.length);
      } else {
        // Only the empty number or a mantissa past 2^53 goes to the general path.
        expect(text === '.' || Number(text.replace('.', '')) >= 2 ** 53, text).toBe(true);
      }
    }
  });

  it('leaves signs, exponents, words and stray characters to scanFloat', () => {
    for (const text of ['-1 ', '+1 ', '1e3 ', 'NaN ', '+Inf ', '. ', '1_0 ', '0x10 ', '1.2.3 ', '12a ', '1', '1{']) {
      expect(scanPlainDecimal(text, 0, out), text).toBe(false);
    }
    expect(scanPlainDecimal('18234.0\n', 0, out)).toBe(true);
    expect(out).toEqual({ value: 18234, end: 7 });
    expect(scanPlainDecimal('x 1980\t', 2, out)).toBe(true);
    expect(out).toEqual({ value: 1980, end: 6 });
  });

  it('reads exponents when asked, agreeing with scanFloat on 20000 random ones', () => {
    const rand = mulberry32(20261128);
    for (let i = 0; i < 20000; i++) {
      const intDigits = 1 + Math.floor(rand() * 16);
      const fracDigits = Math.floor(rand() * 12);
      let text = '';
      for (let d = 0; d < intDigits; d++) text += Math.floor(rand() * 10);
      if (fracDigits > 0) text += '.';
      for (let d = 0; d < fracDigits; d++) text += Math.floor(rand() * 10);
      const e = Math.floor(rand() * 60) - 30;
      text += `${rand() < 0.5 ? 'e' : 'E'}${e < 0 ? '-' : rand() < 0.5 ? '+' : ''}${rand() < 0.2 ? '0' : ''}${Math.abs(e)}`;
      const line = `${text}\n`;
      const expected = scanFloat(line, 0, text.length);
      expect(scanPlainDecimal(line, 0, out), text).toBe(false);
      if (scanPlainDecimal(line, 0, out, true)) {
        expect(out.value, text).toBe(expected);
        expect(out.end).toBe(text.length);
      } else {
        // Only a mantissa past 2^53 or a power of ten past 10^22 either way goes to the general path.
        const digits = text.replace(/[eE].*/, '');
        const scale = e - fracDigits;
        expect(Number(digits.replace('.', '')) >= 2 ** 53 || scale > 22 || scale < -22, text).toBe(true);
      }
    }
    expect(scanPlainDecimal('1.767000000123456e+09 ', 0, out, true)).toBe(true);
    expect(out).toEqual({ value: 1767000000.123456, end: 21 });
  });

  it('leaves malformed exponents to scanFloat', () => {
    for (const text of ['1e ', '1e+ ', '1e- ', 'e5 ', '.e5 ', '1e5x ', '1e1000 ', '1e-1000 ', '1e5', '-1e5 ', '1e5.0 ']) {
      expect(scanPlainDecimal(text, 0, out, true), text).toBe(false);
    }
  });
});
