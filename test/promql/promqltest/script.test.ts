import { describe, expect, it } from 'vitest';
import { type EvalCommand, isFail, isOrdered, type LoadCommand, parseScript, ScriptSyntaxError } from '../../../promql/promqltest/script.js';

function evals(src: string): EvalCommand[] {
  return parseScript(src).commands.filter((c): c is EvalCommand => c.kind === 'eval');
}

function syntaxError(src: string): ScriptSyntaxError {
  try {
    parseScript(src);
  } catch (err) {
    if (err instanceof ScriptSyntaxError) return err;
    throw err;
  }
  throw new Error('expected a ScriptSyntaxError');
}

describe('parseScript: commands', () => {
  it('parses load, clear and eval blocks with their 1-based lines', () => {
    const s = parseScript(`# a comment
load 5m
  m{a="1"} 0+10x10
  n 1 2

eval instant at 50m m
  m{a="1"} 100

clear
eval range from 0 to 10m step 5m n
  n 1 2 _
`);
    expect(s.commands.map((c) => [c.kind, c.line])).toEqual([
      ['load', 2],
      ['eval', 6],
      ['clear', 9],
      ['eval', 10],
    ]);
    const load = s.commands[0] as LoadCommand;
    expect(load.stepMs).toBe(300_000);
    expect(load.series.map((x) => x.line)).toEqual([3, 4]);
    expect(s.maxLoadedMs).toBe(10 * 300_000);
  });

  it('ends a block at a comment line, as test.go does', () => {
    // The `# inside` line ends the first eval's block, so `b 2` would be a command: test.go
    // refuses it, and so does the parser.
    expect(syntaxError('eval instant at 0 a\n  a 1\n  # inside\n  b 2\n').line).toBe(4);
    const e = evals('eval instant at 0 a\n  a 1\n  # inside\neval instant at 0 b\n');
    expect(e.map((x) => x.expected.size)).toEqual([1, 0]);
  });

  it('keeps the last definition of a series loaded twice in one block', () => {
    const load = parseScript('load 1m\n  m 1 2\n  m 5\n').commands[0] as LoadCommand;
    expect(load.series).toHaveLength(1);
    expect(load.series[0]!.points.toString()).toBe('5');
    expect(load.series[0]!.line).toBe(3);
  });

  it('parses load_with_nhcb and load steps with several units', () => {
    const s = parseScript('load_with_nhcb 10s53ms\n  h_bucket{le="1"} 1\n');
    const load = s.commands[0] as LoadCommand;
    expect(load.withNHCB).toBe(true);
    expect(load.stepMs).toBe(10_053);
  });

  it('notes series with @st start timestamps without loading them as samples', () => {
    const load = parseScript('load 1m\n  m@st -1s -1s\n  m 1 2\n').commands[0] as LoadCommand;
    expect(load.series).toHaveLength(1);
    expect(load.startTimestamps.labels.map((l) => l.metricName)).toEqual(['m']);
  });

  it('reports the line of an invalid command or series', () => {
    expect(syntaxError('load 1m\n  m 1\n\nfoo bar\n').line).toBe(4);
    expect(syntaxError('load 1m\n  m 1\n  n 1+\n').line).toBe(3);
    expect(syntaxError('load\n').line).toBe(1);
    expect(syntaxError('load 5x\n').reason).toMatch(/invalid step definition/);
  });
});

