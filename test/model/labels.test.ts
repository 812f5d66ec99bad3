import { describe, expect, it } from 'vitest';
import { Labels, LabelsBuilder, isValidLabelName, isValidMetricName } from '../../model/labels.js';

describe('Labels', () => {
  it('sorts by name, drops empty values, and later duplicates win', () => {
    const l = Labels.from([
      ['job', 'api'],
      ['__name__', 'up'],
      ['empty', ''],
      ['job', 'web'],
    ]);
    expect([...l]).toEqual([
      ['__name__', 'up'],
      ['job', 'web'],
    ]);
    expect(l.get('empty')).toBe('');
    expect(l.has('empty')).toBe(false);
    expect(l.metricName).toBe('up');
  });

  it('has an injective key even when values contain NUL', () => {
    const a = Labels.from({ a: 'x\u0000b', c: 'y' });
    const b = Labels.from({ a: 'x', b: '\u0000c' });
    expect(a.key).not.toBe(b.key);
    expect(Labels.from({ a: '1', b: '2' }).key).toBe(Labels.from({ b: '2', a: '1' }).key);
  });

  it('renders like Prometheus', () => {
    const l = Labels.from({ __name__: 'http_requests_total', code: '200', path: 'a"b\\c\nd' });
    expect(l.toString()).toBe('{__name__="http_requests_total", code="200", path="a\\"b\\\\c\\nd"}');
    expect(l.toSeriesString()).toBe('http_requests_total{code="200", path="a\\"b\\\\c\\nd"}');
    expect(Labels.from({ __name__: 'up' }).toSeriesString()).toBe('up');
  });

  it('compares pairwise by name, then value, then length', () => {
    const a = Labels.from({ a: '1' });
    const b = Labels.from({ a: '1', b: '1' });
    const c = Labels.from({ a: '2' });
    expect(a.compare(b)).toBeLessThan(0);
    expect(b.compare(c)).toBeLessThan(0);
    expect(c.compare(c)).toBe(0);
    expect(a.equals(Labels.from({ a: '1' }))).toBe(true);
  });

  it('without removes names and returns the same object when nothing changes', () => {
    const l = Labels.from({ a: '1', b: '2' });
    expect(l.without('a').toRecord()).toEqual({ b: '2' });
    expect(l.without('zzz')).toBe(l);
  });
});

describe('LabelsBuilder', () => {
  it('sets, deletes, and treats an empty value as delete', () => {
    const b = new LabelsBuilder(Labels.from({ a: '1', b: '2' }));
    b.set('c', '3').del('a').set('b', '');
    expect(b.labels().toRecord()).toEqual({ c: '3' });
  });
});

describe('name validation', () => {
  it('follows the classic Prometheus rules', () => {
    expect(isValidMetricName('vllm:num_requests_running')).toBe(true);
    expect(isValidMetricName('1abc')).toBe(false);
    expect(isValidMetricName('a-b')).toBe(false);
    expect(isValidLabelName('modelName')).toBe(true);
    expect(isValidLabelName('UUID')).toBe(true);
    expect(isValidLabelName('a:b')).toBe(false);
    expect(isValidLabelName('')).toBe(false);
  });
});
