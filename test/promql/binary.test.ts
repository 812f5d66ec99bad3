import { describe, expect, it } from 'vitest';
import { aggregate } from '../../promql/aggregate.js';
import { scalarBinaryOp, vectorBinaryOp, vectorScalarOp, type BinaryOp, type VectorMatching } from '../../promql/binary.js';
import { PromQLError } from '../../promql/errors.js';
import type { Vector } from '../../promql/value.js';
import { asSet, expected, rows, smp, vec } from './helpers.js';

// Cases transcribed from Prometheus 3's promqltest/testdata/operators.test (../shared/promqltest).
// Results are what the operators hand back to the engine: names to be removed are still present
// with dropName set; the engine removes them when the value leaves it.

const T = 3_000_000; // 50m
const oneToOne: VectorMatching = { card: 'one-to-one', on: false, matchingLabels: [], include: [] };
const setMatching: VectorMatching = { card: 'many-to-many', on: false, matchingLabels: [], include: [] };
const on = (card: VectorMatching['card'], labels: string[], include: string[] = []): VectorMatching => ({
  card,
  on: true,
  matchingLabels: labels,
  include,
});
const ignoring = (card: VectorMatching['card'], labels: string[], include: string[] = []): VectorMatching => ({
  card,
  on: false,
  matchingLabels: labels,
  include,
});
const bin = (op: BinaryOp, l: Vector, r: Vector, m: VectorMatching = op === 'and' || op === 'or' || op === 'unless' ? setMatching : oneToOne, bool = false) =>
  vectorBinaryOp(op, l, r, m, bool, T);

const httpRequests = vec(
  [
    ['http_requests_total{job="api-server", instance="0", group="production"}', 100],
    ['http_requests_total{job="api-server", instance="1", group="production"}', 200],
    ['http_requests_total{job="api-server", instance="0", group="canary"}', 300],
    ['http_requests_total{job="api-server", instance="1", group="canary"}', 400],
    ['http_requests_total{job="app-server", instance="0", group="production"}', 500],
    ['http_requests_total{job="app-server", instance="1", group="production"}', 600],
    ['http_requests_total{job="app-server", instance="0", group="canary"}', 700],
    ['http_requests_total{job="app-server", instance="1", group="canary"}', 800],
  ],
  T,
);
const where = (f: Record<string, string>): Vector =>
  httpRequests.filter((s) => Object.entries(f).every(([k, v]) => s.metric.get(k) === v));
const sumByJob = aggregate('sum', httpRequests, { without: false, labels: ['job'] }, undefined, T);
const countByJob = aggregate('count', httpRequests, { without: false, labels: ['job'] }, undefined, T);
const vectorMatchingA = vec(
  [
    ['vector_matching_a{l="x"}', 10],
    ['vector_matching_a{l="y"}', 20],
  ],
  T,
);

