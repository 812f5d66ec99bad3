import { describe, expect, it } from 'vitest';
import { Labels } from '../../../model/labels.js';
import { Matcher } from '../../../model/matcher.js';
import type { Queryable } from '../../../model/storage.js';
import { isStaleNaN } from '../../../model/value.js';
import { ParseError, PromQLError } from '../../../promql/errors.js';
import { type QueryEngine, type QueryOutcome, runScript } from '../../../promql/promqltest/runner.js';
import type { Sample, Series, Value } from '../../../promql/value.js';

type Call = { kind: 'instant'; query: string; t: number } | { kind: 'range'; query: string; start: number; end: number; step: number };

/**
 * SelectorEngine understands just `name` and `name @ <seconds>`: the latest sample within 5m
 * before t (left-open), staleness ending a series. Enough to drive the runner; `override` lets a
 * test answer any call itself.
 */
class SelectorEngine implements QueryEngine {
  readonly calls: Call[] = [];
  constructor(private readonly override?: (call: Call, q: Queryable) => QueryOutcome | undefined) {}

  private at(q: Queryable, query: string, t: number): Sample[] {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?: @ (-?[0-9.]+))?$/.exec(query);
    if (m === null) throw new ParseError({ start: 0, end: 1 }, 1, 1, `unexpected ${JSON.stringify(query)}`);
    const at = m[2] === undefined ? t : Math.round(Number(m[2]) * 1000);
    const out: Sample[] = [];
    for (const s of q.querier(at - 300_000 + 1, at).select([new Matcher('=', '__name__', m[1]!)])) {
      const it = s.samples();
      let last: number | undefined;
      while (it.next()) last = it.v;
      if (last !== undefined && !isStaleNaN(last)) out.push({ metric: s.labels, t, v: last });
    }
    return out;
  }

  async instantQuery(q: Queryable, query: string, t: number): Promise<QueryOutcome> {
    const call: Call = { kind: 'instant', query, t };
    this.calls.push(call);
    const o = this.override?.(call, q);
    if (o !== undefined) return o;
    return { value: { type: 'vector', vector: this.at(q, query, t) }, warnings: [], infos: [] };
  }

  async rangeQuery(q: Queryable, query: string, start: number, end: number, step: number): Promise<QueryOutcome> {
    const call: Call = { kind: 'range', query, start, end, step };
    this.calls.push(call);
    const o = this.override?.(call, q);
    if (o !== undefined) return o;
    const byKey = new Map<string, Series>();
    for (let t = start; t <= end; t += step) {
      for (const s of this.at(q, query, t)) {
        let series = byKey.get(s.metric.key);
        if (series === undefined) byKey.set(s.metric.key, (series = { metric: s.metric, ts: [], vs: [] }));
        series.ts.push(t);
        series.vs.push(s.v);
      }
    }
    const matrix = [...byKey.values()].sort((a, b) => a.metric.compare(b.metric));
    return { value: { type: 'matrix', matrix }, warnings: [], infos: [] };
  }
}

const outcome = (value: Value, warnings: string[] = [], infos: string[] = []): QueryOutcome => ({ value, warnings, infos });
const scalar = (v: number): Value => ({ type: 'scalar', scalar: { t: 0, v } });

const LOAD = 'load 1m\n  m{a="1"} 1 2 3 4 5\n  m{a="2"} 10 20 30 40 50\n\n';

