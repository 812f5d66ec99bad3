import { describe, expect, it } from 'vitest';
import { Grouper, grouperFor } from '../../promql/grouping.js';
import { lbl } from './helpers.js';

describe('Grouper', () => {
  const ls = lbl('http_requests{job="api", instance="0", group="canary"}');

  it('by keeps only the listed labels, __name__ included when listed', () => {
    expect(new Grouper(false, ['job', 'nope']).group(ls).labels.toString()).toBe('{job="api"}');
    expect(new Grouper(false, ['__name__']).group(ls).labels.toString()).toBe('{__name__="http_requests"}');
    expect(new Grouper(false, []).constant).toBe(true);
    expect(new Grouper(true, []).constant).toBe(false);
  });

  it('without drops the listed labels and always __name__', () => {
    expect(new Grouper(true, ['instance']).group(ls).labels.toString()).toBe('{group="canary", job="api"}');
    expect(new Grouper(true, []).group(ls).labels.toString()).toBe('{group="canary", instance="0", job="api"}');
  });

  it('gives equal keys to label sets in the same group, and keeps the input set when nothing is dropped', () => {
    const g = new Grouper(true, ['instance']);
    expect(g.group(ls).key).toBe(g.group(lbl('other{job="api", instance="1", group="canary"}')).key);
    expect(g.group(ls).key).not.toBe(g.group(lbl('x{job="api", group="prod"}')).key);
    const plain = lbl('{a="1"}');
    expect(g.group(plain).labels).toBe(plain);
  });

  it('is cached per grouping label array', () => {
    const labels = ['job'];
    expect(grouperFor({ without: false, labels })).toBe(grouperFor({ without: false, labels }));
    expect(grouperFor({ without: true, labels })).not.toBe(grouperFor({ without: false, labels }));
  });
});
