import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeOpenMetrics } from '../../../collectors/simulate/openmetrics.js';
import { Platform } from '../../../collectors/simulate/platform.js';
import { vigilCli } from '../../support/cli.js';
import { MIN, scenario, T0 } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-simulate-om-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const badRollout = await scenario('bad-rollout');
const STEP = 60_000;
/** 0 to 90 minutes of the bad rollout, scraped every minute: v2 fails 3% of requests from about 40 minutes on. */
const RANGE = { from: T0, to: T0 + 90 * MIN, step: STEP };

async function write(opts: { maxBufferedSamples?: number } = {}): Promise<{ text: string; summary: Awaited<ReturnType<typeof writeOpenMetrics>> }> {
  let text = '';
  const summary = await writeOpenMetrics(badRollout, RANGE, (t) => void (text += t), opts);
  return { text, summary };
}

const { text, summary } = await write();
const file = join(dir, 'bad-rollout.om');
writeFileSync(file, text);

/** expectedSamples counts what a scrape of every target at every step stores: each body's sample lines, plus up and scrape_samples_scraped. */
function expectedSamples(): number {
  const p = new Platform(badRollout, T0);
  let n = 0;
  for (let t = RANGE.from; t <= RANGE.to; t += STEP) {
    for (const { body } of p.renderBodies(t)) n += body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length + 2;
  }
  return n;
}