describe('runScript: passing blocks and test.go hidden checks', () => {
  it('passes an instant and a range eval, and runs the @ variants and range mode', async () => {
    const engine = new SelectorEngine();
    const r = await runScript(`${LOAD}eval instant at 2m m\n  m{a="1"} 3\n  m{a="2"} 30\n\neval range from 0 to 2m step 1m m\n  m{a="1"} 1 2 3\n  m{a="2"} 10 20 30\n`, { engine, file: 'x.test' });
    expect(r.blocks.map((b) => [b.line, b.status])).toEqual([
      [5, 'passed'],
      [9, 'passed'],
    ]);
    expect([r.passed, r.failed, r.skipped]).toEqual([2, 0, 0]);
    const instants = engine.calls.filter((c) => c.kind === 'instant');
    expect(instants.map((c) => [c.query, c.t])).toEqual([
      ['m', 120_000],
      ['m @ 120.000', -1_200_000],
      ['m @ 120.000', 0],
      ['m @ 120.000', 24_000],
      ['m @ 120.000', 120_000],
      ['m @ 120.000', 1_200_000],
    ]);
    const ranges = engine.calls.filter((c) => c.kind === 'range');
    expect(ranges).toHaveLength(7);
    expect(ranges[0]).toEqual({ kind: 'range', query: 'm', start: 60_000, end: 180_000, step: 60_000 });
    expect(ranges[6]).toEqual({ kind: 'range', query: 'm', start: 0, end: 120_000, step: 60_000 });
  });

  it('uses -1s, 0 and 1s as the variant times of an eval at 0', async () => {
    const engine = new SelectorEngine();
    await runScript(`${LOAD}eval instant at 0 m\n  m{a="1"} 1\n  m{a="2"} 10\n`, { engine });
    expect(engine.calls.filter((c) => c.kind === 'instant').map((c) => (c.kind === 'instant' ? c.t : 0))).toEqual([0, -1000, 0, 1000]);
  });

  it('adds no @ variant for time-dependent functions, and no range mode for start()/end()', async () => {
    const fives = (c: Call): QueryOutcome =>
      c.kind === 'instant'
        ? outcome(scalar(5))
        : outcome({ type: 'matrix', matrix: [{ metric: Labels.EMPTY, ts: [c.start, c.start + c.step, c.end], vs: [5, 5, 5] }] });
    const engine = new SelectorEngine(fives);
    const r = await runScript('eval instant at 5s time()\n  5\n\neval instant at 5s m @ start()\n  5\n', { engine });
    expect(r.blocks.map((b) => b.status)).toEqual(['passed', 'passed']);
    const pinned = 'm @ 5.000';
    expect(engine.calls.map((c) => `${c.kind} ${c.query}`)).toEqual([
      'instant time()',
      'range time()',
      'instant m @ start()',
      ...[1, 2, 3, 4, 5].flatMap(() => [`instant ${pinned}`, `range ${pinned}`]),
    ]);
  });

  it('fails range mode when the range query has no point at the instant', async () => {
    const engine = new SelectorEngine((c) => outcome(c.kind === 'instant' ? scalar(5) : { type: 'matrix', matrix: [] }));
    const r = await runScript('eval instant at 5s time()\n  5\n', { engine });
    expect(r.blocks[0]!.status).toBe('failed');
    expect(r.blocks[0]!.reason).toBe('the range query has no point at t=5s');
  });

  it('runs but does not compare range mode for ordered evals; skips it for expect range vector', async () => {
    const wrongRange = (c: Call) => (c.kind === 'range' ? outcome({ type: 'matrix', matrix: [] }) : undefined);
    const engine = new SelectorEngine(wrongRange);
    const r = await runScript(`${LOAD}eval instant at 2m m\n  expect ordered\n  m{a="1"} 3\n  m{a="2"} 30\n`, { engine });
    expect(r.blocks[0]!.status).toBe('passed');
    expect(engine.calls.some((c) => c.kind === 'range')).toBe(true);

    const rv = new SelectorEngine((c) => (c.kind === 'instant' ? outcome({ type: 'matrix', matrix: [] }) : undefined));
    const r2 = await runScript(`${LOAD}eval instant at 2m m[1m]\n  expect range vector from 1m to 2m step 1m\n`, { engine: rv });
    expect(r2.blocks[0]!.status).toBe('passed');
    expect(rv.calls.every((c) => c.kind === 'instant')).toBe(true);
  });
});