describe('arithmetic', () => {
  it('matches one-to-one on all labels but the name and drops the name at once', () => {
    expect(rows(bin('-', sumByJob, countByJob))).toEqual([
      ['{job="api-server"}', 996, false],
      ['{job="app-server"}', 2596, false],
    ]);
    expect(rows(bin('+', sumByJob, sumByJob)).map(([, v]) => v)).toEqual([2000, 5200]);
    expect(rows(bin('^', countByJob, countByJob)).map(([, v]) => v)).toEqual([256, 256]);
    // Names differ but nothing else does: they match, and the result has no name.
    const trig = bin('atan2', [smp('trigy', 10, T)], [smp('trigx', 20, T)]);
    expect(rows(trig)).toEqual([['{}', 0.4636476090008061, false]]);
    expect(bin('atan2', [smp('trigy', 10, T)], [smp('trigNaN', NaN, T)])[0]!.v).toBeNaN();
  });

  it('applies a scalar to every sample, keeping the name marked for removal', () => {
    expect(rows(vectorScalarOp('-', sumByJob, 2, true, false, T))).toEqual([
      ['{job="api-server"}', -998, true],
      ['{job="app-server"}', -2598, true],
    ]);
    expect(rows(vectorScalarOp('/', sumByJob, 1000, true, false, T)).map(([, v]) => v)).toEqual([1, 0.38461538461538464]);
    expect(rows(vectorScalarOp('-', sumByJob, 2, false, false, T)).map(([, v]) => v)).toEqual([998, 2598]);
    expect(rows(vectorScalarOp('%', sumByJob, 3, false, false, T)).map(([, v]) => v)).toEqual([1, 2]);
    const mod = vectorScalarOp('%', sumByJob, 0.3, false, false, T);
    expect(mod[0]!.v).toBeCloseTo(0.1, 9);
    expect(mod[1]!.v).toBeCloseTo(0.2, 9);
    expect(rows(vectorScalarOp('^', sumByJob, 2, false, false, T)).map(([, v]) => v)).toEqual([1000000, 6760000]);
    expect(rows(vectorScalarOp('%', sumByJob, scalarBinaryOp('^', 3, 2), false, false, T)).map(([, v]) => v)).toEqual([1, 8]);
    const twoToThe81 = scalarBinaryOp('^', 2, scalarBinaryOp('^', 3, scalarBinaryOp('^', 2, 2)));
    expect(rows(vectorScalarOp('%', sumByJob, scalarBinaryOp('^', 2, 9), false, false, T)).map(([, v]) => v)).toEqual([488, 40]);
    expect(rows(vectorScalarOp('%', sumByJob, twoToThe81, false, false, T)).map(([, v]) => v)).toEqual([1000, 2600]);
    // -10^3 * - SUM ^ -1
    const inv = vectorScalarOp('^', sumByJob, -1, false, false, T);
    const neg = vectorScalarOp('*', inv, -1, true, false, T);
    expect(rows(vectorScalarOp('*', neg, -(10 ** 3), true, false, T)).map(([, v]) => v)).toEqual([1, 0.38461538461538464]);
  });

  it('keeps the metric name on the sample, marked, for vector/scalar arithmetic', () => {
    const cpu = [smp('node_cpu{instance="abc",job="node",mode="idle"}', 3, T), smp('node_cpu{instance="def",job="node",mode="user"}', 2, T)];
    const cases: [BinaryOp, number[]][] = [
      ['+', [5, 4]],
      ['-', [1, 0]],
      ['/', [1.5, 1]],
      ['*', [6, 4]],
      ['^', [9, 4]],
      ['%', [1, 0]],
    ];
    for (const [op, want] of cases) {
      expect(rows(vectorScalarOp(op, cpu, 2, false, false, T))).toEqual([
        ['{__name__="node_cpu", instance="abc", job="node", mode="idle"}', want[0], true],
        ['{__name__="node_cpu", instance="def", job="node", mode="user"}', want[1], true],
      ]);
    }
  });

  it('divides by zero as Go floats do', () => {
    expect(rows(vectorScalarOp('/', sumByJob, 0, false, false, T)).map(([, v]) => v)).toEqual([Infinity, Infinity]);
    const x = where({ group: 'canary', instance: '0', job: 'api-server' });
    expect(vectorScalarOp('/', vectorScalarOp('*', x, -1, true, false, T), 0, false, false, T)[0]!.v).toBe(-Infinity);
    expect(vectorScalarOp('/', vectorScalarOp('*', x, 0, true, false, T), 0, false, false, T)[0]!.v).toBeNaN();
    expect(vectorScalarOp('%', vectorScalarOp('*', x, 0, true, false, T), 0, false, false, T)[0]!.v).toBeNaN();
  });

  it('evaluates scalar operators', () => {
    expect(scalarBinaryOp('==', 0, 1)).toBe(0);
    expect(scalarBinaryOp('==', 1, 1)).toBe(1);
    expect(scalarBinaryOp('>=', NaN, NaN)).toBe(0);
    expect(scalarBinaryOp('!=', NaN, NaN)).toBe(1);
    expect(scalarBinaryOp('atan2', 10, 20)).toBe(0.4636476090008061);
    expect(scalarBinaryOp('atan2', 10, NaN)).toBeNaN();
    // -2^---1*3 = -(2^-1)*3; 2/-2^---1*3+2
    expect(-scalarBinaryOp('*', scalarBinaryOp('^', 2, -1), 3)).toBe(-1.5);
    expect(scalarBinaryOp('+', scalarBinaryOp('*', scalarBinaryOp('/', 2, -scalarBinaryOp('^', 2, -1)), 3), 2)).toBe(-10);
    expect(scalarBinaryOp('%', -7, 3)).toBe(-1);
    expect(scalarBinaryOp('^', 1, NaN)).toBe(1);
    expect(() => scalarBinaryOp('and', 1, 1)).toThrow();
  });
});

