import { describe, expect, it } from 'vitest';
import { dump } from '../../support/store.js';
import { fixture, group, MIN, recording } from './fixture.js';

describe('recording rules', () => {
  it('append the result with `__name__` = record and the rule labels; later rules of the group see it in the same evaluation', async () => {
    const f = fixture();
    f.load({ __name__: 'requests', job: 'api', instance: 'a' }, 0, 5 * MIN, () => 3);
    f.load({ __name__: 'requests', job: 'api', instance: 'b' }, 0, 5 * MIN, () => 4);
    const m = f.manager([
      group('g', [recording('job:requests:sum', 'sum by (job) (requests)', { team: 'infra' }), recording('job:requests:double', 'job:requests:sum * 2')]),
    ]);
    await m.evalGroupAt('g', MIN);
    expect(dump(f.head, 'job:requests:sum')).toEqual({ 'job:requests:sum{job="api", team="infra"}': [[MIN, 7]] });
    expect(dump(f.head, 'job:requests:double')).toEqual({ 'job:requests:double{job="api", team="infra"}': [[MIN, 14]] });
    expect(m.groups()[0]!.lastSamples).toBe(2);
  });

  it('mark series that disappear from the result stale, at the evaluation time', async () => {
    const f = fixture();
    f.load({ __name__: 'load', instance: 'a' }, 0, 10 * MIN, (t) => (t <= 2 * MIN ? 9 : 1));
    const m = f.manager([group('g', [recording('high_load', 'load > 5')])]);
    for (let t = 1; t <= 4; t++) await m.evalGroupAt('g', t * MIN);
    expect(dump(f.head, 'high_load')).toEqual({ 'high_load{instance="a"}': [[MIN, 9], [2 * MIN, 9], [3 * MIN, 'stale']] });
  });

  it('query_offset evaluates and writes as of that long ago', async () => {
    const f = fixture();
    f.load({ __name__: 'x' }, 0, 10 * MIN, (t) => t / 1000);
    const m = f.manager([group('g', [recording('x_copy', 'x')], { queryOffsetMs: 30_000 })]);
    await m.evalGroupAt('g', 2 * MIN);
    expect(dump(f.head, 'x_copy')).toEqual({ x_copy: [[90_000, 90]] });
  });

  it('fail on duplicate output label sets and on the group limit, with Prometheus’s messages, writing nothing', async () => {
    const f = fixture();
    f.load({ __name__: 'up', job: 'a' }, 0, 5 * MIN, () => 1);
    f.load({ __name__: 'up', job: 'b' }, 0, 5 * MIN, () => 1);
    const m = f.manager([group('dup', [recording('up_all', 'up', { job: 'all' })]), group('lim', [recording('up_copy', 'up')], { limit: 1 })]);
    await m.evalGroupAt('dup', MIN);
    await m.evalGroupAt('lim', MIN);
    const [dup, lim] = m.groups().map((g) => g.rules[0]!);
    expect(dup!.status).toMatchObject({ health: 'err', lastError: 'vector contains metrics with the same labelset after applying rule labels' });
    expect(lim!.status).toMatchObject({ health: 'err', lastError: 'exceeded limit of 1 with 2 series' });
    expect(dump(f.head, 'up_all')).toEqual({});
    expect(dump(f.head, 'up_copy')).toEqual({});
  });

  it('a query error fails only that rule; the next rule still runs', async () => {
    const f = fixture();
    f.load({ __name__: 'x' }, 0, 5 * MIN, () => 1);
    const m = f.manager([group('g', [recording('bad', 'label_replace(x, "a", "$1", "nope", "(")'), recording('good', 'x + 1')])]);
    await m.evalGroupAt('g', MIN);
    const [bad, good] = m.groups()[0]!.rules;
    expect(bad!.status.health).toBe('err');
    expect(bad!.status.lastError).toMatch(/regex|parse|invalid/i);
    expect(good!.status).toMatchObject({ health: 'ok', lastError: undefined });
    expect(dump(f.head, 'good')).toEqual({ good: [[MIN, 2]] });
  });
});
