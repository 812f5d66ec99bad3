import { describe, expect, it } from 'vitest';
import { Labels } from '../../model/labels.js';
import { StaleNaN } from '../../model/value.js';
import { Engine } from '../../promql/engine.js';
import { PromQLError } from '../../promql/errors.js';
import type { Value } from '../../promql/value.js';
import { Head } from '../../tsdb/index.js';
import { VirtualClock } from '../../util/clock.js';

const MIN = 60_000;

/** headWith loads series of [t, v] samples into an in-memory head. */
function headWith(series: Record<string, [number, number][]>): Head {
  const head = new Head({ retentionMs: 1e12, clock: new VirtualClock(1e9) });
  const app = head.appender();
  for (const [text, samples] of Object.entries(series)) {
    const m = /^(\w+)(?:\{(.*)\})?$/.exec(text)!;
    const pairs: [string, string][] = [['__name__', m[1]!]];
    for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
      const [k, v] = kv.split('=') as [string, string];
      pairs.push([k, v.replace(/"/g, '')]);
    }
    for (const [t, v] of samples) app.append(Labels.from(pairs), t, v);
  }
  app.commit();
  return head;
}

function vectorOf(v: Value): Record<string, number> {
  if (v.type !== 'vector') throw new Error(`expected a vector, got ${v.type}`);
  return Object.fromEntries(v.vector.map((s) => [s.metric.toString(), s.v]));
}

describe('Engine', () => {
  const head = headWith({
    'up{job="a"}': [
      [0, 1],
      [MIN, 1],
      [2 * MIN, 0],
    ],
    'up{job="b"}': [[0, 1]],
    'req_total{job="a"}': Array.from({ length: 11 }, (_, i) => [i * MIN, i * 60] as [number, number]),
  });
  // A staleness marker must not pass through a plain array literal (V8 canonicalises the NaN).
  const stale = head.appender();
  stale.append(Labels.from({ __name__: 'up', job: 'b' }), MIN, StaleNaN);
  stale.commit();
  const engine = new Engine();

  it('looks back 5 minutes for an instant selector and stops at a staleness marker', async () => {
    expect(vectorOf((await engine.instantQuery(head, 'up', 30_000)).value)).toEqual({ '{__name__="up", job="a"}': 1, '{__name__="up", job="b"}': 1 });
    // job="b" went stale at 1m; job="a" is still within its lookback at 6m59s.
    expect(vectorOf((await engine.instantQuery(head, 'up', MIN + 1)).value)).toEqual({ '{__name__="up", job="a"}': 1 });
    expect(vectorOf((await engine.instantQuery(head, 'up', 2 * MIN + 5 * MIN - 1)).value)).toEqual({ '{__name__="up", job="a"}': 0 });
    expect(vectorOf((await engine.instantQuery(head, 'up', 2 * MIN + 5 * MIN)).value)).toEqual({});
  });

  it('evaluates range queries step by step, sorted by labels, names dropped where Prometheus drops them', async () => {
    const r = await engine.rangeQuery(head, 'rate(req_total[2m])', 4 * MIN, 6 * MIN, MIN);
    expect(r.value.type).toBe('matrix');
    if (r.value.type !== 'matrix') return;
    expect(r.value.matrix).toHaveLength(1);
    expect(r.value.matrix[0]!.metric.toString()).toBe('{job="a"}');
    expect(r.value.matrix[0]!.ts).toEqual([4 * MIN, 5 * MIN, 6 * MIN]);
    expect(r.value.matrix[0]!.vs).toEqual([1, 1, 1]);
  });

  it('answers scalars, strings and range vectors', async () => {
    expect((await engine.instantQuery(head, '1 + 2 * 3', 0)).value).toEqual({ type: 'scalar', scalar: { t: 0, v: 7 } });
    expect((await engine.instantQuery(head, '"vigil"', 5)).value).toEqual({ type: 'string', string: { t: 5, s: 'vigil' } });
    const m = (await engine.instantQuery(head, 'req_total[2m]', 5 * MIN)).value;
    expect(m.type === 'matrix' && m.matrix[0]!.ts).toEqual([4 * MIN, 5 * MIN]);
  });

  it('answers a repeated query at each time as a fresh engine would, `@ start()` / `@ end()` included', async () => {
    // The engine keeps prepared queries by text: a tree fixed by `@ end()` must not be reused.
    const repeated = new Engine();
    for (const q of ['req_total @ end()', 'req_total @ start() + 0 * req_total', 'rate(req_total[2m]) * 60', '(1 + 2) * vector(3)']) {
      for (const t of [3 * MIN, 7 * MIN, 4 * MIN]) {
        expect((await repeated.instantQuery(head, q, t)).value, `${q} at ${t}`).toEqual((await new Engine().instantQuery(head, q, t)).value);
      }
      expect((await repeated.rangeQuery(head, q, 2 * MIN, 5 * MIN, MIN)).value, q).toEqual((await new Engine().rangeQuery(head, q, 2 * MIN, 5 * MIN, MIN)).value);
    }
    expect(vectorOf((await repeated.instantQuery(head, 'req_total @ end()', 9 * MIN)).value)).toEqual({ '{__name__="req_total", job="a"}': 540 });
  });

  it('applies offset and @', async () => {
    expect(vectorOf((await engine.instantQuery(head, 'req_total offset 3m', 10 * MIN)).value)).toEqual({ '{__name__="req_total", job="a"}': 420 });
    expect(vectorOf((await engine.instantQuery(head, 'req_total @ 120', 10 * MIN)).value)).toEqual({ '{__name__="req_total", job="a"}': 120 });
    const r = await engine.rangeQuery(head, 'req_total @ end()', 0, 2 * MIN, MIN);
    expect(r.value.type === 'matrix' && r.value.matrix[0]!.vs).toEqual([120, 120, 120]);
  });

  it('refuses a range query over a range vector, and bad steps', async () => {
    await expect(engine.rangeQuery(head, 'req_total[5m]', 0, MIN, MIN)).rejects.toThrow(
      'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    );
    await expect(engine.rangeQuery(head, 'up', 0, MIN, 0)).rejects.toMatchObject({ type: 'bad_data' });
    await expect(engine.rangeQuery(head, 'up', MIN, 0, MIN)).rejects.toThrow('end timestamp must not be before start time');
  });

  it('fails past the sample limit with Prometheus message', async () => {
    const small = new Engine({ maxSamples: 5 });
    const err = await small.instantQuery(head, 'req_total[10m]', 10 * MIN).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PromQLError);
    expect(err).toMatchObject({ type: 'execution', message: 'query processing would load too many samples into memory in query execution' });
  });

  it('times out on its clock with Prometheus message', async () => {
    let now = 0;
    const slow = new Engine({ timeoutMs: 100, now: () => (now += 60) });
    await expect(slow.rangeQuery(head, 'rate(req_total[2m])', 0, 10 * MIN, 1000)).rejects.toMatchObject({
      type: 'timeout',
      message: 'query timed out in query execution',
    });
  });

  it('says native histograms are not supported', async () => {
    await expect(engine.instantQuery(head, 'histogram_count(up)', 0)).rejects.toMatchObject({ type: 'unsupported' });
  });

  it('reports annotations with their position', async () => {
    const r = await engine.instantQuery(head, 'quantile(2, up)', 30_000);
    expect(r.warnings).toEqual(['PromQL warning: quantile value should be between 0 and 1, got 2 (1:10)']);
    const i = await engine.instantQuery(head, 'rate(up[5m])', 2 * MIN);
    expect(i.infos).toEqual(['PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "up" (1:6)']);
  });
});
