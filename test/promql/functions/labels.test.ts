import { describe, expect, it } from 'vitest';
import { PromQLError } from '../../../promql/errors.js';
import { expandTemplate } from '../../../promql/functions/labels.js';
import { expectVector, inst, sample } from './helpers.js';

// Expectations marked "functions.test" are transcribed from Prometheus 3.14's functions.test.

function failure(fn: () => unknown): PromQLError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PromQLError);
    return e as PromQLError;
  }
  throw new Error('expected a PromQLError');
}

describe('label_replace (functions.test)', () => {
  const testmetric = [
    sample({ __name__: 'testmetric', src: 'source-value-10', dst: 'original-destination-value' }, 0),
    sample({ __name__: 'testmetric', src: 'source-value-20', dst: 'original-destination-value' }, 1),
  ];
  const with_ = (dst10: string | undefined, dst20: string | undefined): [Record<string, string>, number][] => [
    [{ __name__: 'testmetric', src: 'source-value-10', ...(dst10 === undefined ? {} : { dst: dst10 }) }, 0],
    [{ __name__: 'testmetric', src: 'source-value-20', ...(dst20 === undefined ? {} : { dst: dst20 }) }, 1],
  ];
  const orig = 'original-destination-value';

  it('matches the whole value and expands groups', () => {
    expectVector(inst('label_replace', [testmetric, 'dst', 'destination-value-$1', 'src', 'source-value-(.*)']), with_('destination-value-10', 'destination-value-20'));
    expectVector(inst('label_replace', [testmetric, 'dst', 'destination-value-$1', 'src', 'value-(.*)']), with_(orig, orig));
    expectVector(inst('label_replace', [testmetric, 'dst', '$1-value-$2', 'src', '(.*)-value-(.*)']), with_('source-value-10', 'source-value-20'));
  });

  it('leaves the destination alone unless the regex matches, an absent source being ""', () => {
    expectVector(inst('label_replace', [testmetric, 'dst', 'value-$1', 'nonexistent-src', 'source-value-(.*)']), with_(orig, orig));
    expectVector(inst('label_replace', [testmetric, 'dst', 'value-$1', 'nonexistent-src', '(.*)']), with_('value-', 'value-'));
    expectVector(inst('label_replace', [testmetric, 'dst', 'value-$1', 'src', 'non-matching-regex']), with_(orig, orig));
  });

  it('deletes a label set to ""', () => {
    expectVector(inst('label_replace', [testmetric, 'dst', '', 'dst', '.*']), with_(undefined, undefined));
  });

  it('fails on an invalid regex, an invalid destination, or duplicate output', () => {
    const bad = failure(() => inst('label_replace', [testmetric, 'dst', 'value-$1', 'src', '(.*']));
    expect(bad.message).toBe('invalid regular expression in label_replace(): (.*');
    expect(bad.type).toBe('execution');
    expect(failure(() => inst('label_replace', [testmetric, '\uDCFF', '', 'src', '(.*)'])).message).toBe(
      'invalid destination label name in label_replace(): \uDCFF',
    );
    expect(failure(() => inst('label_replace', [testmetric, '', '', 'src', '(.*)'])).message).toBe(
      'invalid destination label name in label_replace(): ',
    );
    expect(failure(() => inst('label_replace', [testmetric, 'src', '', '', ''])).message).toBe(
      'vector cannot contain metrics with the same labelset',
    );
    const overlap = [sample({ __name__: 'overlap', label: 'a', idx: '1' }, 1), sample({ __name__: 'overlap', label: 'a', idx: '2' }, 2)];
    failure(() => inst('label_replace', [overlap, 'idx', 'same', 'idx', '.*']));
  });

  it('does not fail on series that are alone at this step', () => {
    expectVector(inst('label_replace', [[sample({ __name__: 'series', label: 'a', idx: '1' }, 2)], 'idx', 'replaced', 'idx', '.*']), [
      [{ __name__: 'series', label: 'a', idx: 'replaced' }, 2],
    ]);
  });

  it('accepts UTF-8 label names and keeps dropName unless it writes __name__', () => {
    const dropped = [sample({ __name__: 'x', a: 'v' }, 1, { dropName: true })];
    const kept = inst('label_replace', [dropped, 'dst', '$1', 'a', '(.*)']);
    expect(kept[0]!.dropName).toBe(true);
    expect(kept[0]!.metric.get('dst')).toBe('v');
    const renamed = inst('label_replace', [dropped, '__name__', 'new_$1', 'a', '(.*)']);
    expect(renamed[0]!.dropName).toBeUndefined();
    expect(renamed[0]!.metric.get('__name__')).toBe('new_v');
    const unmatched = inst('label_replace', [dropped, '__name__', 'y', 'a', 'nope']);
    expect(unmatched[0]).toBe(dropped[0]);
    expect(inst('label_replace', [dropped, 'ünïcode.name', 'x', 'a', '.*'])[0]!.metric.get('ünïcode.name')).toBe('x');
  });

  it('matches newlines with . and supports named groups', () => {
    const v = [sample({ a: 'line1\nline2' }, 1)];
    expect(inst('label_replace', [v, 'b', '$1', 'a', '(.*)'])[0]!.metric.get('b')).toBe('line1\nline2');
    expect(inst('label_replace', [[sample({ a: 'k=v' }, 1)], 'b', '${val}/$key', 'a', '(?P<key>\\w+)=(?P<val>\\w+)'])[0]!.metric.get('b')).toBe('v/k');
  });
});

