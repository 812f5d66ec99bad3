import { describe, expect, it } from 'vitest';
import { natsortLess } from '../../../promql/functions/sort.js';
import type { Vector } from '../../../promql/value.js';
import { inst, sample } from './helpers.js';

// Expectations marked "functions.test" are transcribed from Prometheus 3.14's functions.test.

type Row = [group: string, instance: string, job: string, v: number];

function http(rows: Row[]): Vector {
  return rows.map(([group, instance, job, v]) => sample({ __name__: 'http_requests', group, instance, job }, v));
}

function rowsOf(vec: Vector): Row[] {
  return vec.map((s) => [s.metric.get('group'), s.metric.get('instance'), s.metric.get('job'), s.v]);
}

describe('sort and sort_desc (functions.test)', () => {
  const input = http([
    ['production', '0', 'api-server', 100],
    ['production', '1', 'api-server', 200],
    ['canary', '0', 'api-server', 300],
    ['canary', '1', 'api-server', 400],
    ['canary', '2', 'api-server', NaN],
    ['production', '0', 'app-server', 500],
    ['production', '1', 'app-server', 600],
    ['canary', '0', 'app-server', 700],
    ['canary', '1', 'app-server', 800],
  ]);
  const shuffled = [input[4]!, input[7]!, input[0]!, input[2]!, input[8]!, input[1]!, input[6]!, input[3]!, input[5]!];

  it('sort ascends with NaN last', () => {
    expect(rowsOf(inst('sort', [shuffled])).map((r) => r[3])).toEqual([100, 200, 300, 400, 500, 600, 700, 800, NaN]);
  });

  it('sort_desc descends with NaN last', () => {
    expect(rowsOf(inst('sort_desc', [shuffled])).map((r) => r[3])).toEqual([800, 700, 600, 500, 400, 300, 200, 100, NaN]);
  });

  it('returns the input samples themselves and leaves the input order alone', () => {
    const before = shuffled.slice();
    const out = inst('sort', [shuffled]);
    expect(shuffled).toEqual(before);
    expect(out.every((s) => shuffled.includes(s))).toBe(true);
    const dropped = [sample({ __name__: 'a' }, 2, { dropName: true }), sample({ __name__: 'b' }, 1)];
    expect(inst('sort', [dropped]).map((s) => s.dropName)).toEqual([undefined, true]);
  });

  it('handles infinities and several NaNs', () => {
    const v = [NaN, Infinity, -Infinity, 0, NaN, -0].map((x, i) => sample({ i: String(i) }, x));
    expect(inst('sort', [v]).map((s) => s.v)).toEqual([-Infinity, 0, -0, Infinity, NaN, NaN]);
    expect(inst('sort_desc', [v]).map((s) => s.v)).toEqual([Infinity, 0, -0, -Infinity, NaN, NaN]);
  });
});