describe('set operators', () => {
  const canary = where({ group: 'canary' });
  const canaryPlus1 = vectorScalarOp('+', canary, 1, false, false, T);

  it('and keeps left samples whole whose signature is on the right', () => {
    expect(asSet(bin('and', canary, where({ instance: '0' })))).toEqual(
      expected([
        ['http_requests_total{group="canary", instance="0", job="api-server"}', 300],
        ['http_requests_total{group="canary", instance="0", job="app-server"}', 700],
      ]),
    );
    const plus = bin('and', canaryPlus1, where({ instance: '0' }));
    expect(rows(plus)).toEqual([
      ['{__name__="http_requests_total", group="canary", instance="0", job="api-server"}', 301, true],
      ['{__name__="http_requests_total", group="canary", instance="0", job="app-server"}', 701, true],
    ]);
    const prod0 = where({ instance: '0', group: 'production' });
    for (const m of [on('many-to-many', ['instance', 'job']), on('many-to-many', ['instance']), ignoring('many-to-many', ['group']), ignoring('many-to-many', ['group', 'job'])]) {
      expect(rows(bin('and', canaryPlus1, prod0, m)).map(([, v]) => v)).toEqual([301, 701]);
    }
    // Issue #1489: on a label nobody has, everything matches vector(1).
    const one = [smp('{}', 1, T)];
    expect(bin('and', httpRequests, one, on('many-to-many', ['dummy']))).toHaveLength(8);
    expect(bin('and', httpRequests, one, ignoring('many-to-many', ['group', 'instance', 'job']))).toHaveLength(8);
    expect(bin('and', httpRequests, [])).toEqual([]);
    expect(bin('and', [], httpRequests)).toEqual([]);
  });

  it('or adds right samples whose signature is not on the left', () => {
    expect(bin('or', canary, where({ group: 'production' }))).toHaveLength(8);
    expect(rows(bin('or', canaryPlus1, where({ instance: '1' })))).toEqual([
      ['{__name__="http_requests_total", group="canary", instance="0", job="api-server"}', 301, true],
      ['{__name__="http_requests_total", group="canary", instance="0", job="app-server"}', 701, true],
      ['{__name__="http_requests_total", group="canary", instance="1", job="api-server"}', 401, true],
      ['{__name__="http_requests_total", group="canary", instance="1", job="app-server"}', 801, true],
      ['{__name__="http_requests_total", group="production", instance="1", job="api-server"}', 200, false],
      ['{__name__="http_requests_total", group="production", instance="1", job="app-server"}', 600, false],
    ]);
    const rhs = [...httpRequests, ...vectorMatchingA];
    for (const m of [on('many-to-many', ['instance']), ignoring('many-to-many', ['l', 'group', 'job'])]) {
      expect(rows(bin('or', canaryPlus1, rhs, m)).slice(4)).toEqual([
        ['{__name__="vector_matching_a", l="x"}', 10, false],
        ['{__name__="vector_matching_a", l="y"}', 20, false],
      ]);
    }
    expect(bin('or', [], vectorMatchingA)).toEqual(vectorMatchingA);
    expect(bin('or', vectorMatchingA, [])).toEqual(vectorMatchingA);
  });

  it('or keeps dropName per sample (-metric_a or -metric_b)', () => {
    const a = [smp('metric_a', -1, T, true)];
    const b = [smp('metric_b', -3, T, true)];
    expect(rows(bin('or', a, b))).toEqual([['{__name__="metric_a"}', -1, true]]);
  });

  it('unless keeps left samples whose signature is not on the right', () => {
    const inst0 = where({ instance: '0' });
    const canary1 = [
      'http_requests_total{group="canary", instance="1", job="api-server"}',
      'http_requests_total{group="canary", instance="1", job="app-server"}',
    ];
    expect(Object.keys(asSet(bin('unless', canary, inst0)))).toEqual(Object.keys(expected(canary1.map((s) => [s, 0]))));
    expect(bin('unless', canary, inst0, on('many-to-many', ['job']))).toEqual([]);
    expect(bin('unless', canary, inst0, on('many-to-many', ['job', 'instance']))).toHaveLength(2);
    expect(bin('unless', canary, inst0, ignoring('many-to-many', ['group', 'instance']))).toEqual([]);
    expect(bin('unless', canary, inst0, ignoring('many-to-many', ['group']))).toHaveLength(2);
    expect(bin('unless', canary, [])).toEqual(canary);
    expect(bin('unless', [], canary)).toEqual([]);
  });

  it('returns samples at the evaluation time', () => {
    const early = [smp('x', 1, 5)];
    expect(bin('or', early, [], setMatching)[0]!.t).toBe(T);
  });
});