describe('parseScript: eval', () => {
  it('reads instant evals: time, query, expected series', () => {
    const [e] = evals('eval instant at 1h30m sum by (a) (m)\n  {a="x"} 3\n  {a="y"} Inf\n');
    expect(e!.evalMs).toBe(5_400_000);
    expect(e!.query).toBe('sum by (a) (m)');
    expect(e!.range).toBeUndefined();
    expect([...e!.expected.values()].map((x) => [x.labels.get('a'), x.points.values[0], x.pos])).toEqual([
      ['x', 3, 1],
      ['y', Infinity, 2],
    ]);
  });

  it('reads range evals; greedy from/to as in test.go', () => {
    const [e] = evals('eval range from 0 to 10m step 5m rate(m[5m])\n  {} 1 2 3\n');
    expect(e!.range).toEqual({ startMs: 0, endMs: 600_000, stepMs: 300_000 });
    expect(e!.query).toBe('rate(m[5m])');
  });

  it('reads a bare number as a scalar expectation and an empty block as an empty result', () => {
    const [a, b] = evals('eval instant at 0 1 + 1\n  2\n\neval instant at 0 missing\n');
    expect(a!.expectScalar).toBe(true);
    expect(a!.scalar).toBe(2);
    expect(b!.expectScalar).toBe(false);
    expect(b!.expected.size).toBe(0);
  });

  it('reads expect lines: fail with msg/regex, warn, no_info, ordered', () => {
    const [e] = evals(`eval instant at 0 m
  expect fail msg: something broke
  expect no_warn
  expect info regex: PromQL info: .* \\(1:[0-9]+\\)
  expect ordered
  m 1
`);
    expect(isFail(e!)).toBe(true);
    expect(isOrdered(e!)).toBe(true);
    expect(e!.expects.fail[0]).toEqual({ type: 'message', message: 'something broke' });
    expect(e!.expects.no_warn).toEqual([{ type: 'any' }]);
    const info = e!.expects.info[0]!;
    expect(info.type === 'regex' && info.regex.test('PromQL info: x y (1:5)')).toBe(true);
    // expect lines do not advance the position counter used by ordered evals
    expect([...e!.expected.values()][0]!.pos).toBe(1);
  });

  it('refuses contradicting expect lines', () => {
    expect(syntaxError('eval instant at 0 m\n  expect warn\n  expect no_warn\n').reason).toMatch(/warn and no_warn/);
    expect(syntaxError('eval instant at 0 m\n  expect info\n  expect no_info\n').reason).toMatch(/info and no_info/);
    expect(syntaxError('eval instant at 0 m\n  expect fail\n  expect fail\n').reason).toMatch(/multiple expect fail/);
    expect(syntaxError('eval instant at 0 m\n  expect sometimes\n').line).toBe(2);
  });

  it('reads the legacy eval_fail/eval_warn/eval_ordered/eval_info forms', () => {
    const [f, w, o, i, r] = evals(`eval_fail instant at 0 m
  expected_fail_message vector cannot contain metrics with the same labelset

eval_warn instant at 0 m

eval_ordered instant at 0 sort(m)

eval_info instant at 0 m

eval_fail range from 0 to 1m step 1m m
  expected_fail_regexp vector cannot .*
`);
    expect(f!.legacy.fail && f!.expectedFailMessage === 'vector cannot contain metrics with the same labelset').toBe(true);
    expect(w!.legacy.warn).toBe(true);
    expect(isOrdered(o!)).toBe(true);
    expect(i!.legacy.info).toBe(true);
    expect(r!.range !== undefined && r!.expectedFailRegexp!.regex.test('vector cannot contain x')).toBe(true);
  });

  it('reads expect range vector: the eval time becomes its end, and no range-mode check', () => {
    const [e] = evals('eval instant at 1m m[1m]\n  expect range vector from 10s to 1m step 10s\n  m 1 2 3 4 5 6\n');
    expect(e!.rangeVector).toEqual({ startMs: 10_000, endMs: 60_000, stepMs: 10_000 });
    expect(e!.evalMs).toBe(60_000);
    expect(e!.excludeFromRangeQuery).toBe(true);
    // the range-vector line advances test.go's position counter
    expect([...e!.expected.values()][0]!.pos).toBe(2);
  });

  it('reads expect string with Go quoting', () => {
    const [a, b, c] = evals('eval instant at 0 "a"\n  expect string " Foo "\n\neval instant at 0 `b`\n  expect string `Foo`\n\neval instant at 0 "c"\n  expect string ""\n');
    expect([a!.expectedString, b!.expectedString, c!.expectedString]).toEqual([' Foo ', 'Foo', '']);
    expect(a!.excludeFromRangeQuery).toBe(true);
    expect(syntaxError('eval instant at 0 "a"\n  expect string Foo\n').reason).toMatch(/correctly quoted/);
  });

  it('refuses several values for an instant eval without expect range vector', () => {
    expect(syntaxError('eval instant at 0 m\n  m 1 2\n').reason).toMatch(/expecting multiple values in instant evaluation/);
  });

  it('refuses an instant eval without a time and a range that ends before it starts', () => {
    expect(syntaxError('eval instant m\n').reason).toMatch(/invalid evaluation command|timestamp/);
    expect(syntaxError('eval range from 10m to 5m step 1m m\n').reason).toMatch(/before start timestamp/);
  });

  it('lets a metric named expect be written as expect{}', () => {
    const [e] = evals('eval instant at 0 expect\n  expect{} 1\n');
    expect(e!.expected.size).toBe(1);
  });
});