describe('runScript: failures', () => {
  it('reports a wrong value with file:line, expected and got', async () => {
    const r = await runScript(`${LOAD}eval instant at 2m m\n  m{a="1"} 3\n  m{a="2"} 31\n`, { engine: new SelectorEngine(), file: 'f.test' });
    const b = r.blocks[0]!;
    expect([b.status, b.line, b.command, b.query]).toEqual(['failed', 5, 'eval instant at 2m m', 'm']);
    expect(b.reason).toBe('expected 31 for {__name__="m", a="2"} but got 30');
    expect(b.ran).toBeUndefined();
    expect(b.expected).toEqual(['m{a="1"} 3', 'm{a="2"} 31']);
    expect(b.got).toEqual(['m{a="1"} 3', 'm{a="2"} 30']);
  });

  it('names the @ variant or the range mode that failed', async () => {
    const badVariant = new SelectorEngine((c) => (c.kind === 'instant' && c.query.includes('@') && c.t === 0 ? outcome({ type: 'vector', vector: [] }) : undefined));
    const r = await runScript(`${LOAD}eval instant at 2m m\n  m{a="1"} 3\n  m{a="2"} 30\n`, { engine: badVariant });
    expect(r.blocks[0]!.ran).toBe('@-modifier variant "m @ 120.000" evaluated at t=0s');

    const badRange = new SelectorEngine((c) => (c.kind === 'range' ? outcome({ type: 'matrix', matrix: [] }) : undefined));
    const r2 = await runScript(`${LOAD}eval instant at 2m m\n  m{a="1"} 3\n  m{a="2"} 30\n`, { engine: badRange });
    expect(r2.blocks[0]!.ran).toMatch(/^range mode: "m" from t=1m to t=3m step 1m, compared at t=2m$/);
    expect(r2.blocks[0]!.reason).toMatch(/expected metric .* not found/);
  });

  it('fails a plain parse error and an engine crash', async () => {
    const r = await runScript('eval instant at 0 sum(\n', { engine: new SelectorEngine() });
    expect(r.blocks[0]!.status).toBe('failed');
    expect(r.blocks[0]!.reason).toMatch(/^error evaluating the query: 1:1: parse error/);

    const crash = new SelectorEngine(() => {
      throw new TypeError('x is undefined');
    });
    const r2 = await runScript('eval instant at 0 m\n  expect fail\n', { engine: crash });
    expect(r2.blocks[0]!.status).toBe('failed');
    expect(r2.blocks[0]!.reason).toMatch(/^the engine crashed evaluating the query: TypeError: x is undefined/);
  });

  it('reports a script that does not parse as one failure at its line', async () => {
    const r = await runScript(`${LOAD}eval instant at 2m m\n  m{a="1"} 3 4\n`, { engine: new SelectorEngine(), file: 'bad.test' });
    expect([r.passed, r.failed, r.skipped]).toEqual([0, 1, 0]);
    expect(r.blocks[0]!.line).toBe(6);
    expect(r.blocks[0]!.reason).toMatch(/^script does not parse: expecting multiple values/);
  });

  it('fails a load block when the store refuses a sample', async () => {
    const r = await runScript('load 1m\n  m 1 2\n\nload 1m\n  m 5\n\neval instant at 1m m\n  m 2\n', { engine: new SelectorEngine() });
    expect(r.blocks.map((b) => [b.line, b.status])).toEqual([
      [4, 'failed'],
      [7, 'passed'],
    ]);
    expect(r.blocks[0]!.reason).toMatch(/the store refused a sample: line 5: \{__name__="m"\} at t=0/);
  });

  it('starts from an empty store after clear', async () => {
    const r = await runScript(`${LOAD}clear\neval instant at 2m m\n`, { engine: new SelectorEngine() });
    expect(r.blocks[0]!.status).toBe('passed');
  });
});

describe('runScript: expected failures and annotations', () => {
  const failing = (message: string) =>
    new SelectorEngine(() => {
      throw new PromQLError('execution', message);
    });

  it('passes expect fail when every variant fails with the expected message', async () => {
    const engine = failing('vector cannot contain metrics with the same labelset');
    const r = await runScript('eval instant at 1m m\n  expect fail msg: vector cannot contain metrics with the same labelset\n', { engine });
    expect(r.blocks[0]!.status).toBe('passed');
    expect(engine.calls).toHaveLength(6); // the query and its five @ variants; no range mode
  });

  it('fails expect fail on another message, and on no error at all', async () => {
    const r = await runScript('eval instant at 1m m\n  expect fail regex: same labelset$\n', { engine: failing('boom') });
    expect(r.blocks[0]!.reason).toBe('expected error matching pattern "same labelset$", but got: boom');
    const r2 = await runScript('eval_fail instant at 1m m\n  expected_fail_message boom\n', { engine: failing('bang') });
    expect(r2.blocks[0]!.reason).toBe('expected error "boom", but got: bang');
    const r3 = await runScript('eval instant at 1m m\n  expect fail\n', { engine: new SelectorEngine() });
    expect(r3.blocks[0]!.reason).toBe('expected an error evaluating the query, but got none');
  });

  it('checks warnings and infos as test.go does', async () => {
    const warn = 'PromQL warning: quantile value should be between 0 and 1, got NaN (1:10)';
    const info = 'PromQL info: metric might not be a counter (1:6)';
    const engine = new SelectorEngine((c) => (c.kind === 'instant' ? outcome({ type: 'vector', vector: [] }, [warn], [info]) : undefined));
    const run = async (expects: string) => (await runScript(`eval instant at 1m m\n${expects}`, { engine })).blocks[0]!;
    expect((await run(`  expect warn msg: ${warn}\n  expect info\n`)).status).toBe('passed');
    expect((await run('  expect warn regex: got NaN \\([0-9]+:[0-9]+\\)\n')).status).toBe('passed');
    expect((await run('\n')).status).toBe('passed'); // annotations are not checked without expect lines
    expect((await run('  expect no_warn\n')).reason).toMatch(/^unexpected warning annotations/);
    expect((await run('  expect no_info\n')).reason).toMatch(/^unexpected info annotations/);
    expect((await run('  expect warn msg: PromQL warning: other (1:1)\n')).reason).toMatch(/no matching annotation was found/);
    expect((await run('  expect info msg: PromQL info: other (1:1)\n')).reason).toMatch(/no matching annotation was found/);
    const quiet = new SelectorEngine();
    const r = await runScript('eval_warn instant at 1m m\n', { engine: quiet });
    expect(r.blocks[0]!.reason).toBe('expected warnings evaluating the query, but got none');
    const r2 = await runScript('eval instant at 1m m\n  expect info\n', { engine: quiet });
    expect(r2.blocks[0]!.reason).toBe('expected info annotations but none were found');
    expect(r2.blocks[0]!.expected).toEqual(['expect info']);
    expect(r2.blocks[0]!.got).toEqual(['(no annotations)']);
  });

  it('fails an annotation that no expect line matches', async () => {
    const engine = new SelectorEngine((c) => (c.kind === 'instant' ? outcome({ type: 'vector', vector: [] }, ['PromQL warning: a (1:1)', 'PromQL warning: b (1:1)']) : undefined));
    const r = await runScript('eval instant at 1m m\n  expect warn msg: PromQL warning: a (1:1)\n', { engine });
    expect(r.blocks[0]!.reason).toBe('unexpected warn annotation "PromQL warning: b (1:1)" found');
  });
});