describe('vector matching', () => {
  const canary = where({ group: 'canary' });
  const production = where({ group: 'production' });
  const ratios = expected([
    ['{instance="0", job="api-server"}', 3],
    ['{instance="0", job="app-server"}', 1.4],
    ['{instance="1", job="api-server"}', 2],
    ['{instance="1", job="app-server"}', 1.3333333333333333],
  ]);

  it('reduces one-to-one results to the on labels, or strips the ignored ones', () => {
    expect(asSet(bin('/', canary, production, on('one-to-one', ['instance', 'job'])))).toEqual(ratios);
    expect(asSet(bin('/', canary, production, ignoring('one-to-one', ['group'])))).toEqual(ratios);
    const random = [smp('random{foo="bar"}', 2, T)];
    const metricA = [smp('metricA{baz="meh"}', 3, T)];
    const metricB = [smp('metricB{baz="meh"}', 4, T)];
    expect(rows(bin('+', random, metricA, on('one-to-one', [])))).toEqual([['{}', 5, false]]);
    expect(rows(bin('+', metricA, metricB, ignoring('one-to-one', [])))).toEqual([['{baz="meh"}', 7, false]]);
    expect(rows(bin('+', metricA, metricB))).toEqual([['{baz="meh"}', 7, false]]);
  });

  it('matches on __name__ when on() lists it', () => {
    const a = [smp('m{x="1"}', 1, T), smp('n{x="1"}', 2, T)];
    const b = [smp('m{x="2"}', 10, T)];
    expect(rows(bin('+', a, b, on('one-to-one', ['__name__'])))).toEqual([['{}', 11, false]]);
  });

  describe('group_left and group_right', () => {
    const nodeVar = [smp('node_var{instance="abc",job="node"}', 2, T)];
    const nodeRole = [smp('node_role{instance="abc",job="node",role="prometheus"}', 1, T)];
    const nodeCpu = vec(
      [
        ['node_cpu{instance="abc",job="node",mode="idle"}', 3],
        ['node_cpu{instance="abc",job="node",mode="user"}', 1],
        ['node_cpu{instance="def",job="node",mode="idle"}', 8],
        ['node_cpu{instance="def",job="node",mode="user"}', 2],
      ],
      T,
    );
    const roleResult = [['{instance="abc", job="node", role="prometheus"}', 2, false]];

    it('copies the included labels from the one side', () => {
      expect(rows(bin('*', nodeRole, nodeVar, on('one-to-many', ['instance'], ['role'])))).toEqual(roleResult);
      expect(rows(bin('*', nodeVar, nodeRole, on('many-to-one', ['instance'], ['role'])))).toEqual(roleResult);
      expect(rows(bin('*', nodeVar, nodeRole, ignoring('many-to-one', ['role'], ['role'])))).toEqual(roleResult);
      expect(rows(bin('*', nodeRole, nodeVar, ignoring('one-to-many', ['role'], ['role'])))).toEqual(roleResult);
      const withRole = expected([
        ['{instance="abc",job="node",mode="idle",role="prometheus"}', 3],
        ['{instance="abc",job="node",mode="user",role="prometheus"}', 1],
      ]);
      expect(asSet(bin('*', nodeCpu, nodeRole, ignoring('many-to-one', ['role', 'mode'], ['role'])))).toEqual(withRole);
      expect(asSet(bin('*', nodeCpu, nodeRole, on('many-to-one', ['instance'], ['role'])))).toEqual(withRole);
    });

    it('computes ratios of totals', () => {
      const g = (labels: string[], without = false) => ({ without, labels });
      const byInstanceJob = aggregate('sum', nodeCpu, g(['instance', 'job']), undefined, T);
      const shares = expected([
        ['{instance="abc",job="node",mode="idle"}', 0.75],
        ['{instance="abc",job="node",mode="user"}', 0.25],
        ['{instance="def",job="node",mode="idle"}', 0.8],
        ['{instance="def",job="node",mode="user"}', 0.2],
      ]);
      expect(asSet(bin('/', nodeCpu, byInstanceJob, on('many-to-one', ['instance'])))).toEqual(shares);
      const withoutMode = aggregate('sum', nodeCpu, g(['mode'], true), undefined, T);
      expect(asSet(bin('/', nodeCpu, withoutMode, ignoring('many-to-one', ['mode'])))).toEqual(shares);
      expect(asSet(bin('/', nodeCpu, withoutMode, ignoring('many-to-one', ['mode'], ['dummy'])))).toEqual(shares);
      const byModeJob = aggregate('sum', nodeCpu, g(['mode', 'job']), undefined, T);
      const byJob = aggregate('sum', nodeCpu, g(['job']), undefined, T);
      const modeShares = bin('/', byModeJob, byJob, on('many-to-one', ['job']));
      expect(asSet(modeShares)).toEqual(
        expected([
          ['{job="node",mode="idle"}', 0.7857142857142857],
          ['{job="node",mode="user"}', 0.21428571428571427],
        ]),
      );
      expect(aggregate('sum', modeShares, g([]), undefined, T)[0]!.v).toBe(1);
    });

    it('copies labels from a series with no matching labels, via on(dummy)', () => {
      const random0 = vectorScalarOp('*', [smp('random{foo="bar"}', 1, T)], 0, false, false, T);
      expect(asSet(bin('+', nodeCpu, random0, on('many-to-one', ['dummy'], ['foo'])))).toEqual(
        expected([
          ['{instance="abc",job="node",mode="idle",foo="bar"}', 3],
          ['{instance="abc",job="node",mode="user",foo="bar"}', 1],
          ['{instance="def",job="node",mode="idle",foo="bar"}', 8],
          ['{instance="def",job="node",mode="user",foo="bar"}', 2],
        ]),
      );
    });

    it('filters with a threshold from another metric, keeping the name and copying the target', () => {
      const threshold = [smp('threshold{instance="abc",job="node",target="a@b.com"}', 0, T)];
      expect(rows(bin('>', nodeCpu, threshold, on('many-to-one', ['job', 'instance'], ['target'])))).toEqual([
        ['{__name__="node_cpu", instance="abc", job="node", mode="idle", target="a@b.com"}', 3, false],
        ['{__name__="node_cpu", instance="abc", job="node", mode="user", target="a@b.com"}', 1, false],
      ]);
      // threshold or on (job, instance) (sum by (job, instance)(node_cpu) * 0 + 1)
      const sums = aggregate('sum', nodeCpu, { without: false, labels: ['job', 'instance'] }, undefined, T);
      const defaults = vectorScalarOp('+', vectorScalarOp('*', sums, 0, false, false, T), 1, false, false, T);
      const thresholds = bin('or', threshold, defaults, on('many-to-many', ['job', 'instance']));
      expect(rows(bin('>', nodeCpu, thresholds, on('many-to-one', ['job', 'instance'], ['target'])))).toEqual([
        ['{__name__="node_cpu", instance="abc", job="node", mode="idle", target="a@b.com"}', 3, false],
        ['{__name__="node_cpu", instance="abc", job="node", mode="user", target="a@b.com"}', 1, false],
        ['{__name__="node_cpu", instance="def", job="node", mode="idle"}', 8, false],
        ['{__name__="node_cpu", instance="def", job="node", mode="user"}', 2, false],
      ]);
    });

    it('takes the comparison value from the left even when the right is the many side', () => {
      // one-to-many: labels from the right, the kept value is the left (one) side's.
      const out = bin('<', nodeRole, nodeCpu, on('one-to-many', ['instance']));
      expect(rows(out)).toEqual([
        ['{__name__="node_cpu", instance="abc", job="node", mode="idle"}', 1, false],
      ]);
    });

    it('outputs in the many side\'s order', () => {
      const out = bin('*', nodeRole, nodeCpu, ignoring('one-to-many', ['role', 'mode'], ['role']));
      expect(rows(out).map(([m]) => m)).toEqual([
        '{instance="abc", job="node", mode="idle", role="prometheus"}',
        '{instance="abc", job="node", mode="user", role="prometheus"}',
      ]);
    });
  });

  describe('errors', () => {
    const manySide = vec(
      [
        ['many_side{label="foo",job="test"}', 0],
        ['many_side{label="bar",job="test"}', 1],
      ],
      0,
    );
    const oneSide = [smp('one_side{job="test"}', 1)];
    const manyToOneMsg = 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)';

    it('rejects one-to-one matching that pairs a right sample twice, even when all are filtered', () => {
      for (const op of ['>', '>=', '<='] as const) {
        expect(() => vectorBinaryOp(op, manySide, oneSide, on('one-to-one', ['job']), false, 0)).toThrowError(
          new PromQLError('execution', manyToOneMsg),
        );
      }
    });

    it('names the duplicate series in label order on the one side', () => {
      const dup = vec(
        [
          ['dup_metric{label="beta"}', 2],
          ['dup_metric{label="alpha"}', 1],
        ],
        0,
        true,
      );
      const scalarMetric = [smp('scalar_metric', 3)];
      const msg = (side: string) =>
        `found duplicate series for the match group {} on the ${side} hand-side of the operation: ` +
        '[{__name__="dup_metric", label="alpha"}, {__name__="dup_metric", label="beta"}];' +
        'many-to-many matching not allowed: matching labels must be unique on one side';
      expect(() => vectorBinaryOp('>', scalarMetric, dup, on('one-to-one', []), false, 0)).toThrowError(msg('right'));
      expect(() => vectorBinaryOp('>', dup, scalarMetric, on('one-to-many', []), false, 0)).toThrowError(msg('left'));
      const group = `found duplicate series for the match group {job="test"} on the right hand-side`;
      expect(() => vectorBinaryOp('+', oneSide, manySide, ignoring('one-to-one', ['label']), false, 0)).toThrowError(group);
    });

    it('rejects group_left results that are not unique', () => {
      const many = [smp('a{x="1"}', 1), smp('b{x="1"}', 2)];
      const one = [smp('c{x="1"}', 3)];
      expect(() => vectorBinaryOp('+', many, one, on('many-to-one', ['x']), false, 0)).toThrowError(
        'multiple matches for labels: grouping labels must ensure unique matches',
      );
      // A filtering comparison keeps the names, so the results differ: no error.
      expect(vectorBinaryOp('<', many, one, on('many-to-one', ['x']), false, 0)).toHaveLength(2);
    });

    it('matches nothing, and raises nothing, when a side is empty', () => {
      expect(vectorBinaryOp('+', [], manySide, on('one-to-one', ['job']), false, 0)).toEqual([]);
      expect(vectorBinaryOp('+', manySide, [], on('one-to-one', ['job']), false, 0)).toEqual([]);
    });
  });
});

