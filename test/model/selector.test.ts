import { describe, expect, it } from 'vitest';
import { parseSeriesSelector } from '../../model/selector.js';

describe('parseSeriesSelector', () => {
  it('parses names and every matcher type', () => {
    const ms = parseSeriesSelector('up{job="api", code=~"5..",x!="y" , z!~\'a|b\'}');
    expect(ms.map(String)).toEqual(['__name__="up"', 'job="api"', 'code=~"5.."', 'x!="y"', 'z!~"a|b"']);
  });

  it('unescapes values', () => {
    expect(parseSeriesSelector('{a="x\\"y\\n"}')[0]!.value).toBe('x"y\n');
  });

  it('rejects selectors that match everything, with a position', () => {
    expect(() => parseSeriesSelector('{a=~".*"}')).toThrow('1:1: vector selector must contain at least one non-empty matcher');
    expect(() => parseSeriesSelector('up{job=}')).toThrow('1:8: expected a quoted string');
    expect(() => parseSeriesSelector('up{job="a"')).toThrow(/1:11: expected "," or "}"/);
    expect(() => parseSeriesSelector('up{job="a}')).toThrow(/unterminated string/);
  });
});
