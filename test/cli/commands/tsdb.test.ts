import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newParser } from '../../../collectors/textparse/index.js';
import { vigilCli } from '../../support/cli.js';
import { startPrometheus } from '../../support/prometheus.js';

const HOUR = 3600_000;
// Recent, minute-aligned timestamps: Prometheus's head and retention care about "now".
const START = Math.floor((Date.now() - 6 * HOUR) / 60_000) * 60_000;
const STEP = 15_000;
const POINTS = 480; // two hours of 15s samples

type Sample = [number, number];

/** generate writes an OpenMetrics backfill file and returns what it holds, by series text. */
function generate(): { text: string; series: Map<string, Sample[]> } {
  const series = new Map<string, Sample[]>();
  const lines: string[] = [];
  const families: [string, string, (i: number, j: number) => number][] = [
    ['gen_gpu_util', 'gauge', (i, j) => Math.round(50 + 40 * Math.sin((i + j * 7) / 30)) / 100],
    ['gen_requests', 'counter', (i, j) => i * (j + 1) * 3],
    ['gen_odd_values', 'gauge', (i) => [NaN, Infinity, -Infinity, -0.5, 1e300, 5e-324][i % 6]!],
  ];
  for (const [name, type, fn] of families) {
    lines.push(`# TYPE ${name} ${type}`);
    for (let j = 0; j < 3; j++) {
      const sample = type === 'counter' ? `${name}_total` : name;
      // Upper-case label names (as DCGM exposes) sort before __name__: families must stay contiguous anyway.
      const key = `${sample}{UUID="GPU-${j}",gpu="${j}",model="llama-3.1-70b"}`;
      const samples: Sample[] = [];
      for (let i = 0; i < POINTS; i++) {
        const t = START + i * STEP;
        const v = fn(i, j);
        samples.push([t, v]);
        const text = Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);
        lines.push(`${key} ${text} ${t / 1000}`);
      }
      series.set(key, samples);
    }
  }
  lines.push('# EOF', '');
  return { text: lines.join('\n'), series };
}

/** readOpenMetrics parses an export back into samples by series text (labels sorted). */
function readOpenMetrics(text: string): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  const p = newParser(text, 'application/openmetrics-text; version=1.0.0');
  let kind;
  while ((kind = p.next()) !== null) {
    if (kind !== 'series') continue;
    const key = p.labels().toSeriesString().replaceAll(', ', ',');
    const list = out.get(key) ?? [];
    list.push([p.timestamp()!, p.value()]);
    out.set(key, list);
  }
  return out;
}

const same = (a: number, b: number) => Object.is(a, b) || a === b;
/** promValue reads a value as Prometheus's API writes it ("+Inf", "NaN", "1e+300"). */
const promValue = (s: string) => (s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s));