describe('sort_by_label and sort_by_label_desc (functions.test)', () => {
  const input = http([
    ['production', '0', 'api-server', 100],
    ['production', '1', 'api-server', 200],
    ['canary', '0', 'api-server', 300],
    ['canary', '1', 'api-server', 400],
    ['canary', '2', 'api-server', NaN],
    ['production', '0', 'app-server', 500],
    ['production', '1', 'app-server', 600],
    ['canary', '0', 'app-server', 700],
    ['canary', '1', 'app-server', 800],
    ['production', '2', 'api-server', 100],
  ]);

  const byInstance: Row[] = [
    ['canary', '0', 'api-server', 300],
    ['canary', '0', 'app-server', 700],
    ['production', '0', 'api-server', 100],
    ['production', '0', 'app-server', 500],
    ['canary', '1', 'api-server', 400],
    ['canary', '1', 'app-server', 800],
    ['production', '1', 'api-server', 200],
    ['production', '1', 'app-server', 600],
    ['canary', '2', 'api-server', NaN],
    ['production', '2', 'api-server', 100],
  ];

  it('sorts by the given labels, then by the whole label set', () => {
    expect(rowsOf(inst('sort_by_label', [input, 'instance']))).toEqual(byInstance);
    expect(rowsOf(inst('sort_by_label', [input, 'instance', 'group']))).toEqual(byInstance);
    expect(rowsOf(inst('sort_by_label', [input, 'group', 'instance', 'job']))).toEqual([
      ['canary', '0', 'api-server', 300],
      ['canary', '0', 'app-server', 700],
      ['canary', '1', 'api-server', 400],
      ['canary', '1', 'app-server', 800],
      ['canary', '2', 'api-server', NaN],
      ['production', '0', 'api-server', 100],
      ['production', '0', 'app-server', 500],
      ['production', '1', 'api-server', 200],
      ['production', '1', 'app-server', 600],
      ['production', '2', 'api-server', 100],
    ]);
    expect(rowsOf(inst('sort_by_label', [input, 'job', 'instance', 'group']))).toEqual([
      ['canary', '0', 'api-server', 300],
      ['production', '0', 'api-server', 100],
      ['canary', '1', 'api-server', 400],
      ['production', '1', 'api-server', 200],
      ['canary', '2', 'api-server', NaN],
      ['production', '2', 'api-server', 100],
      ['canary', '0', 'app-server', 700],
      ['production', '0', 'app-server', 500],
      ['canary', '1', 'app-server', 800],
      ['production', '1', 'app-server', 600],
    ]);
  });

  it('sorts descending, the tie-break descending too', () => {
    const desc = byInstance.slice().reverse();
    expect(rowsOf(inst('sort_by_label_desc', [input, 'instance']))).toEqual(desc);
    expect(rowsOf(inst('sort_by_label_desc', [input, 'instance', 'group']))).toEqual(desc);
    expect(rowsOf(inst('sort_by_label_desc', [input, 'instance', 'group', 'job']))).toEqual(desc);
  });

  it('uses natural order for numbers inside values', () => {
    const cpus = ['0', '1', '2', '3', '10', '11', '12', '20', '21', '100'];
    const v = cpus
      .slice()
      .reverse()
      .map((cpu) => sample({ __name__: 'cpu_time_total', job: 'cpu', cpu }, 100));
    expect(inst('sort_by_label', [v, 'cpu']).map((s) => s.metric.get('cpu'))).toEqual(cpus);
    const node = [
      sample({ __name__: 'node_uname_info', job: 'node_exporter', instance: '4m600', release: '1.2.3' }, 100),
      sample({ __name__: 'node_uname_info', job: 'node_exporter', instance: '4m5', release: '1.11.3' }, 100),
      sample({ __name__: 'node_uname_info', job: 'node_exporter', instance: '4m1000', release: '1.111.3' }, 100),
    ];
    expect(inst('sort_by_label', [node, 'instance']).map((s) => s.metric.get('instance'))).toEqual(['4m5', '4m600', '4m1000']);
    expect(inst('sort_by_label', [node, 'release']).map((s) => s.metric.get('release'))).toEqual(['1.2.3', '1.11.3', '1.111.3']);
  });
});

describe('natsortLess (facette/natsort at Prometheus\'s pinned version)', () => {
  it('orders digit runs by value and others as strings', () => {
    expect(natsortLess('a2', 'a10')).toBe(true);
    expect(natsortLess('a10', 'a2')).toBe(false);
    expect(natsortLess('abc', 'abd')).toBe(true);
    expect(natsortLess('x', '1')).toBe(false); // "x" > "1" as strings
    expect(natsortLess('a', 'a1')).toBe(true);
    expect(natsortLess('a1', 'a')).toBe(false);
  });

  it('keeps its quirks: equal last runs and equal values in other spellings', () => {
    expect(natsortLess('01', '1')).toBe(true);
    expect(natsortLess('1', '01')).toBe(true);
    expect(natsortLess('a01b', 'a1c')).toBe(true);
    expect(natsortLess('a1c', 'a01b')).toBe(false);
  });

  it('compares digit runs too long for int64 as strings', () => {
    expect(natsortLess('99999999999999999999', '100000000000000000000')).toBe(false);
    // 10000000000000000000 overflows int64, so it compares as a string: "1" < "9".
    expect(natsortLess('10000000000000000000', '9223372036854775807')).toBe(true);
    expect(natsortLess('9223372036854775807', '10000000000000000000')).toBe(false);
  });

  it('treats an empty value as neither before nor after anything, as Prometheus', () => {
    // natsort says "" < "1" is false and "1" < "" is false too: Go's insertion sort leaves such
    // pairs where they are, whichever order they come in.
    expect(natsortLess('', '1')).toBe(false);
    expect(natsortLess('1', '')).toBe(false);
    const v = [sample({ a: '1' }, 1), sample({ b: '1' }, 2)];
    expect(inst('sort_by_label', [v, 'a']).map((s) => s.v)).toEqual([1, 2]);
    expect(inst('sort_by_label', [v.slice().reverse(), 'a']).map((s) => s.v)).toEqual([2, 1]);
  });
});
