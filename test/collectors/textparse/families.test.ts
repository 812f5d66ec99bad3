import { describe, expect, it } from 'vitest';
import { collectFamilies, newParser, OpenMetricsParser, PromTextParser, type ParseWarning } from '../../../collectors/textparse/index.js';
import { OPENMETRICS, TEXT, countSampleLines, FIXTURES, readFixture } from './fixtures.js';

describe('collectFamilies', () => {
  it.each(FIXTURES)('%s: every sample lands in a family', (fixture) => {
    const body = readFixture(fixture);
    const families = collectFamilies(newParser(body, TEXT));
    expect(families.reduce((n, f) => n + f.samples.length, 0)).toBe(countSampleLines(body));
  });

  it('merges the repeated families of two concatenated BullMQ outputs, with a warning each', () => {
    const warnings: ParseWarning[] = [];
    const families = collectFamilies(new PromTextParser(readFixture('bullmq.concatenated-two-queues.prom')), warnings);
    expect(families.map((f) => [f.name, f.type, f.samples.length])).toEqual([
      ['bullmq_job_count', 'gauge', 14],
      ['bullmq_job_completed_total', 'counter', 2],
      ['bullmq_job_failed_total', 'counter', 2],
    ]);
    expect(families[0]!.help).toBe('Number of jobs in the queue by state');
    expect(warnings).toEqual([
      { line: 16, message: 'metric family "bullmq_job_count" appears more than once; its samples are merged' },
      { line: 25, message: 'metric family "bullmq_job_completed_total" appears more than once; its samples are merged' },
      { line: 28, message: 'metric family "bullmq_job_failed_total" appears more than once; its samples are merged' },
    ]);
  });

  it('groups histogram buckets, sum and count; keeps Python _created gauges apart (vLLM)', () => {
    const families = collectFamilies(new PromTextParser(readFixture('vllm.prom')));
    const byName = new Map(families.map((f) => [f.name, f]));
    const e2e = byName.get('vllm:e2e_request_latency_seconds')!;
    expect(e2e.type).toBe('histogram');
    const names = new Set(e2e.samples.map((s) => s.labels.metricName));
    expect([...names].sort()).toEqual(['vllm:e2e_request_latency_seconds_bucket', 'vllm:e2e_request_latency_seconds_count', 'vllm:e2e_request_latency_seconds_sum']);
    expect(byName.get('vllm:e2e_request_latency_seconds_created')!.type).toBe('gauge');
    expect(byName.get('vllm:prompt_tokens_total')!.type).toBe('counter');
  });

  it("keeps TGI's 1024-bucket histogram in one family", () => {
    const families = collectFamilies(new PromTextParser(readFixture('tgi.prom')));
    const f = families.find((x) => x.name === 'tgi_batch_next_size')!;
    expect(f.type).toBe('histogram');
    expect(f.samples.filter((s) => s.labels.metricName === 'tgi_batch_next_size_bucket')).toHaveLength(1025);
  });

  it('attaches OpenMetrics suffixed samples to their family', () => {
    const body = [
      '# TYPE c counter',
      'c_total 1',
      'c_created 1.6e9',
      '# TYPE h histogram',
      'h_bucket{le="+Inf"} 1',
      'h_count 1',
      'h_sum 2',
      'h_created 1.6e9',
      '# TYPE g gaugehistogram',
      'g_bucket{le="+Inf"} 1',
      'g_gcount 1',
      'g_gsum 2',
      '# TYPE i info',
      'i_info{v="1"} 1',
      '# TYPE s summary',
      's{quantile="0.5"} 1',
      's_count 1',
      's_sum 1',
      's_created 1.6e9',
      '# EOF',
      '',
    ].join('\n');
    const families = collectFamilies(newParser(body, OPENMETRICS));
    expect(families.map((f) => [f.name, f.type, f.samples.length])).toEqual([
      ['c', 'counter', 2],
      ['h', 'histogram', 4],
      ['g', 'gaugehistogram', 3],
      ['i', 'info', 1],
      ['s', 'summary', 4],
    ]);
  });

  it('gives samples without metadata an untyped family of their own name', () => {
    const families = collectFamilies(new PromTextParser('# TYPE a gauge\na 1\nb_total 2\nb_total{x="y"} 3\n'));
    expect(families.map((f) => [f.name, f.type, f.samples.length, f.help])).toEqual([
      ['a', 'gauge', 1, undefined],
      ['b_total', 'unknown', 2, undefined],
    ]);
  });

  it('merges a family whose samples come back after another family, with a warning', () => {
    const warnings: ParseWarning[] = [];
    const families = collectFamilies(new PromTextParser('a 1\nb 2\na{x="1"} 3\n'), warnings);
    expect(families.map((f) => [f.name, f.samples.length])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(warnings).toEqual([{ line: 3, message: 'metric family "a" appears more than once; its samples are merged' }]);
  });

  it('keeps the first type when a later TYPE contradicts it, with a warning', () => {
    const warnings: ParseWarning[] = [];
    const families = collectFamilies(new PromTextParser('# TYPE a gauge\na 1\n# TYPE b gauge\n# TYPE a counter\na 2\n'), warnings);
    expect(families[0]).toMatchObject({ name: 'a', type: 'gauge' });
    expect(families[0]!.samples).toHaveLength(2);
    expect(warnings.map((w) => w.message)).toEqual([
      'metric family "a" appears more than once; its samples are merged',
      'metric family "a" declared as counter after gauge; keeping gauge',
    ]);
  });

  it('carries timestamps and exemplars into samples', () => {
    const families = collectFamilies(new OpenMetricsParser('# TYPE c counter\nc_total 1 2.5 # {t="x"} 3 4\n# EOF\n'));
    const s = families[0]!.samples[0]!;
    expect(s.timestamp).toBe(2500);
    expect(s.exemplar!.labels.toRecord()).toEqual({ t: 'x' });
    expect(s.exemplar!.value).toBe(3);
    expect(s.exemplar!.timestamp).toBe(4000);
  });
});
