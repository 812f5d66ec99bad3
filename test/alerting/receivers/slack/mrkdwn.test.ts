import { describe, expect, it } from 'vitest';
import { escape, link, safeURL, truncate } from '../../../../alerting/receivers/slack/mrkdwn.js';

describe('mrkdwn', () => {
  it('escapes the three control characters and nothing else', () => {
    expect(escape('<!channel> a&b > c *bold* _it_')).toBe('&lt;!channel&gt; a&amp;b &gt; c *bold* _it_');
  });

  it('accepts only absolute http(s) URLs and makes them safe inside <...|...>', () => {
    expect(safeURL(' https://x.example/a?b=1&c=2 ')).toBe('https://x.example/a?b=1&amp;c=2');
    expect(safeURL('https://x.example/a|b <c>')).toBe('https://x.example/a%7Cb%20%3Cc%3E');
    expect(safeURL('/relative')).toBeUndefined();
    expect(safeURL('javascript:alert(1)')).toBeUndefined();
    expect(safeURL('https://')).toBeUndefined();
  });

  it('renders a link, or the escaped label alone', () => {
    expect(link('https://x.example', 'Run|book <1>')).toBe('<https://x.example|Run¦book &lt;1&gt;>');
    expect(link('nope', 'Runbook')).toBe('Runbook');
  });

  it('truncates to the limit with an ellipsis, never inside an entity, a link or a surrogate pair', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
    expect(truncate('abc&amp;def', 6)).toBe('abc…');
    expect(truncate('abc&amp;def', 9)).toBe('abc&amp;…');
    expect(truncate('ab <https://x|y> cd', 10)).toBe('ab …');
    expect(truncate('ab <https://x|y> cd', 18)).toBe('ab <https://x|y> …');
    expect(truncate('a😀b', 3)).toBe('a…');
    expect(truncate('abc', 0)).toBe('');
    for (let n = 1; n < 30; n++) expect(truncate('x &lt; <https://e|f> 😀😀 &amp; y'.repeat(2), n).length).toBeLessThanOrEqual(n);
  });
});
