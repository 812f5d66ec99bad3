import { describe, expect, it } from 'vitest';
import { formatHuman, jsonReport } from '../../../promql/promqltest/report.js';
import type { FileResult } from '../../../promql/promqltest/runner.js';

const files: FileResult[] = [
  {
    file: 'a.test',
    passed: 1,
    failed: 1,
    skipped: 1,
    blocks: [
      { line: 3, command: 'eval instant at 0 m', query: 'm', status: 'passed' },
      {
        line: 7,
        command: 'eval instant at 1m rate(m[1m])',
        query: 'rate(m[1m])',
        status: 'failed',
        reason: 'expected 1 for {} but got 2',
        ran: 'range mode: "rate(m[1m])" from t=0s to t=2m step 1m, compared at t=1m',
        expected: ['{} 1'],
        got: ['{} 2'],
      },
      { line: 11, command: 'eval instant at 0 h', query: 'h', status: 'skipped', skipCategory: 'native histograms', reason: 'selects h, which holds native-histogram samples' },
    ],
  },
  { file: 'b.test', passed: 2, failed: 0, skipped: 0, blocks: [] },
];

describe('formatHuman', () => {
  it('prints failures with file:line, per-file counts, skip categories and the total', () => {
    const out = formatHuman(files);
    expect(out).toBe(`FAILED a.test:7: eval instant at 1m rate(m[1m])
  in:       range mode: "rate(m[1m])" from t=0s to t=2m step 1m, compared at t=1m
  problem:  expected 1 for {} but got 2
  expected: {} 1
  got:      {} 2

a.test: 1 passed, 1 failed, 1 skipped
b.test: 2 passed, 0 failed, 0 skipped
skipped: 1 native histograms
3 passed, 1 failed, 1 skipped
`);
  });

  it('prints every block when verbose', () => {
    const out = formatHuman(files, true);
    expect(out).toContain('PASSED a.test:3: eval instant at 0 m');
    expect(out).toContain('SKIPPED a.test:11: eval instant at 0 h\n  skipped (native histograms): selects h, which holds native-histogram samples');
  });

  it('caps long listings', () => {
    const many: FileResult = {
      file: 'c.test',
      passed: 0,
      failed: 1,
      skipped: 0,
      blocks: [{ line: 1, command: 'eval instant at 0 m', status: 'failed', reason: 'x', got: Array.from({ length: 20 }, (_, i) => `m{i="${i}"} 1`) }],
    };
    expect(formatHuman([many])).toContain('... (8 more)');
  });
});

describe('jsonReport', () => {
  it('gives totals, skip counts by category, and per-file failures and skips', () => {
    const r = jsonReport(files);
    expect(r.totals).toEqual({ passed: 3, failed: 1, skipped: 1 });
    expect(r.skipped).toEqual({ 'native histograms': 1 });
    expect(r.files[0]!.failures.map((f) => f.line)).toEqual([7]);
    expect(r.files[0]!.skips).toEqual([{ line: 11, query: 'h', category: 'native histograms', reason: 'selects h, which holds native-histogram samples' }]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});
