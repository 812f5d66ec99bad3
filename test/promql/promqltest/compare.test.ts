import { describe, expect, it } from 'vitest';
import { Labels } from '../../../model/labels.js';
import { compareResult, formatValueResult } from '../../../promql/promqltest/compare.js';
import { type EvalCommand, parseScript } from '../../../promql/promqltest/script.js';
import type { Matrix, Value, Vector } from '../../../promql/value.js';

function evalOf(src: string): EvalCommand {
  const c = parseScript(src).commands[0];
  if (c?.kind !== 'eval') throw new Error('not an eval');
  return c;
}

const L = (r: Record<string, string>) => Labels.from(r);
const vector = (...samples: [Record<string, string>, number][]): Value => ({
  type: 'vector',
  vector: samples.map(([m, v]) => ({ metric: L(m), t: 0, v })) as Vector,
});
const matrix = (...series: [Record<string, string>, number[], number[]][]): Value => ({
  type: 'matrix',
  matrix: series.map(([m, ts, vs]) => ({ metric: L(m), ts, vs })) as Matrix,
});

describe('compareResult: instant vectors', () => {
  const cmd = evalOf('eval instant at 0 m\n  m{a="1"} 1\n  m{a="2"} NaN\n');

  it('accepts the expected samples in any order, values almost equal', () => {
    expect(compareResult(cmd, vector([{ __name__: 'm', a: '2' }, NaN], [{ __name__: 'm', a: '1' }, 1 + 1e-9]))).toBeUndefined();
  });

  it('reports a wrong value, an extra series and a missing one', () => {
    expect(compareResult(cmd, vector([{ __name__: 'm', a: '1' }, 2], [{ __name__: 'm', a: '2' }, NaN]))).toBe('expected 1 for {__name__="m", a="1"} but got 2');
    expect(compareResult(cmd, vector([{ __name__: 'm', a: '3' }, 1]))).toMatch(/^unexpected metric \{__name__="m", a="3"\} in result, has value 1$/);
    expect(compareResult(cmd, vector([{ __name__: 'm', a: '1' }, 1]))).toMatch(/^expected metric \{__name__="m", a="2"\} with NaN not found$/);
  });

  it('compares label sets exactly: a kept __name__ is a difference', () => {
    const c = evalOf('eval instant at 0 -m\n  {a="1"} -1\n');
    expect(compareResult(c, vector([{ __name__: 'm', a: '1' }, -1]))).toMatch(/unexpected metric/);
    expect(compareResult(c, vector([{ a: '1' }, -1]))).toBeUndefined();
  });

  it('checks positions for ordered evals only', () => {
    const ordered = evalOf('eval instant at 0 sort(m)\n  expect ordered\n  m{a="1"} 1\n  m{a="2"} 2\n');
    const swapped = vector([{ __name__: 'm', a: '2' }, 2], [{ __name__: 'm', a: '1' }, 1]);
    expect(compareResult(ordered, swapped)).toMatch(/at position 2 but was at 1/);
    expect(compareResult(evalOf('eval instant at 0 m\n  m{a="1"} 1\n  m{a="2"} 2\n'), swapped)).toBeUndefined();
  });

  it('expects an empty result when the block lists nothing', () => {
    const c = evalOf('eval instant at 0 m\n');
    expect(compareResult(c, vector())).toBeUndefined();
    expect(compareResult(c, vector([{ a: '1' }, 1]))).toMatch(/unexpected metric/);
    expect(compareResult(c, { type: 'scalar', scalar: { t: 0, v: 1 } })).toMatch(/expected vector or matrix result, but got scalar 1/);
  });
});

describe('compareResult: scalars and strings', () => {
  it('compares scalars and refuses a vector for a scalar expectation', () => {
    const c = evalOf('eval instant at 0 1 + 1\n  2\n');
    expect(compareResult(c, { type: 'scalar', scalar: { t: 0, v: 2 } })).toBeUndefined();
    expect(compareResult(c, { type: 'scalar', scalar: { t: 0, v: 3 } })).toBe('expected scalar 2 but got 3');
    expect(compareResult(c, vector([{}, 2]))).toMatch(/expected scalar result, but got vector/);
  });

  it('compares strings exactly', () => {
    const c = evalOf('eval instant at 0 "a"\n  expect string "a"\n');
    expect(compareResult(c, { type: 'string', string: { t: 0, s: 'a' } })).toBeUndefined();
    expect(compareResult(c, { type: 'string', string: { t: 0, s: 'b' } })).toBe('expected string "a" but got "b"');
  });
});

describe('compareResult: matrices', () => {
  const cmd = evalOf('eval range from 0 to 2m step 1m m\n  m{a="1"} 1 _ 3\n  m{a="2"} 1 2 3\n');

  it('lays expected points on the range steps, gaps skipped', () => {
    expect(
      compareResult(cmd, matrix([{ __name__: 'm', a: '1' }, [0, 120_000], [1, 3]], [{ __name__: 'm', a: '2' }, [0, 60_000, 120_000], [1, 2, 3]])),
    ).toBeUndefined();
  });

  it('reports a point count, a timestamp and a value difference', () => {
    const ok2: [Record<string, string>, number[], number[]] = [{ __name__: 'm', a: '2' }, [0, 60_000, 120_000], [1, 2, 3]];
    expect(compareResult(cmd, matrix([{ __name__: 'm', a: '1' }, [0, 60_000, 120_000], [1, 2, 3]], ok2))).toMatch(/expected 2 float points for/);
    expect(compareResult(cmd, matrix([{ __name__: 'm', a: '1' }, [0, 60_000], [1, 3]], ok2))).toMatch(/to have timestamp 120000, but it had timestamp 60000/);
    expect(compareResult(cmd, matrix([{ __name__: 'm', a: '1' }, [0, 120_000], [1, 4]], ok2))).toMatch(/\(t=120000\) .* to be 3, but got 4/);
  });

  it('requires a matrix sorted by labels', () => {
    const unsorted = matrix([{ __name__: 'm', a: '2' }, [0, 60_000, 120_000], [1, 2, 3]], [{ __name__: 'm', a: '1' }, [0, 120_000], [1, 3]]);
    expect(compareResult(cmd, unsorted)).toMatch(/matrix results should always be sorted by labels/);
  });

  it('refuses expected points beyond the range end', () => {
    const c = evalOf('eval range from 0 to 1m step 1m m\n  m 1 2 3\n');
    expect(compareResult(c, matrix([{ __name__: 'm' }, [0, 60_000], [1, 2]]))).toMatch(/query time range cannot return this many points/);
  });

  it('lays range-vector results of an instant query on the expect range vector steps', () => {
    const c = evalOf('eval instant at 1m m[1m]\n  expect range vector from 20s to 1m step 20s\n  m 2 3 4\n');
    expect(compareResult(c, matrix([{ __name__: 'm' }, [20_000, 40_000, 60_000], [2, 3, 4]]))).toBeUndefined();
  });

  it('renders results for failure reports', () => {
    expect(formatValueResult(matrix([{ __name__: 'm', a: '1' }, [0, 60_000], [1, Infinity]]))).toEqual(['m{a="1"} 1@0 +Inf@60000']);
    expect(formatValueResult(vector())).toEqual(['(empty vector)']);
  });
});
