import { describe, expect, it } from 'vitest';
import { Labels } from '../../model/labels.js';
import { Matcher } from '../../model/matcher.js';
import { AppendError } from '../../model/storage.js';
import { StaleNaN } from '../../model/value.js';
import { Head, TSDBError } from '../../tsdb/index.js';
import type { HeadSeriesIterator } from '../../tsdb/head_iterator.js';
import { VirtualClock } from '../../util/clock.js';
import { T0, dump, lbl } from './helpers.js';

const DAY = 24 * 3600_000;

function newHead(clock = new VirtualClock(T0), retentionMs = 30 * DAY): Head {
  return new Head({ retentionMs, clock });
}

function appendErr(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppendError || err instanceof TSDBError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('Head transactions', () => {
  it('shows nothing before commit and every sample after', () => {
    const head = newHead();
    const app = head.appender();
    app.append(lbl('a'), T0, 1);
    app.append(lbl('a'), T0 + 1000, 2);
    app.append(lbl('b', { x: 'y' }), T0, 3);
    expect(dump(head)).toEqual({});
    app.commit();
    expect(dump(head)).toEqual({
      '{__name__="a"}': [
        [T0, 1],
        [T0 + 1000, 2],
      ],
      '{__name__="b", x="y"}': [[T0, 3]],
    });
    expect(head.samplesAppended).toBe(3);
  });

  it('rollback leaves no sample, no label value and no label name visible', () => {
    const head = newHead();
    const committed = head.appender();
    committed.append(lbl('kept'), T0, 1);
    committed.commit();
    const app = head.appender();
    app.append(lbl('gone', { only_here: 'v' }), T0, 1);
    app.append(lbl('kept'), T0 + 1, 2);
    app.rollback();
    expect(dump(head)).toEqual({ '{__name__="kept"}': [[T0, 1]] });
    const q = head.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    expect(q.labelValues('__name__')).toEqual(['kept']);
    expect(q.labelNames()).toEqual(['__name__']);
    expect(q.select([new Matcher('=', '__name__', 'gone')])).toEqual([]);
    expect(head.samplesAppended).toBe(1);
  });

  it('an appender is finished by commit or rollback', () => {
    const head = newHead();
    const app = head.appender();
    app.commit();
    expect(appendErr(() => app.append(lbl('a'), T0, 1))).toBe('appender_finished');
    expect(appendErr(() => app.commit())).toBe('appender_finished');
    const other = head.appender();
    other.rollback();
    expect(appendErr(() => other.rollback())).toBe('appender_finished');
  });

  it('refuses an empty label set and a timestamp that is not integer milliseconds', () => {
    const head = newHead();
    expect(appendErr(() => head.appender().append(Labels.EMPTY, T0, 1))).toBe('empty_labels');
    expect(appendErr(() => head.appender().append(lbl('a'), T0 + 0.5, 1))).toBe('invalid_timestamp');
    expect(appendErr(() => head.appender().append(lbl('a'), NaN, 1))).toBe('invalid_timestamp');
  });

  it('returns a ref that skips the label lookup, and ignores a stale or unknown ref', () => {
    const head = newHead();
    const app = head.appender();
    const ref = app.append(lbl('a'), T0, 1);
    expect(ref).toBeGreaterThan(0);
    // A valid ref wins over the labels passed with it (the caller vouches they match).
    expect(app.append(Labels.EMPTY, T0 + 1, 2, ref)).toBe(ref);
    // An unknown ref falls back to the labels.
    const other = app.append(lbl('b'), T0, 3, ref + 12345);
    expect(other).not.toBe(ref);
    app.commit();
    expect(dump(head)).toEqual({
      '{__name__="a"}': [
        [T0, 1],
        [T0 + 1, 2],
      ],
      '{__name__="b"}': [[T0, 3]],
    });
  });

  it('gives the same series the same ref and a new series a new ref', () => {
    const head = newHead();
    const app = head.appender();
    const a1 = app.append(lbl('a', { k: 'v' }), T0, 1);
    const a2 = app.append(Labels.from({ k: 'v', __name__: 'a' }), T0 + 1, 1);
    const b = app.append(lbl('a', { k: 'w' }), T0, 1);
    app.commit();
    expect(a2).toBe(a1);
    expect(b).not.toBe(a1);
    expect(head.numSeries).toBe(2);
  });
});

describe('Head refusals', () => {
  it('refuses and counts out-of-order samples, against committed data and within a transaction', () => {
    const head = newHead();
    const app = head.appender();
    app.append(lbl('a'), T0 + 10_000, 1);
    expect(appendErr(() => app.append(lbl('a'), T0 + 5_000, 1))).toBe('out_of_order');
    app.commit();
    const next = head.appender();
    expect(appendErr(() => next.append(lbl('a'), T0 + 9_999, 1))).toBe('out_of_order');
    // The transaction stays usable after a refusal.
    next.append(lbl('a'), T0 + 20_000, 2);
    next.commit();
    expect(head.rejected.out_of_order).toBe(2);
    expect(dump(head)['{__name__="a"}']).toEqual([
      [T0 + 10_000, 1],
      [T0 + 20_000, 2],
    ]);
  });

  it('refuses a different value at an existing timestamp and ignores the same value', () => {
    const head = newHead();
    const app = head.appender();
    app.append(lbl('a'), T0, 1);
    app.append(lbl('a'), T0, 1); // same sample within the transaction: ignored
    expect(appendErr(() => app.append(lbl('a'), T0, 2))).toBe('duplicate_sample_for_timestamp');
    app.commit();
    const next = head.appender();
    next.append(lbl('a'), T0, 1); // same sample again after commit: ignored
    expect(appendErr(() => next.append(lbl('a'), T0, 1.5))).toBe('duplicate_sample_for_timestamp');
    next.commit();
    expect(head.rejected.duplicate_sample_for_timestamp).toBe(2);
    expect(head.rejected.out_of_order).toBe(0);
    expect(dump(head)['{__name__="a"}']).toEqual([[T0, 1]]);
  });

  it('tells a staleness marker from an ordinary NaN at the same timestamp', () => {
    const head = newHead();
    const app = head.appender();
    app.append(lbl('a'), T0, StaleNaN);
    app.commit();
    const next = head.appender();
    next.append(lbl('a'), T0, StaleNaN); // identical bits: ignored
    expect(appendErr(() => next.append(lbl('a'), T0, NaN))).toBe('duplicate_sample_for_timestamp');
    next.commit();
    expect(dump(head)['{__name__="a"}']).toEqual([[T0, 'stale']]);
  });

  it('refuses samples older than the retention window as out of bounds', () => {
    const clock = new VirtualClock(T0);
    const head = newHead(clock, 3600_000);
    const app = head.appender();
    expect(appendErr(() => app.append(lbl('a'), T0 - 3600_001, 1))).toBe('out_of_bounds');
    app.append(lbl('a'), T0 - 3600_000, 1);
    app.commit();
    expect(head.rejected.out_of_bounds).toBe(1);
    expect(dump(head)['{__name__="a"}']).toEqual([[T0 - 3600_000, 1]]);
  });

  it('drops at commit a sample that another transaction made out of order meanwhile', () => {
    const head = newHead();
    const first = head.appender();
    const second = head.appender();
    first.append(lbl('a'), T0 + 1000, 1);
    second.append(lbl('a'), T0 + 2000, 2);
    second.commit();
    first.commit();
    expect(head.rejected.out_of_order).toBe(1);
    expect(dump(head)['{__name__="a"}']).toEqual([[T0 + 2000, 2]]);
  });
});

describe('Head chunks', () => {
  it('cuts a chunk every 120 samples and hands each completed chunk to the sink', () => {
    const sunk: { ref: number; mint: number; maxt: number; len: number }[] = [];
    const head = new Head({
      retentionMs: 30 * DAY,
      clock: new VirtualClock(T0),
      chunkSink: { writeChunk: (ref, mint, maxt, _buf, _off, len) => sunk.push({ ref, mint, maxt, len }) },
    });
    let ref = 0;
    for (let i = 0; i < 250; i++) {
      const app = head.appender();
      ref = app.append(lbl('a'), T0 + i * 15_000, i, ref);
      app.commit();
    }
    expect(sunk.map((c) => [c.ref, c.mint, c.maxt])).toEqual([
      [ref, T0, T0 + 119 * 15_000],
      [ref, T0 + 120 * 15_000, T0 + 239 * 15_000],
    ]);
    expect(head.chunks.chunkCount).toBe(2);
    expect(head.numSamples).toBe(250);
    const got = dump(head)['{__name__="a"}']!;
    expect(got).toHaveLength(250);
    expect(got[249]).toEqual([T0 + 249 * 15_000, 249]);
  });

  it('grows the open chunk through its size classes without losing bits', () => {
    const head = newHead();
    // Random-looking floats need many bits per sample: the open chunk moves slot class many times.
    const vs = new Float64Array(119);
    for (let i = 0; i < vs.length; i++) vs[i] = Math.sin(i) * 1e6 + i / 7;
    const app = head.appender();
    for (let i = 0; i < vs.length; i++) app.append(lbl('noisy'), T0 + i * 1_000 + (i % 3), vs[i]!);
    app.commit();
    const got = dump(head)['{__name__="noisy"}']!;
    expect(got.map((s) => s[1])).toEqual(Array.from(vs));
  });
});

describe('Head querier', () => {
  function filled(): Head {
    const head = newHead();
    const app = head.appender();
    for (let i = 0; i < 300; i++) {
      app.append(lbl('m', { job: 'a' }), T0 + i * 1000, i);
      if (i % 2 === 0) app.append(lbl('m', { job: 'b' }), T0 + i * 1000, -i);
    }
    app.append(lbl('other', { job: 'a', extra: 'x' }), T0 + 500_000, 7);
    app.commit();
    return head;
  }

  it('returns series sorted by labels with only samples in [mint, maxt]', () => {
    const head = filled();
    const series = head.querier(T0 + 100_000, T0 + 130_000).select([new Matcher('=', '__name__', 'm')]);
    expect(series.map((s) => s.labels.toString())).toEqual(['{__name__="m", job="a"}', '{__name__="m", job="b"}']);
    const a: number[] = [];
    const it = series[0]!.samples();
    while (it.next()) a.push(it.t);
    expect(a[0]).toBe(T0 + 100_000);
    expect(a[a.length - 1]).toBe(T0 + 130_000);
    expect(a).toHaveLength(31);
  });

  it('leaves out series with no sample in the range', () => {
    const head = filled();
    const q = head.querier(T0 + 400_000, T0 + 600_000);
    expect(q.select([new Matcher('=', 'job', 'a')]).map((s) => s.labels.metricName)).toEqual(['other']);
    expect(q.labelValues('__name__')).toEqual(['other']);
    expect(q.labelNames()).toEqual(['__name__', 'extra', 'job']);
    expect(head.querier(T0 + 600_001, T0 + 700_000).select([new Matcher('=~', '__name__', '.+')])).toEqual([]);
  });

  it('seeks forward, never backwards, across chunk boundaries', () => {
    const head = filled();
    const [s] = head.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).select([new Matcher('=', 'job', 'a'), new Matcher('=', '__name__', 'm')]);
    const it = s!.samples();
    expect(it.seek(T0 + 250_500)).toBe(true);
    expect([it.t, it.v]).toEqual([T0 + 251_000, 251]);
    expect(it.seek(T0 + 10_000)).toBe(true); // behind: stays
    expect(it.t).toBe(T0 + 251_000);
    expect(it.next()).toBe(true);
    expect(it.t).toBe(T0 + 252_000);
    expect(it.seek(T0 + 299_000)).toBe(true);
    expect(it.v).toBe(299);
    expect(it.seek(T0 + 299_001)).toBe(false);
    expect(it.next()).toBe(false);
    // seek before any next() positions on the first sample at or after t.
    const fresh = s!.samples();
    expect(fresh.seek(0)).toBe(true);
    expect(fresh.t).toBe(T0);
  });

  it('answers labelNames and labelValues with matchers', () => {
    const head = filled();
    const q = head.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    expect(q.labelValues('job')).toEqual(['a', 'b']);
    expect(q.labelValues('job', [new Matcher('=', '__name__', 'other')])).toEqual(['a']);
    expect(q.labelNames([new Matcher('=', 'job', 'b')])).toEqual(['__name__', 'job']);
    expect(q.labelValues('nope')).toEqual([]);
  });

  it('reads completed chunks through its decoded-chunk cache with the same samples every time', () => {
    const head = filled();
    const read = (mint: number, maxt: number) => {
      const [s] = head.querier(mint, maxt).select([new Matcher('=', 'job', 'a'), new Matcher('=', '__name__', 'm')]);
      const got: [number, number][] = [];
      const it = s!.samples();
      while (it.next()) got.push([it.t, it.v]);
      return got;
    };
    // 300 samples: two completed chunks of 120, then the open chunk; the window starts mid-chunk.
    const first = read(T0 + 60_500, T0 + 299_000);
    expect(head.decodedChunks.samples).toBe(240);
    expect(read(T0 + 60_500, T0 + 299_000)).toEqual(first);
    expect(first).toHaveLength(239);
    expect(first[0]).toEqual([T0 + 61_000, 61]);
    expect(first[238]).toEqual([T0 + 299_000, 299]);
    expect(read(T0 + 119_000, T0 + 120_000)).toEqual([
      [T0 + 119_000, 119],
      [T0 + 120_000, 120],
    ]);
  });

  it('copies samples out a run at a time (readInto) exactly as next() reads them', () => {
    const head = filled();
    const stale = head.appender();
    stale.append(lbl('m', { job: 'a' }), T0 + 300_000, StaleNaN);
    stale.commit();
    const bits = (v: number) => {
      const f = new Float64Array([v]);
      return Array.from(new Uint32Array(f.buffer)).join(':');
    };
    for (const [mint, maxt] of [
      [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
      [T0 + 60_500, T0 + 299_000],
      [T0 + 119_000, T0 + 120_000],
      [T0 + 5_000, T0 + 100_000],
      [T0 + 250_000, T0 + 400_000],
      [T0 + 300_001, T0 + 400_000],
    ] as const) {
      const [s] = head.querier(mint, maxt).select([new Matcher('=', 'job', 'a'), new Matcher('=', '__name__', 'm')]);
      const want: string[] = [];
      if (s !== undefined) {
        const it = s.samples();
        while (it.next()) want.push(`${it.t}=${bits(it.v)}`);
      }
      for (const cap of [1, 7, 120, 1000]) {
        const got: string[] = [];
        if (s !== undefined) {
          const it = s.samples() as HeadSeriesIterator;
          const ts = new Float64Array(cap);
          const vs = new Float64Array(cap);
          for (;;) {
            const n = it.readInto(ts, vs, 0);
            for (let i = 0; i < n; i++) got.push(`${ts[i]}=${bits(vs[i]!)}`);
            if (n < cap) break;
          }
          expect(it.next(), `[${mint}, ${maxt}] by ${cap}: exhausted`).toBe(false);
        }
        expect(got, `[${mint}, ${maxt}] by ${cap}`).toEqual(want);
      }
    }
  });

  it('reads the open chunk as of each select(), later commits included in the next one', () => {
    const head = filled();
    const read = () => {
      const [s] = head.querier(T0 + 290_000, Number.MAX_SAFE_INTEGER).select([new Matcher('=', 'job', 'a'), new Matcher('=', '__name__', 'm')]);
      const got: number[] = [];
      const it = s!.samples();
      while (it.next()) got.push(it.v);
      return got;
    };
    expect(read()).toEqual([290, 291, 292, 293, 294, 295, 296, 297, 298, 299]);
    expect(read()).toEqual([290, 291, 292, 293, 294, 295, 296, 297, 298, 299]);
    const app = head.appender();
    app.append(lbl('m', { job: 'a' }), T0 + 300_000, 300);
    app.commit();
    expect(read()).toEqual([290, 291, 292, 293, 294, 295, 296, 297, 298, 299, 300]);
  });

  it('keeps a selected series unchanged by later commits', () => {
    const head = filled();
    const [s] = head.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).select([new Matcher('=', 'job', 'b'), new Matcher('=', '__name__', 'm')]);
    const app = head.appender();
    for (let i = 300; i < 600; i++) app.append(lbl('m', { job: 'b' }), T0 + i * 1000, -i);
    app.commit();
    let n = 0;
    const it = s!.samples();
    while (it.next()) n++;
    expect(n).toBe(150);
  });
});