describe('writeOpenMetrics', () => {
  it('writes every sample of every scrape, which vigil tsdb import takes in full', async () => {
    const expected = expectedSamples();
    expect(summary.scrapes).toBe(91);
    expect(summary.samples).toBe(expected);
    const res = await vigilCli(['tsdb', 'import', file, '--data', join(dir, 'data'), '--json']);
    expect(res.code, res.stderr).toBe(0);
    const imported = JSON.parse(res.stdout) as { samples: number; appended: number; series: number; rejected: Record<string, number> };
    expect(imported).toEqual({ samples: expected, appended: expected, series: summary.series, rejected: {} });
  });

  it('is OpenMetrics: each name written together, each series in time order, timestamps in seconds, # EOF last', () => {
    expect(text.endsWith('\n# EOF\n')).toBe(true);
    // Checked line by line without an expect per line (175,000 of them); violations are collected.
    const problems: string[] = [];
    const seen = new Set<string>();
    let previousName = '';
    let previousSeries = '';
    let previousT = -Infinity;
    for (const line of text.split('\n')) {
      if (line === '' || line === '# EOF') continue;
      const valueEnd = line.lastIndexOf(' ');
      const seriesEnd = line.lastIndexOf(' ', valueEnd - 1);
      const brace = line.indexOf('{');
      const name = line.slice(0, brace > 0 && brace < seriesEnd ? brace : seriesEnd);
      const series = line.slice(0, seriesEnd);
      const ts = line.slice(valueEnd + 1);
      const t = Number(ts) * 1000;
      if (!/^\d+(\.\d+)?$/.test(ts) || (t - T0) % STEP !== 0) problems.push(`bad timestamp: ${line}`);
      if (!Number.isFinite(Number(line.slice(seriesEnd + 1, valueEnd)))) problems.push(`bad value: ${line}`);
      if (name !== previousName) {
        if (seen.has(name)) problems.push(`${name} written in two places`);
        seen.add(name);
        previousName = name;
      }
      if (series === previousSeries && t <= previousT) problems.push(`out of order: ${line}`);
      previousSeries = series;
      previousT = t;
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(seen.size).toBeGreaterThan(150);
  });

  it('attaches the target labels a scrape config would: namespace, model, version for vLLM; node, pool for DCGM', async () => {
    const data = join(dir, 'data');
    const at = String((T0 + 60 * MIN) / 1000);
    const query = async (expr: string) => {
      const res = await vigilCli(['query', expr, '--data', data, '--time', at, '--json']);
      expect(res.code, res.stderr).toBe(0);
      return (JSON.parse(res.stdout) as { result: { metric: Record<string, string>; value: [number, string] }[] }).result
        .map((r) => [r.metric, r.value[1]] as const)
        .sort((a, b) => JSON.stringify(a[0]).localeCompare(JSON.stringify(b[0])));
    };
    expect(await query('count by (job) (up == 1)')).toEqual([
      [{ job: 'dcgm' }, '2'],
      [{ job: 'kube-state-metrics' }, '1'],
      [{ job: 'rabbitmq' }, '1'],
      [{ job: 'vllm' }, '4'],
    ]);
    expect(await query('count by (namespace, model, version) (vllm:request_success_total)')).toEqual([
      [{ model: 'llama-3-70b', namespace: 'inference', version: 'v1' }, '5'],
      [{ model: 'llama-3-70b', namespace: 'inference', version: 'v2' }, '5'],
      [{ model: 'mistral-7b', namespace: 'inference', version: 'v1' }, '5'],
      [{ model: 'mistral-7b', namespace: 'inference', version: 'v2' }, '5'],
    ]);
    expect(await query('count by (node, pool) (DCGM_FI_DEV_GPU_UTIL)')).toEqual([
      [{ node: 'gpu-node-a', pool: 'h100' }, '8'],
      [{ node: 'gpu-node-b', pool: 'h100' }, '8'],
    ]);
  });

  it('writes the same file when memory forces several passes', async () => {
    const range = { from: T0, to: T0 + 10 * MIN, step: STEP };
    const run = async (opts: { maxBufferedSamples?: number }) => {
      let out = '';
      const result = await writeOpenMetrics(badRollout, range, (t) => void (out += t), opts);
      return { out, result };
    };
    const one = await run({});
    const several = await run({ maxBufferedSamples: 4_000 });
    expect(one.result.passes).toBe(1);
    expect(several.result.passes).toBeGreaterThan(3);
    expect(several.result.samples).toBe(one.result.samples);
    expect(several.out).toBe(one.out);
  });

  it("feeds vigil backtest: an alert on v2's error ratio fires for v2 and never for v1", async () => {
    const rules = join(dir, 'rules.yaml');
    writeFileSync(
      rules,
      `groups:
- name: rollout
  interval: 1m
  rules:
  - alert: ModelVersionErrors
    expr: |
      sum by (model, version) (rate(http_requests_total{job="vllm", handler="/v1/chat/completions", status="5xx"}[5m]))
        / sum by (model, version) (rate(http_requests_total{job="vllm", handler="/v1/chat/completions"}[5m])) > 0.01
    for: 5m
`,
    );
    const res = await vigilCli(['backtest', '--rules', rules, '--data', file, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as { alerts: { labels: Record<string, string>; episodes: { firingAt: string | null }[] }[] };
    const firing = report.alerts.filter((a) => a.episodes.some((e) => e.firingAt !== null)).map((a) => a.labels);
    expect(firing).toEqual([{ alertname: 'ModelVersionErrors', model: 'llama-3-70b', version: 'v2' }]);
    const firstFiring = Date.parse(report.alerts.find((a) => a.labels['version'] === 'v2')!.episodes.find((e) => e.firingAt !== null)!.firingAt!);
    // The ramp starts at 30m; the error ratio passes 1% a few minutes in, then `for: 5m`.
    expect(firstFiring).toBeGreaterThan(T0 + 35 * MIN);
    expect(firstFiring).toBeLessThan(T0 + 50 * MIN);
  });

  it('refuses a range that runs backwards or a step that is not positive', async () => {
    await expect(writeOpenMetrics(badRollout, { from: T0, to: T0 - 1, step: STEP }, () => {})).rejects.toThrow(/to must not be before from/);
    await expect(writeOpenMetrics(badRollout, { from: T0, to: T0, step: 0 }, () => {})).rejects.toThrow(/step must be a positive/);
  });

});
