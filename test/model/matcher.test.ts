import { describe, expect, it } from 'vitest';
import { Matcher } from '../../model/matcher.js';
import { compileAnchoredRegex, RegexError } from '../../model/regex.js';

describe('Matcher', () => {
  it('implements the four operators with absent = empty', () => {
    expect(new Matcher('=', 'a', 'x').matches('x')).toBe(true);
    expect(new Matcher('!=', 'a', 'x').matches('')).toBe(true);
    expect(new Matcher('=~', 'a', 'x|y').matches('y')).toBe(true);
    expect(new Matcher('!~', 'a', 'x|y').matches('z')).toBe(true);
    expect(new Matcher('=~', 'a', '.*').matchesEmpty).toBe(true);
    expect(new Matcher('=~', 'a', '.+').matchesEmpty).toBe(false);
    expect(new Matcher('=', 'a', '').matchesEmpty).toBe(true);
  });

  it('anchors regexes fully, as Prometheus does', () => {
    const m = new Matcher('=~', 'code', '5..');
    expect(m.matches('500')).toBe(true);
    expect(m.matches('5000')).toBe(false);
    expect(m.matches('x500')).toBe(false);
    expect(new Matcher('=~', 'a', 'foo|bar.*').matches('barbaz')).toBe(true);
    expect(new Matcher('=~', 'a', 'foo|bar.*').matches('xfoo')).toBe(false);
  });

  it('exposes literal alternations for postings lookups', () => {
    expect(new Matcher('=~', 'a', 'x|y|z').setMatches).toEqual(['x', 'y', 'z']);
    expect(new Matcher('=~', 'a', 'x.*').setMatches).toBeUndefined();
  });

  it('lets . match newlines and handles prefix fast paths identically', () => {
    expect(new Matcher('=~', 'a', 'a.*').matches('a\nb')).toBe(true);
    expect(new Matcher('=~', 'a', 'a.c').matches('a\nc')).toBe(true);
  });
});

describe('compileAnchoredRegex', () => {
  it('translates RE2 spellings', () => {
    expect(compileAnchoredRegex('(?i)GPU').test('gpu')).toBe(true);
    expect(compileAnchoredRegex('(?P<n>a+)b').exec('aab')?.groups?.['n']).toBe('aa');
    expect(compileAnchoredRegex('[[:digit:]]+').test('123')).toBe(true);
    expect(compileAnchoredRegex('\\Qa.b\\E').test('a.b')).toBe(true);
    expect(compileAnchoredRegex('\\Qa.b\\E').test('axb')).toBe(false);
    expect(compileAnchoredRegex('[]a]').test(']')).toBe(true);
  });

  it('scopes case-insensitive groups as RE2 does', () => {
    const re = compileAnchoredRegex('.*(?i:duc).*');
    expect(re.test('proDUCtion')).toBe(true);
    expect(compileAnchoredRegex('(?i:pro)DUC').test('PROduc')).toBe(false);
    expect(compileAnchoredRegex('(?i:pro)DUC').test('proDUC')).toBe(true);
    expect(compileAnchoredRegex('a((?i)b)c').test('aBc')).toBe(true);
    expect(compileAnchoredRegex('a((?i)b)c').test('aBC')).toBe(false);
    expect(compileAnchoredRegex('a(?i)bc').test('aBC')).toBe(true);
    expect(compileAnchoredRegex('a(?i)bc').test('ABC')).toBe(false);
    expect(compileAnchoredRegex('(?i:[a-c]x)').test('BX')).toBe(true);
  });

  it('rejects what it cannot express, with the reason', () => {
    expect(() => compileAnchoredRegex('a(?s)b')).toThrow(RegexError);
    expect(() => compileAnchoredRegex('(')).toThrow(/invalid regular expression "\(":/);
    expect(() => compileAnchoredRegex('\\pL')).toThrow(/not supported/);
  });
});
