import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../util/suggest.js';

describe('closest', () => {
  it('suggests a key within two edits, ignoring case', () => {
    expect(closest('exprr', ['expr', 'for', 'labels'])).toBe('expr');
    expect(closest('Groups', ['groups', 'kind'])).toBe('groups');
    expect(closest('errorRatioQuery', ['error_ratio_query'])).toBe('error_ratio_query');
  });
  it('has no suggestion for an exact match or a word too far away', () => {
    expect(closest('expr', ['expr', 'exp'])).toBeUndefined();
    expect(closest('annotations', ['for', 'labels'])).toBeUndefined();
  });
  it('prefers the nearest choice', () => {
    expect(closest('lable', ['label', 'labels'])).toBe('label');
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