describe('Head retention', () => {
  it('drops expired chunks and series, and a stale ref then makes a new series', () => {
    const clock = new VirtualClock(T0);
    const head = newHead(clock, 3600_000);
    const app = head.appender();
    const old = app.append(lbl('old'), T0, 1);
    for (let i = 0; i < 240; i++) app.append(lbl('long'), T0 + i * 15_000, i);
    app.commit();
    const r = head.truncate(T0 + 120 * 15_000);
    // 'old': its only (open) chunk ends before the cutoff; 'long': its first completed chunk.
    expect(r).toEqual({ chunksRemoved: 2, samplesRemoved: 121, seriesRemoved: 1 });
    expect(Object.keys(dump(head))).toEqual(['{__name__="long"}']);
    expect(head.numSeries).toBe(1);
    const next = head.appender();
    const renewed = next.append(lbl('old'), T0 + 3600_000, 2, old);
    next.commit();
    expect(renewed).not.toBe(old);
    expect(dump(head)['{__name__="old"}']).toEqual([[T0 + 3600_000, 2]]);
  });

  it('keeps a series created by an open transaction', () => {
    const head = newHead();
    const app = head.appender();
    app.append(lbl('pending'), T0, 1);
    expect(head.truncate(T0 + 1).seriesRemoved).toBe(0);
    app.commit();
    expect(dump(head)['{__name__="pending"}']).toEqual([[T0, 1]]);
  });

  it('recreates at commit a series that retention dropped while the transaction was open', () => {
    const head = newHead();
    const first = head.appender();
    const ref = first.append(lbl('x'), T0, 1);
    first.commit();
    const app = head.appender();
    const other = head.appender();
    app.append(lbl('x'), T0 + 10, 2, ref);
    other.append(lbl('x'), T0 + 20, 3, ref); // takes the series' transaction mark
    other.rollback();
    head.truncate(T0 + 100); // drops x: its sample is old and no open appender marks it
    app.commit();
    expect(dump(head)['{__name__="x"}']).toEqual([[T0 + 10, 2]]);
  });
});

describe('Head commit log', () => {
  it('applies nothing when the log fails, and logs the new series again next time', () => {
    const logged: number[][] = [];
    let fail = true;
    const head = new Head({
      retentionMs: 30 * DAY,
      clock: new VirtualClock(T0),
      commitLog: {
        logCommit(seriesRefs, _labels, _refs, _ts, _vs, n) {
          if (fail) throw new Error('disk full');
          logged.push([seriesRefs.length, n]);
        },
      },
    });
    const app = head.appender();
    app.append(lbl('a'), T0, 1);
    expect(appendErr(() => app.commit())).toBe('wal_write');
    expect(dump(head)).toEqual({});
    fail = false;
    const next = head.appender();
    next.append(lbl('a'), T0, 1);
    next.commit();
    const again = head.appender();
    again.append(lbl('a'), T0 + 1, 1);
    again.commit();
    expect(logged).toEqual([
      [1, 1],
      [0, 1],
    ]);
  });
});
