import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineQuery, logNotify } from '../../cli/adapters.js';
import { parseConfig } from '../../cli/config.js';
import { isolatedTelemetry } from '../../cli/telemetry.js';
import { startVigil } from '../../cli/vigil.js';
import { Labels } from '../../model/labels.js';
import { Engine } from '../../promql/engine.js';
import { Head } from '../../tsdb/index.js';
import { VirtualClock } from '../../util/clock.js';
import { createLogger, nopLogger } from '../../util/log.js';
import { SourceError } from '../../util/yamlreader.js';

describe('engineQuery (cli/adapters)', () => {
  const clock = new VirtualClock(1_000_000);
  const head = new Head({ retentionMs: 1e12, clock });
  const app = head.appender();
  app.append(Labels.from({ __name__: 'up', job: 'a' }), 990_000, 1);
  app.append(Labels.from({ __name__: 'up', job: 'b' }), 990_000, 0);
  app.commit();
  const query = engineQuery(new Engine(), head);

  it('returns an instant vector as is', async () => {
    const r = await query('up', 1_000_000);
    expect(r.map((s) => [s.metric.toString(), s.v])).toEqual([
      ['{__name__="up", job="a"}', 1],
      ['{__name__="up", job="b"}', 0],
    ]);
  });

  it('turns a scalar into one sample without labels, as Prometheus’s EngineQueryFunc', async () => {
    const r = await query('scalar(sum(up)) * 3', 1_000_000);
    expect(r).toHaveLength(1);
    expect(r[0]!.metric.size).toBe(0);
    expect(r[0]!.v).toBe(3);
  });

  it('refuses a string result', async () => {
    await expect(query('"text"', 1_000_000)).rejects.toThrow(/not a vector or scalar|unexpected string/);
  });

  it('passes PromQL errors through', async () => {
    await expect(query('sum(', 1_000_000)).rejects.toThrow(/parse error/);
  });
});

describe('logNotify (cli/adapters)', () => {
  it('logs firing and resolved alerts as structured lines', () => {
    const lines: string[] = [];
    const notify = logNotify(createLogger({ format: 'json', write: (l) => lines.push(l) }), () => 10_000);
    const base = { annotations: Labels.from({ summary: 's' }), startsAt: 1_000, generatorURL: 'http://x/graph' };
    void notify([
      { ...base, labels: Labels.from({ alertname: 'A' }), endsAt: 250_000 },
      { ...base, labels: Labels.from({ alertname: 'B' }), endsAt: 9_000 },
    ]);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((p) => [p['msg'], p['alertname']])).toEqual([
      ['alert firing', 'A'],
      ['alert resolved', 'B'],
    ]);
    expect(parsed[0]).toMatchObject({ labels: { alertname: 'A' }, annotations: { summary: 's' }, endsAt: '1970-01-01T00:04:10.000Z' });
  });
});

describe('vigil with rule files (in process, virtual clock)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-app-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const T0 = 1_700_000_000_000;

  it('serves /api/v1/rules and /api/v1/alerts in Prometheus’s shape', async () => {
    writeFileSync(
      join(dir, 'rules.yaml'),
      `groups:
  - name: g
    rules:
      - record: answer
        expr: vector(42)
        labels: {source: test}
      - alert: Answered
        expr: answer > 40
        for: 1m
        labels: {severity: ticket}
        annotations: {summary: '{{ $value }}'}
`,
    );
    const config = parseConfig(join(dir, 'vigil.yaml'), `global: {evaluation_interval: 30s}\nrule_files: [rules.yaml]\nstorage: {embedded: {path: data}}\n`);
    const clock = new VirtualClock(T0);
    const vigil = await startVigil({ config, logger: nopLogger, telemetry: isolatedTelemetry(), clock, listenAddress: '127.0.0.1:0' });
    try {
      await clock.advance(31_000);
      const rules = (await (await fetch(`${vigil.url}/api/v1/rules`)).json()) as { status: string; data: { groups: Record<string, unknown>[] } };
      expect(rules.status).toBe('success');
      const g = rules.data.groups[0]!;
      expect(g).toMatchObject({ name: 'g', file: join(dir, 'rules.yaml'), interval: 30, limit: 0 });
      expect(typeof g['evaluationTime']).toBe('number');
      expect(g['lastEvaluation']).toMatch(/^2023-11-14T22:1\d:\d\d(\.\d+)?Z$/);
      const [rec, alert] = g['rules'] as Record<string, unknown>[];
      expect(rec).toMatchObject({ name: 'answer', query: 'vector(42)', labels: { source: 'test' }, health: 'ok', type: 'recording' });
      expect(alert).toMatchObject({
        state: 'pending',
        name: 'Answered',
        query: 'answer > 40',
        duration: 60,
        keepFiringFor: 0,
        labels: { severity: 'ticket' },
        annotations: { summary: '{{ $value }}' },
        health: 'ok',
        type: 'alerting',
      });
      expect((alert!['alerts'] as unknown[])[0]).toMatchObject({
        labels: { alertname: 'Answered', severity: 'ticket', source: 'test' },
        annotations: { summary: '42' },
        state: 'pending',
        value: '4.2e+01',
      });
      const onlyRecords = (await (await fetch(`${vigil.url}/api/v1/rules?type=record`)).json()) as { data: { groups: { rules: unknown[] }[] } };
      expect(onlyRecords.data.groups[0]!.rules).toHaveLength(1);
      expect((await fetch(`${vigil.url}/api/v1/rules?type=nope`)).status).toBe(400);

      const alerts = (await (await fetch(`${vigil.url}/api/v1/alerts`)).json()) as { data: { alerts: Record<string, unknown>[] } };
      expect(alerts.data.alerts).toHaveLength(1);
      expect(alerts.data.alerts[0]!['activeAt']).toMatch(/^2023-11-14T22:1\d:\d\d(\.\d+)?Z$/);
    } finally {
      await vigil.close();
    }
  });

  it('compiles SLO documents into running groups', async () => {
    const config = parseConfig(
      join(dir, 'vigil3.yaml'),
      `rule_files: [${join(process.cwd(), 'examples/rules/vllm-availability.yaml')}]\nstorage: {embedded: {path: data3}}\n`,
    );
    const clock = new VirtualClock(T0);
    const vigil = await startVigil({ config, logger: nopLogger, telemetry: isolatedTelemetry(), clock, listenAddress: '127.0.0.1:0' });
    try {
      await clock.advance(61_000);
      const groups = vigil.ruleManager.groups();
      expect(groups.length).toBeGreaterThan(0);
      const rules = groups.flatMap((g) => g.rules);
      expect(rules.some((r) => r.kind === 'alerting')).toBe(true);
      expect(rules.some((r) => r.kind === 'recording')).toBe(true);
      expect(rules.filter((r) => r.status.health !== 'ok').map((r) => [r.name, r.status.lastError])).toEqual([]);
    } finally {
      await vigil.close();
    }
  });

  it('refuses to start on a broken rule file, naming file:line:column', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(\n');
    const config = parseConfig(join(dir, 'vigil2.yaml'), `rule_files: [broken.yaml]\nstorage: {embedded: {path: data2}}\n`);
    const err = await startVigil({ config, logger: nopLogger, telemetry: isolatedTelemetry(), listenAddress: '127.0.0.1:0' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toContain(`${join(dir, 'broken.yaml')}:5:`);
  });
});
