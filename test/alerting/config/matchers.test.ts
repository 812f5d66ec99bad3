import { describe, expect, it } from 'vitest';
import { compareMatchers, formatMatcher, formatMatchers, MatcherParseError, parseMatcher, parseMatchers } from '../../../alerting/config/matchers.js';

const show = (text: string) => {
  const m = parseMatcher(text);
  return [m.name, m.type, m.value];
};

describe('parseMatcher (Alertmanager 0.25 classic syntax)', () => {
  it('reads the four operators, quoted or not', () => {
    expect(show('team="ml"')).toEqual(['team', '=', 'ml']);
    expect(show('team!=ml')).toEqual(['team', '!=', 'ml']);
    expect(show('model=~"llama.*"')).toEqual(['model', '=~', 'llama.*']);
    expect(show('env!~test|dev')).toEqual(['env', '!~', 'test|dev']);
  });

  it('trims whitespace around each part but keeps it inside quotes and inside unquoted values', () => {
    expect(show('  a  =  b c  ')).toEqual(['a', '=', 'b c']);
    expect(show('a=" b "')).toEqual(['a', '=', ' b ']);
  });

  it('takes an empty value, quoted or not', () => {
    expect(show('gpu=')).toEqual(['gpu', '=', '']);
    expect(show('gpu=""')).toEqual(['gpu', '=', '']);
  });

  it('unescapes \\" \\n and \\\\, and keeps any other backslash literally', () => {
    expect(show(String.raw`q="say \"hi\""`)).toEqual(['q', '=', 'say "hi"']);
    expect(show(String.raw`nl="x\ny"`)).toEqual(['nl', '=', 'x\ny']);
    expect(show(String.raw`p="C:\\temp"`)).toEqual(['p', '=', 'C:\\temp']);
    expect(show(String.raw`p="a\tb"`)).toEqual(['p', '=', 'a\\tb']);
    expect(show(String.raw`p=trailing\ `.trimEnd())).toEqual(['p', '=', 'trailing\\']);
  });

  it('allows a colon in the name, as the classic parser does', () => {
    expect(show('a:b=1')).toEqual(['a:b', '=', '1']);
  });

  it('refuses a bad name, a missing operator and quoted (UTF-8) names, quoting the text', () => {
    expect(() => parseMatcher('9x=1')).toThrow(new MatcherParseError('bad matcher format: 9x=1'));
    expect(() => parseMatcher('foo')).toThrow('bad matcher format: foo');
    expect(() => parseMatcher('"k8s.ns"="x"')).toThrow('bad matcher format: "k8s.ns"="x"');
  });

  it('refuses an unescaped double quote inside the value and an unterminated quote', () => {
    expect(() => parseMatcher('a=x"y')).toThrow('matcher value contains unescaped double quote: x"y');
    expect(() => parseMatcher('a="x')).toThrow('matcher value contains unescaped double quote: "x');
    expect(() => parseMatcher('a="x"y"')).toThrow('matcher value contains unescaped double quote: "x"y"');
  });

  it('refuses a regular expression that does not compile, naming it as written', () => {
    expect(() => parseMatcher('a=~"(x"')).toThrow(/^invalid regular expression "\(x": /);
  });
});

describe('parseMatchers', () => {
  it('reads the {..} list form with commas inside quotes kept', () => {
    const ms = parseMatchers('{team="ml", note="a, b", env=~"prod|dev", }');
    expect(ms.map(String)).toEqual(['team="ml"', 'note="a, b"', 'env=~"prod|dev"']);
  });

  it('reads a bare list and an empty one', () => {
    expect(parseMatchers('a=1,b!=2').map(String)).toEqual(['a="1"', 'b!="2"']);
    expect(parseMatchers('')).toEqual([]);
    expect(parseMatchers('{}')).toEqual([]);
  });

  it('refuses an empty item between two commas', () => {
    expect(() => parseMatchers('a=1,,b=2')).toThrow('bad matcher format: ');
  });

  it('treats an escaped quote as not opening or closing a quoted part', () => {
    expect(parseMatchers(String.raw`a="x\",y", b=2`).map((m) => m.value)).toEqual(['x",y', '2']);
  });
});

describe('matching with Alertmanager semantics', () => {
  it('anchors regular expressions', () => {
    const m = parseMatcher('gpu=~"h100"');
    expect(m.matches('h100')).toBe(true);
    expect(m.matches('h100x')).toBe(false);
  });

  it('does not let . match a newline (Alertmanager compiles without the s flag)', () => {
    expect(parseMatcher('n=~"x.*"').matches('x\ny')).toBe(false);
    expect(parseMatcher('n=~"x.*"').matches('xyz')).toBe(true);
    expect(parseMatcher('n!~".*"').matches('a\nb')).toBe(true);
    expect(parseMatcher('n=~"x[^a]y"').matches('x\ny')).toBe(true);
    expect(parseMatcher('n=~"(?s)x.*"').matches('x\ny')).toBe(true);
  });

  it('treats an absent label as the empty value', () => {
    expect(parseMatcher('gpu=""').matches('')).toBe(true);
    expect(parseMatcher('sev!="info"').matches('')).toBe(true);
  });
});

describe('formatMatcher', () => {
  it('escapes only backslash, newline and double quote, as amtool 0.25 prints them', () => {
    const m = parseMatcher(String.raw`v="a\\b\n\"c\"	tab"`);
    expect(formatMatcher(m)).toBe('v="a\\\\b\\n\\"c\\"\ttab"');
    expect(String(m)).toBe(formatMatcher(m));
  });

  it('joins a list without spaces inside braces', () => {
    expect(formatMatchers(parseMatchers('a=1, b=~"x|y"'))).toBe('{a="1",b=~"x|y"}');
    expect(formatMatchers([])).toBe('{}');
  });
});

describe('compareMatchers', () => {
  it('orders by name, then value, then operator (= != =~ !~)', () => {
    const ms = parseMatchers('b=1, a=~2, a!=2, a=2, a=10');
    ms.sort(compareMatchers);
    expect(ms.map(String)).toEqual(['a="10"', 'a="2"', 'a!="2"', 'a=~"2"', 'b="1"']);
  });

  it('compares values by code point, as Go compares bytes', () => {
    const ms = parseMatchers('a="\u{1F600}", a="\uFFFD"');
    ms.sort(compareMatchers);
    expect(ms.map((m) => m.value)).toEqual(['\uFFFD', '\u{1F600}']);
  });
});
