import { describe, expect, it } from 'vitest';
import { Interner, flatCopy } from '../../../tsdb/index/intern.js';

describe('Interner', () => {
  it('returns one copy per distinct string and forgets it after the last release', () => {
    const i = new Interner();
    const body = 'job="api",instance="10.0.0.1:9090"';
    const slice = body.slice(5, 8); // "api", likely a sliced string of body
    const a = i.intern(slice);
    const b = i.intern('a' + 'pi');
    expect(a).toBe('api');
    expect(b).toBe(a);
    expect(i.size).toBe(1);
    i.release('api');
    expect(i.size).toBe(1);
    i.release('api');
    expect(i.size).toBe(0);
    expect(i.intern('api')).toBe('api');
    expect(i.size).toBe(1);
  });

  it('copies non-ASCII text exactly', () => {
    expect(flatCopy('héllo ✓ 😀')).toBe('héllo ✓ 😀');
    expect(flatCopy('')).toBe('');
  });
});