describe('vigil tsdb import / export / stats', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-tsdb-'));
  const data = join(dir, 'data');
  const gen = generate();
  const file = join(dir, 'backfill.om');
  let exported = '';

  beforeAll(async () => {
    writeFileSync(file, gen.text);
    const imported = await vigilCli(['tsdb', 'import', file, '--data', data, '--json']);
    expect(imported.stderr).not.toMatch(/error/i);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ samples: 9 * POINTS, appended: 9 * POINTS, series: 9, rejected: {} });
    const ex = await vigilCli(['tsdb', 'export', '--data', data]);
    expect(ex.code).toBe(0);
    exported = ex.stdout;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports exactly what was imported, bit for bit', () => {
    const back = readOpenMetrics(exported);
    expect([...back.keys()].sort()).toEqual([...gen.series.keys()].sort());
    for (const [key, samples] of gen.series) {
      const got = back.get(key)!;
      expect(got.length, key).toBe(samples.length);
      samples.forEach(([t, v], i) => {
        expect(got[i]![0]).toBe(t);
        expect(same(got[i]![1], v), `${key} @${t}: ${got[i]![1]} vs ${v}`).toBe(true);
      });
    }
    expect(exported.endsWith('# EOF\n')).toBe(true);
    // OpenMetrics wants each family's lines together, even when label names sort before __name__.
    const names = exported
      .trimEnd()
      .split('\n')
      .slice(0, -1)
      .map((l) => l.slice(0, l.search(/[{ ]/)));
    const runs = names.filter((n, i) => n !== names[i - 1]);
    expect(runs).toEqual([...new Set(names)]);
  });

  it('filters the export with --match, --start and --end', async () => {
    const ex = await vigilCli([
      'tsdb',
      'export',
      '--data',
      data,
      '--match',
      'gen_requests_total{gpu=~"0|2"}',
      '--start',
      String((START + HOUR) / 1000),
      '--end',
      new Date(START + HOUR + 10 * STEP).toISOString(),
    ]);
    const back = readOpenMetrics(ex.stdout);
    expect([...back.keys()].sort()).toEqual([
      'gen_requests_total{UUID="GPU-0",gpu="0",model="llama-3.1-70b"}',
      'gen_requests_total{UUID="GPU-2",gpu="2",model="llama-3.1-70b"}',
    ]);
    for (const samples of back.values()) expect(samples.map(([t]) => t)).toEqual(Array.from({ length: 11 }, (_, i) => START + HOUR + i * STEP));
  });

  it('reports stats like promtool tsdb analyze', async () => {
    const res = await vigilCli(['tsdb', 'stats', '--data', data, '--json']);
    expect(res.code).toBe(0);
    const stats = JSON.parse(res.stdout);
    expect(stats).toMatchObject({ series: 9, samples: 9 * POINTS, minTime: START, maxTime: START + (POINTS - 1) * STEP });
    expect(stats.bytesPerSample).toBeGreaterThan(0);
    expect(stats.topMetricNames).toEqual(
      expect.arrayContaining([{ name: 'gen_gpu_util', series: 3 }, { name: 'gen_requests_total', series: 3 }]),
    );
    const text = await vigilCli(['tsdb', 'stats', '--data', data]);
    expect(text.stdout).toContain('Series: 9');
    expect(text.stdout).toMatch(/Bytes per sample: \d+\.\d{3}/);
  });

  it('is read back by Prometheus: promtool builds blocks from the export and serves the same samples', async () => {
    const blocks = join(dir, 'prom-data');
    writeFileSync(join(dir, 'export.om'), exported);
    execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'export.om'), blocks], { stdio: 'pipe' });
    const prom = await startPrometheus('global: {scrape_interval: 1m}\n', { dataDir: blocks, args: ['--storage.tsdb.retention.time=10y'] });
    try {
      const end = (START + POINTS * STEP) / 1000;
      const data = await prom.api<{ result: { metric: Record<string, string>; values: [number, string][] }[] }>('/api/v1/query', {
        query: '{__name__=~"gen_.+"}[1d]',
        time: String(end),
      });
      expect(data.result).toHaveLength(9);
      for (const s of data.result) {
        const { __name__, ...rest } = s.metric;
        const key = `${__name__}{${Object.entries(rest)
          .sort()
          .map(([k, v]) => `${k}="${v}"`)
          .join(',')}}`;
        const want = gen.series.get(key)!;
        expect(s.values.length, key).toBe(want.length);
        s.values.forEach(([t, v], i) => {
          expect(Math.round(t * 1000)).toBe(want[i]![0]);
          expect(same(promValue(v), want[i]![1]), `${key}@${t}: ${v} vs ${want[i]![1]}`).toBe(true);
        });
      }
    } finally {
      await prom.stop();
    }
  });

  it('imports nothing from a malformed file and says where it is broken', async () => {
    const bad = join(dir, 'bad.om');
    writeFileSync(bad, 'gen_a 1 1700000000\ngen_a{x="1" 2 1700000001\n# EOF\n');
    const empty = join(dir, 'empty-data');
    const res = await vigilCli(['tsdb', 'import', bad, '--data', empty]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`^${bad}:2:\\d+: `));
    const stats = JSON.parse((await vigilCli(['tsdb', 'stats', '--data', empty, '--json'])).stdout);
    expect(stats.series).toBe(0);
  });

  it('needs --data, and says so with exit code 2', async () => {
    const res = await vigilCli(['tsdb', 'stats']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--data DIR is required');
  });
});