describe('runScript: skips', () => {
  it('skips what the engine answers as unsupported, with its message', async () => {
    const engine = new SelectorEngine(() => {
      throw new PromQLError('unsupported', 'native histograms are not supported');
    });
    const r = await runScript('eval instant at 0 histogram_count(m)\n  {} 1\n', { engine });
    expect(r.blocks[0]).toMatchObject({ status: 'skipped', skipCategory: 'engine unsupported', reason: 'native histograms are not supported' });
    expect([r.passed, r.failed, r.skipped]).toEqual([0, 0, 1]);
  });

  it('skips a parse error on experimental syntax, and names the construct', async () => {
    const engine = new SelectorEngine(() => {
      throw new ParseError({ start: 0, end: 1 }, 1, 1, 'unknown function with name "mad_over_time"');
    });
    const r = await runScript('eval instant at 0 mad_over_time(m[5m])\n', { engine });
    expect(r.blocks[0]).toMatchObject({ status: 'skipped', skipCategory: 'experimental syntax' });
    expect(r.blocks[0]!.reason).toMatch(/^function mad_over_time\(\) \(engine: 1:1: parse error: unknown function/);
  });

  it('skips evals that select native-histogram series or expect histogram values, without running them', async () => {
    const engine = new SelectorEngine();
    const r = await runScript(
      `load 1m
  h 1 {{schema:0 sum:1 count:1}}
  f 1 2

eval instant at 1m h

eval instant at 1m f
  f 2

eval instant at 1m {__name__=~"h|g"}

eval instant at 1m f
  f {{sum:1 count:1}}
`,
      { engine },
    );
    expect(r.blocks.map((b) => [b.line, b.status, b.skipCategory])).toEqual([
      [5, 'skipped', 'native histograms'],
      [7, 'passed', undefined],
      [10, 'skipped', 'native histograms'],
      [12, 'skipped', 'native histograms'],
    ]);
    expect(r.blocks[0]!.reason).toBe('selects h, which holds native-histogram samples');
    expect(engine.calls.every((c) => c.query.startsWith('f'))).toBe(true);
  });

  it('treats load_with_nhcb as a float load plus native histograms under the base name', async () => {
    const engine = new SelectorEngine();
    const r = await runScript(
      `load_with_nhcb 1m
  req_bucket{le="1"} 1 2
  req_bucket{le="+Inf"} 2 4
  req_sum 3 6
  req_count 2 4

eval instant at 1m req_count
  req_count 4

eval instant at 1m req
`,
      { engine },
    );
    expect(r.blocks.map((b) => b.status)).toEqual(['passed', 'skipped']);
    expect(r.blocks[1]!.reason).toBe('selects req, which holds native-histogram samples');
  });
});
