import { describe, expect, it } from 'vitest';
import { checkMetrics, formatCheckResult } from '../../../collectors/textparse/index.js';
import { OPENMETRICS, readFixture } from './fixtures.js';

describe('checkMetrics and formatCheckResult', () => {
  it('exits 0 on the vLLM body, printing promlint problems as warnings', () => {
    const result = checkMetrics(readFixture('vllm.prom'));
    expect(result.error).toBeUndefined();
    expect(result.format).toBe('text');
    const out = formatCheckResult(result, { json: false });
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain("vllm:num_requests_running metric names should not contain ':'\n");
    expect(out.stderr.split('\n').filter((l) => l !== '')).toHaveLength(result.problems.length);
  });

  it('exits 0 on BullMQ bodies, with the tolerated quirks as warnings', () => {
    const out = formatCheckResult(checkMetrics(readFixture('bullmq.concatenated-two-queues.prom')), { json: false });
    expect(out.exitCode).toBe(0);
    expect(out.stderr).toContain('warning: line 16: second HELP line for metric name "bullmq_job_count"\n');
    expect(out.stderr).toContain('warning: line 16: metric family "bullmq_job_count" appears more than once; its samples are merged\n');
    expect(out.stderr).toContain('warning: line 30: no newline at the end of the input (promtool rejects this: "unexpected end of input stream")\n');
  });

  it('exits 1 with line:column: reason on a malformed body', () => {
    const result = checkMetrics('# TYPE foo gauge\nfoo{a="1",a="2"} 1\n');
    expect(result.error).toEqual({ line: 2, column: 11, reason: 'label name "a" is not unique', code: 'duplicate_label_name' });
    const out = formatCheckResult(result, { json: false });
    expect(out).toEqual({ stdout: '', stderr: '2:11: label name "a" is not unique\n', exitCode: 1 });
  });

  it('chooses OpenMetrics from the content type', () => {
    expect(checkMetrics('foo 1\n', OPENMETRICS).error?.reason).toBe('data does not end with # EOF');
    expect(checkMetrics('foo 1\n# EOF\n', OPENMETRICS)).toMatchObject({ format: 'openmetrics', warnings: [] });
  });

  it('prints the families as JSON, with NaN and ±Inf as strings like the Prometheus API', () => {
    const body = '# HELP x An x.\n# TYPE x gauge\nx{k="nan"} NaN\nx{k="pinf"} +Inf 1700000000000\nx{k="ninf"} -Inf\nx{k="one"} 1.5e+06\n';
    const out = formatCheckResult(checkMetrics(body), { json: true });
    expect(out.exitCode).toBe(0);
    const json = JSON.parse(out.stdout) as {
      format: string;
      families: { name: string; type: string; help: string; samples: { labels: Record<string, string>; value: string; timestamp_ms?: number }[] }[];
    };
    expect(json.format).toBe('text');
    expect(json.families).toEqual([
      {
        name: 'x',
        type: 'gauge',
        help: 'An x.',
        samples: [
          { labels: { __name__: 'x', k: 'nan' }, value: 'NaN' },
          { labels: { __name__: 'x', k: 'pinf' }, value: '+Inf', timestamp_ms: 1700000000000 },
          { labels: { __name__: 'x', k: 'ninf' }, value: '-Inf' },
          { labels: { __name__: 'x', k: 'one' }, value: '1500000' },
        ],
      },
    ]);
  });

  it('prints the error as JSON too, and keeps a __proto__ label', () => {
    const bad = formatCheckResult(checkMetrics('foo{'), { json: true });
    expect(bad.exitCode).toBe(1);
    expect(JSON.parse(bad.stdout).error).toEqual({ line: 1, column: 5, reason: 'expected a label name, got end of input', code: 'invalid_label_name' });
    const proto = formatCheckResult(checkMetrics('foo{__proto__="x"} 1\n'), { json: true });
    expect(JSON.parse(proto.stdout).families[0].samples[0].labels).toEqual(JSON.parse('{"__name__":"foo","__proto__":"x"}'));
  });

  it('includes exemplars in the JSON', () => {
    const out = formatCheckResult(checkMetrics('# TYPE c counter\nc_total 1 # {t="x"} 2 3.5\n# EOF\n', OPENMETRICS), { json: true });
    expect(JSON.parse(out.stdout).families[0].samples[0].exemplar).toEqual({ labels: { t: 'x' }, value: '2', timestamp_ms: 3500 });
  });
});