describe('comparisons', () => {
  it('filter vector/scalar samples, keeping the vector sample whole', () => {
    expect(rows(vectorScalarOp('>', sumByJob, 1000, false, false, T))).toEqual([['{job="app-server"}', 2600, false]]);
    expect(rows(vectorScalarOp('<', sumByJob, 1000, true, false, T))).toEqual([['{job="app-server"}', 2600, false]]);
    expect(rows(vectorScalarOp('<=', sumByJob, 1000, false, false, T))).toEqual([['{job="api-server"}', 1000, false]]);
    expect(rows(vectorScalarOp('!=', sumByJob, 1000, false, false, T))).toEqual([['{job="app-server"}', 2600, false]]);
    expect(rows(vectorScalarOp('==', sumByJob, 1000, false, false, T))).toEqual([['{job="api-server"}', 1000, false]]);
    expect(rows(vectorScalarOp('==', sumByJob, 1000, false, true, T))).toEqual([
      ['{job="api-server"}', 1, true],
      ['{job="app-server"}', 0, true],
    ]);
    const x = where({ job: 'api-server', instance: '0', group: 'production' });
    expect(rows(vectorScalarOp('==', x, 100, false, true, T))).toEqual([
      ['{__name__="http_requests_total", group="production", instance="0", job="api-server"}', 1, true],
    ]);
    const marked = [smp('m', 5, T, true)];
    expect(rows(vectorScalarOp('>', marked, 1, false, false, T))).toEqual([['{__name__="m"}', 5, true]]);
  });

  it('compare vectors one-to-one, bool dropping the name', () => {
    expect(rows(bin('==', sumByJob, sumByJob, oneToOne, true)).map(([, v]) => v)).toEqual([1, 1]);
    expect(rows(bin('!=', sumByJob, sumByJob, oneToOne, true)).map(([, v]) => v)).toEqual([0, 0]);
    const total = [smp('test_total{instance="localhost"}', 50, T)];
    const smaller = [smp('test_smaller{instance="localhost"}', 10, T)];
    expect(rows(bin('>', total, smaller, oneToOne, true))).toEqual([['{__name__="test_total", instance="localhost"}', 1, true]]);
    expect(rows(bin('>', total, smaller))).toEqual([['{__name__="test_total", instance="localhost"}', 50, false]]);
    expect(rows(bin('<', total, smaller, oneToOne, true))).toEqual([['{__name__="test_total", instance="localhost"}', 0, true]]);
    expect(bin('<', total, smaller)).toEqual([]);
  });

  // left_floats and right_floats from the "comparison operations with floats" block, per step;
  // undefined is a missing sample.
  const left = [1, 2, undefined, undefined, 3, undefined, 4, 5, NaN, Infinity, -Infinity];
  const right = [4, undefined, undefined, 5, 3, 7, -1, 20, NaN, Infinity, -Infinity];
  const at = (vs: (number | undefined)[], name: string, i: number): Vector => (vs[i] === undefined ? [] : [smp(name, vs[i]!, i)]);
  const filterCases: [BinaryOp, (number | undefined)[], (number | undefined)[]][] = [
    ['==', [undefined, undefined, undefined, undefined, 3, undefined, undefined, undefined, undefined, Infinity, -Infinity], [0, , , , 1, , 0, 0, 0, 1, 1]],
    ['!=', [1, undefined, undefined, undefined, undefined, undefined, 4, 5, NaN, undefined, undefined], [1, , , , 0, , 1, 1, 1, 0, 0]],
    ['>', [undefined, undefined, undefined, undefined, undefined, undefined, 4, undefined, undefined, undefined, undefined], [0, , , , 0, , 1, 0, 0, 0, 0]],
    ['>=', [undefined, undefined, undefined, undefined, 3, undefined, 4, undefined, undefined, Infinity, -Infinity], [0, , , , 1, , 1, 0, 0, 1, 1]],
    ['<', [1, undefined, undefined, undefined, undefined, undefined, undefined, 5, undefined, undefined, undefined], [1, , , , 0, , 0, 1, 0, 0, 0]],
    ['<=', [1, undefined, undefined, undefined, 3, undefined, undefined, 5, undefined, Infinity, -Infinity], [1, , , , 1, , 0, 1, 0, 1, 1]],
  ];
  for (const [op, wantFilter, wantBool] of filterCases) {
    it(`left_floats ${op} right_floats, with and without bool, over a range`, () => {
      for (let i = 0; i < left.length; i++) {
        const l = at(left, 'left_floats', i);
        const r = at(right, 'right_floats', i);
        const f = vectorBinaryOp(op, l, r, oneToOne, false, i);
        expect(f.map((s) => s.v), `step ${i}`).toEqual(wantFilter[i] === undefined ? [] : [wantFilter[i]]);
        if (f.length > 0) expect(f[0]!.metric.toString()).toBe('{__name__="left_floats"}');
        const b = vectorBinaryOp(op, l, r, oneToOne, true, i);
        expect(b.map((s) => s.v), `bool step ${i}`).toEqual(wantBool[i] === undefined ? [] : [wantBool[i]]);
      }
    });
  }

  it('compares left_floats with scalars on either side', () => {
    const present = left.flatMap((v, i) => (v === undefined ? [] : [smp('left_floats', v, i)]));
    const values = (op: BinaryOp, s: number, onLeft: boolean, bool = false) =>
      present.flatMap((p) => vectorScalarOp(op, [p], s, onLeft, bool, p.t)).map((x) => x.v);
    expect(values('==', 3, false)).toEqual([3]);
    expect(values('!=', 3, false)).toEqual([1, 2, 4, 5, NaN, Infinity, -Infinity]);
    expect(values('>', 3, false)).toEqual([4, 5, Infinity]);
    expect(values('>=', 3, false)).toEqual([3, 4, 5, Infinity]);
    expect(values('<', 3, false)).toEqual([1, 2, -Infinity]);
    expect(values('<=', 3, false)).toEqual([1, 2, 3, -Infinity]);
    expect(values('==', 3, false, true)).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);
    expect(values('==', Infinity, false)).toEqual([Infinity]);
    expect(values('==', Infinity, false, true)).toEqual([0, 0, 0, 0, 0, 0, 1, 0]);
    expect(values('==', NaN, false)).toEqual([]);
    expect(values('==', NaN, false, true)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    // Scalar on the left: 3 < left_floats keeps the left_floats values above 3.
    expect(values('==', 3, true)).toEqual([3]);
    expect(values('!=', 3, true)).toEqual([1, 2, 4, 5, NaN, Infinity, -Infinity]);
    expect(values('<', 3, true)).toEqual([4, 5, Infinity]);
    expect(values('<=', 3, true)).toEqual([3, 4, 5, Infinity]);
    expect(values('>', 3, true)).toEqual([1, 2, -Infinity]);
    expect(values('>=', 3, true)).toEqual([1, 2, 3, -Infinity]);
    expect(values('==', 3, true, true)).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);
    expect(values('==', Infinity, true)).toEqual([Infinity]);
    expect(values('==', NaN, true)).toEqual([]);
    expect(values('==', NaN, true, true)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
