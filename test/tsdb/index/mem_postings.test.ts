import { describe, expect, it } from 'vitest';
import { MemPostings } from '../../../tsdb/index/mem_postings.js';

describe('MemPostings', () => {
  it('indexes ids per name and value, sorted even when ids arrive out of order', () => {
    const m = new MemPostings();
    m.add(5, ['__name__', 'up', 'job', 'a']);
    m.add(2, ['__name__', 'up', 'job', 'b']);
    m.add(9, ['__name__', 'up', 'job', 'a']);
    m.add(1, ['__name__', 'up']);
    expect(Array.from(m.get('__name__', 'up'))).toEqual([1, 2, 5, 9]);
    expect(Array.from(m.get('job', 'a'))).toEqual([5, 9]);
    expect(Array.from(m.get('job', 'b'))).toEqual([2]);
    expect(Array.from(m.get('job', 'c'))).toEqual([]);
    expect(m.names().sort()).toEqual(['__name__', 'job']);
    expect(m.values('job').sort()).toEqual(['a', 'b']);
    expect(m.valueCount('job')).toBe(2);
    expect(m.seriesCount('__name__', 'up')).toBe(4);
  });

  it('removes many ids at once and forgets emptied values and names', () => {
    const m = new MemPostings();
    const sets: string[][] = [];
    for (let id = 1; id <= 100; id++) {
      const flat = ['__name__', 'm', 'pod', `p${id}`, ...(id % 10 === 0 ? ['rare', 'x'] : [])];
      sets[id] = flat;
      m.add(id, flat);
    }
    const dead = new Set([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 1, 2, 3]);
    m.removeAll([...dead].map((id) => sets[id]!), (id) => dead.has(id));
    expect(m.seriesCount('__name__', 'm')).toBe(87);
    expect(m.get('__name__', 'm').includes(10)).toBe(false);
    expect(m.values('pod')).toHaveLength(87);
    expect(m.names().sort()).toEqual(['__name__', 'pod']);
    expect(Array.from(m.get('rare', 'x'))).toEqual([]);
  });
});
