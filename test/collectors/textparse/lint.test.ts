import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectFamilies, formatLintProblem, lintFamilies, newParser } from '../../../collectors/textparse/index.js';
import { FIXTURES, LENIENT_FIXTURES, OPENMETRICS, TEXT, readFixture } from './fixtures.js';

function lint(body: string, contentType = TEXT): string[] {
  return lintFamilies(collectFamilies(newParser(body, contentType))).map(formatLintProblem);
}

const hasPromtool = spawnSync('sh', ['-c', 'command -v promtool'], { stdio: 'ignore' }).status === 0;

describe('lintFamilies', () => {
  // Peer: promtool 2.42 (Debian prometheus 2.42.0+ds), `promtool check metrics`, which prints the
  // same lines on stderr. The BullMQ bodies do not parse in promtool.
  describe.skipIf(!hasPromtool)('against promtool check metrics', () => {
    it.each(FIXTURES.filter((f) => !LENIENT_FIXTURES.includes(f)))('%s', (fixture) => {
      const body = readFixture(fixture);
      const promtool = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
      const expected = promtool.stderr.trim() === '' ? [] : promtool.stderr.trim().split('\n');
      expect(lint(body)).toEqual(expected);
    });
  });

  it('reports no help text', () => {
    expect(lint('# TYPE foo_seconds gauge\nfoo_seconds 1\n')).toEqual(['foo_seconds no help text']);
  });

  it('reports counters without _total and other types with it', () => {
    expect(lint('# HELP c x\n# TYPE c counter\nc 1\n# HELP g_total x\n# TYPE g_total gauge\ng_total 1\n# HELP u_total x\nu_total 1\n')).toEqual([
      'c counter metrics should have "_total" suffix',
      'g_total non-counter metrics should not have "_total" suffix',
    ]);
  });

  it('accepts OpenMetrics counters, whose samples carry the _total', () => {
    expect(lint('# TYPE c counter\n# HELP c x\nc_total 1\n# EOF\n', OPENMETRICS)).toEqual([]);
  });

  it('reports non-base units and abbreviated units', () => {
    expect(lint('# HELP req_milliseconds x\n# TYPE req_milliseconds gauge\nreq_milliseconds 1\n# HELP lat_ms x\n# TYPE lat_ms gauge\nlat_ms 1\n')).toEqual([
      'lat_ms metric names should not contain abbreviated units',
      'req_milliseconds use base unit "seconds" instead of "milliseconds"',
    ]);
  });

  it("reports camelCase metric and label names, and ':' in names", () => {
    expect(lint('# HELP fooBar x\n# TYPE fooBar gauge\nfooBar{modelName="m"} 1\n# HELP a:b x\n# TYPE a:b gauge\na:b 1\n')).toEqual([
      "a:b metric names should not contain ':'",
      "fooBar label names should be written in 'snake_case' not 'camelCase'",
      "fooBar metric names should be written in 'snake_case' not 'camelCase'",
    ]);
  });

  it('reports histogram and summary suffixes and labels on other types', () => {
    expect(
      lint('# HELP x_bucket x\n# TYPE x_bucket gauge\nx_bucket{le="1"} 1\n# HELP y_count x\n# TYPE y_count counter\ny_count{quantile="0.5"} 1\n'),
    ).toEqual([
      'x_bucket non-histogram metrics should not have "_bucket" suffix',
      'x_bucket non-histogram metrics should not have "le" label',
      'y_count counter metrics should have "_total" suffix',
      'y_count non-histogram and non-summary metrics should not have "_count" suffix',
      'y_count non-summary metrics should not have "quantile" label',
    ]);
  });

  it('reports type names in metric names and non-gauge timestamps', () => {
    expect(lint('# HELP a_histogram_seconds x\n# TYPE a_histogram_seconds histogram\na_histogram_seconds_count 1\n# HELP b_timestamp_seconds x\n# TYPE b_timestamp_seconds counter\nb_timestamp_seconds 1\n')).toEqual([
      "a_histogram_seconds metric name should not include type 'histogram'",
      'b_timestamp_seconds counter metrics should have "_total" suffix',
      'b_timestamp_seconds non-gauge metrics should not have "_timestamp_seconds" suffix',
    ]);
  });

  it('reports a repeated series as not unique', () => {
    expect(lint('# HELP a x\n# TYPE a gauge\na{x="1"} 1\na{x="1"} 2\n')).toEqual(['a metric not unique']);
  });

  it('gives the vLLM body its promlint findings: `:` names and an iteration histogram named _total', () => {
    const problems = lint(readFixture('vllm.prom'));
    expect(problems).toContain("vllm:num_requests_running metric names should not contain ':'");
    expect(problems).toContain('vllm:iteration_tokens_total non-counter metrics should not have "_total" suffix');
  });
});