describe('expandTemplate (Go Regexp.Expand)', () => {
  const m = /^(a)(b)?(?<name>c)$/.exec('ac')!;
  it('expands numbered and named references', () => {
    expect(expandTemplate('$1-${1}-$name-${name}', m)).toBe('a-a-c-c');
    expect(expandTemplate('[$2]', m)).toBe('[]'); // unmatched group
    expect(expandTemplate('$9', m)).toBe(''); // no such group
  });

  it('takes the longest name, so $1x is the group "1x"', () => {
    expect(expandTemplate('$1x', m)).toBe('');
    expect(expandTemplate('${1}x', m)).toBe('ax');
  });

  it('keeps malformed references and $$ as text', () => {
    expect(expandTemplate('$$1', m)).toBe('$1');
    expect(expandTemplate('cost: $', m)).toBe('cost: $');
    expect(expandTemplate('${1', m)).toBe('${1');
    expect(expandTemplate('$-', m)).toBe('$-');
    expect(expandTemplate('${}', m)).toBe('${}');
  });

  it('rejects numbers with leading zeros', () => {
    expect(expandTemplate('$01', m)).toBe('');
  });
});

describe('label_join (functions.test)', () => {
  const testmetric = [
    sample({ __name__: 'testmetric', src: 'a', src1: 'b', src2: 'c', dst: 'original-destination-value' }, 0),
    sample({ __name__: 'testmetric', src: 'd', src1: 'e', src2: 'f', dst: 'original-destination-value' }, 1),
  ];

  it('joins in order, treating missing labels as ""', () => {
    expectVector(inst('label_join', [testmetric, 'dst', '-', 'src', 'src1', 'src2']), [
      [{ __name__: 'testmetric', src: 'a', src1: 'b', src2: 'c', dst: 'a-b-c' }, 0],
      [{ __name__: 'testmetric', src: 'd', src1: 'e', src2: 'f', dst: 'd-e-f' }, 1],
    ]);
    expectVector(inst('label_join', [testmetric, 'dst', '-', 'src', 'src3', 'src1']), [
      [{ __name__: 'testmetric', src: 'a', src1: 'b', src2: 'c', dst: 'a--b' }, 0],
      [{ __name__: 'testmetric', src: 'd', src1: 'e', src2: 'f', dst: 'd--e' }, 1],
    ]);
  });

  it('overwrites (deletes) the destination with an empty join, also without sources', () => {
    const expected: [Record<string, string>, number][] = [
      [{ __name__: 'testmetric', src: 'a', src1: 'b', src2: 'c' }, 0],
      [{ __name__: 'testmetric', src: 'd', src1: 'e', src2: 'f' }, 1],
    ];
    expectVector(inst('label_join', [testmetric, 'dst', '', 'emptysrc', 'emptysrc1', 'emptysrc2']), expected);
    expectVector(inst('label_join', [testmetric, 'dst', ', ']), expected);
  });

  it('creates the destination', () => {
    const m = [sample({ __name__: 'testmetric1', src: 'foo', src1: 'bar', src2: 'foobar' }, 0)];
    expectVector(inst('label_join', [m, 'dst', ', ', 'src', 'src1', 'src2']), [
      [{ __name__: 'testmetric1', src: 'foo', src1: 'bar', src2: 'foobar', dst: 'foo, bar, foobar' }, 0],
    ]);
  });

  it('fails on duplicates and invalid names, sources checked first', () => {
    const dup = [sample({ __name__: 'dup', label: 'a', this: 'a' }, 1), sample({ __name__: 'dup', label: 'b', this: 'a' }, 1)];
    expect(failure(() => inst('label_join', [dup, 'label', '', 'this'])).message).toBe('vector cannot contain metrics with the same labelset');
    expect(failure(() => inst('label_join', [dup, '', '', '\uD800'])).message).toBe('invalid source label name in label_join(): \uD800');
    expect(failure(() => inst('label_join', [dup, '', '', 'this'])).message).toBe('invalid destination label name in label_join(): ');
  });

  it('keeps dropName unless it writes __name__', () => {
    const d = [sample({ __name__: 'x', a: 'v' }, 1, { dropName: true })];
    expect(inst('label_join', [d, 'b', '-', 'a'])[0]!.dropName).toBe(true);
    expect(inst('label_join', [d, '__name__', '-', 'a'])[0]!.dropName).toBeUndefined();
  });
});

describe('label functions under delayed name removal (name_label_dropping.test)', () => {
  // rate({env="1"}[10m]) at 10m: both series, named, marked for name removal.
  const rates = [
    sample({ __name__: 'metric_total', env: '1' }, 0.2, { dropName: true }),
    sample({ __name__: 'another_metric_total', env: '1' }, 0.2, { dropName: true }),
  ];

  it('can copy the name that is about to be dropped', () => {
    const out = inst('label_replace', [rates, 'my_name', 'rate_$1', '__name__', '(.+)']);
    expect(out.map((s) => [s.metric.get('my_name'), s.dropName])).toEqual([
      ['rate_metric_total', true],
      ['rate_another_metric_total', true],
    ]);
    const joined = inst('label_join', [rates, 'my_name', '_', '__name__']);
    expect(joined.map((s) => [s.metric.get('my_name'), s.dropName])).toEqual([
      ['metric_total', true],
      ['another_metric_total', true],
    ]);
  });

  it('keeps a name that it writes', () => {
    const out = inst('label_replace', [rates, '__name__', 'rate_$1', '__name__', '(.+)']);
    expect(out.map((s) => [s.metric.get('__name__'), s.dropName])).toEqual([
      ['rate_metric_total', undefined],
      ['rate_another_metric_total', undefined],
    ]);
    const joined = inst('label_join', [rates, '__name__', '_', '__name__', 'env']);
    expect(joined.map((s) => [s.metric.get('__name__'), s.dropName])).toEqual([
      ['metric_total_1', undefined],
      ['another_metric_total_1', undefined],
    ]);
  });
});
