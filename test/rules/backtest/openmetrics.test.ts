import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { Matcher } from '../../../model/matcher.js';
import { METRIC_NAME } from '../../../model/labels.js';
import type { Queryable } from '../../../model/storage.js';
import { ParseError } from '../../../collectors/textparse/index.js';
import { loadOpenMetricsFile, OpenMetricsStream } from '../../../rules/backtest/openmetrics.js';
import { importOpenMetrics } from '../../../tsdb/import.js';
import { Head } from '../../../tsdb/index.js';
import { VirtualClock } from '../../../util/clock.js';

const head = () => new Head({ retentionMs: 100 * 365 * 86_400_000, clock: new VirtualClock(0) });

/** dump lists every sample of a store as `labels t v`, in label order, to compare two stores. */
function dump(q: Queryable): string[] {
  const out: string[] = [];
  for (const s of q.querier(0, Number.MAX_SAFE_INTEGER).select([new Matcher('=~', METRIC_NAME, '.+')])) {
    const it = s.samples();
    while (it.next()) out.push(`${s.labels.key} ${it.t} ${it.v}`);
  }
  return out;
}

/**
 * A history as `vigil tsdb export` writes it: families with metadata, series one after the other
 * in time order, a label value with characters of 2, 3 and 4 UTF-8 bytes (a chunk boundary may
 * fall inside one), NaN and infinities, 1201 samples in all.
 */
function history(): string {
  const lines = ['# HELP requests_total Requests.', '# TYPE requests_total counter'];
  for (const code of ['200', '500']) for (let i = 0; i <= 300; i++) lines.push(`requests_total{code="${code}",model="llama-3-70b"} ${i * 7} ${1_714_521_600 + i * 15}`);
  lines.push('# TYPE queue_depth gauge');
  for (let i = 0; i <= 300; i++) lines.push(`queue_depth{queue="embeddings",owner="Zoë-流水线-🚀"} ${i % 7 === 0 ? 'NaN' : i % 11 === 0 ? '+Inf' : i / 4} ${1_714_521_600 + i * 15}`);
  for (let i = 0; i <= 297; i++) lines.push(`up{job="vllm"} 1 ${1_714_521_600 + i * 15}.5`);
  return lines.join('\n') + '\n# EOF\n';
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-backtest-om-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('loadOpenMetricsFile', () => {
  it('stores exactly what importOpenMetrics stores from the whole text, whatever the chunk size', async () => {
    const text = history();
    const whole = head();
    const expected = importOpenMetrics(whole, text);
    expect(expected.error).toBeUndefined();
    expect(expected.samples).toBe(1201);
    const path = file('history.om', text);
    // 7 bytes splits nearly every line and some characters; 4096 splits a few lines; 1 MiB none.
    for (const chunkBytes of [7, 4096, 1 << 20]) {
      const db = head();
      const progress: [number, number][] = [];
      const summary = await loadOpenMetricsFile(db, path, { chunkBytes, onProgress: (d, t) => progress.push([d, t]) });
      expect(summary, `chunk ${chunkBytes}`).toEqual({ samples: 1201, series: 4, appended: 1201, rejected: {} });
      expect(dump(db), `chunk ${chunkBytes}`).toEqual(dump(whole));
      expect(progress).toEqual([]); // fewer than one batch of 10,000
    }
  });

  it('reports progress against the total counted by the first pass', async () => {
    const lines: string[] = [];
    for (let s = 0; s < 3; s++) for (let i = 0; i < 10_000; i++) lines.push(`g{s="${s}"} ${i} ${i * 15}`);
    const path = file('big.om', lines.join('\n') + '\n# EOF\n');
    const progress: [number, number][] = [];
    await loadOpenMetricsFile(head(), path, { chunkBytes: 50_000, onProgress: (d, t) => progress.push([d, t]) });
    expect(progress).toEqual([
      [10_000, 30_000],
      [20_000, 30_000],
      [30_000, 30_000],
    ]);
  });

  it('reports a fault at its line in the whole file, and appends nothing', async () => {
    const text = history().replace('queue_depth{queue="embeddings",owner="Zoë-流水线-🚀"} 2 ', 'queue_depth{queue="embeddings" owner="x"} 2 ');
    const line = text.split('\n').findIndex((l) => l.startsWith('queue_depth{queue="embeddings" owner')) + 1;
    expect(line).toBeGreaterThan(600);
    const path = file('bad.om', text);
    for (const chunkBytes of [7, 1 << 20]) {
      const db = head();
      await expect(loadOpenMetricsFile(db, path, { chunkBytes })).rejects.toThrow(new RegExp(`^${path}:${line}:31: `));
      expect(dump(db)).toEqual([]);
    }
  });

  it('requires # EOF last, and only last', async () => {
    const body = 'x 1 0\ny 2 0\n';
    await expect(loadOpenMetricsFile(head(), file('noeof.om', body), { chunkBytes: 3 })).rejects.toThrow(/noeof\.om:3:1: data does not end with # EOF$/);
    // The chunk boundary falls right after # EOF: the next line is still data after it.
    await expect(loadOpenMetricsFile(head(), file('after.om', '# EOF\nx 1 0\n# EOF\n'), { chunkBytes: 6 })).rejects.toThrow(/after\.om:2:1: unexpected data after # EOF$/);
    await expect(loadOpenMetricsFile(head(), file('after2.om', 'x 1 0\n# EOF\nx 2 1\n'), { chunkBytes: 1 << 20 })).rejects.toThrow(/after2\.om:3:1: unexpected data after # EOF$/);
    // A last line without its newline is read too.
    const db = head();
    expect((await loadOpenMetricsFile(db, file('nonl.om', body + '# EOF'), { chunkBytes: 4 })).samples).toBe(2);
    expect(dump(db)).toHaveLength(2);
  });

  it('refuses samples without a timestamp, and says when the file cannot be read', async () => {
    await expect(loadOpenMetricsFile(head(), file('nots.om', 'x{a="b"} 1\n# EOF\n'))).rejects.toThrow(/nots\.om: x\{a="b"\}: sample without a timestamp cannot be backfilled$/);
    await expect(loadOpenMetricsFile(head(), join(dir, 'missing.om'))).rejects.toThrow(`${join(dir, 'missing.om')}: cannot read: ENOENT`);
  });
});

describe('OpenMetricsStream', () => {
  it('appends a text written in pieces of any size, as writeOpenMetrics produces it', () => {
    const text = history();
    const whole = head();
    importOpenMetrics(whole, text);
    const db = head();
    const stream = new OpenMetricsStream(db);
    for (let i = 0; i < text.length; i += 13) stream.write(text.slice(i, i + 13));
    expect(stream.end()).toEqual({ samples: 1201, series: 4, appended: 1201, rejected: {} });
    expect(dump(db)).toEqual(dump(whole));
  });

  it('throws ParseError with the line in the whole text', () => {
    const stream = new OpenMetricsStream(head());
    stream.write('a 1 0\nb 2 0\n');
    expect(() => stream.write('c 3 0\nd{ 4 0\n')).toThrow(ParseError);
    const again = new OpenMetricsStream(head());
    again.write('a 1 0\nb 2 0\nc 3 0\n');
    expect(() => again.write('d{ 4 0\n')).toThrow(/^4:3: /);
  });

  it('keeps no piece of the text alive through the series it has seen, checking or appending', () => {
    // 60 series, each first seen in a different 256 KiB piece, the rest of each piece being
    // samples of one padding series: labels cut from a piece would keep it all (15 MiB).
    const pad = 'p'.repeat(200);
    const lines: string[] = [];
    let t = 0;
    for (let s = 0; s < 60; s++) {
      // A value of 13 characters or more: V8 copies shorter substrings anyway.
      lines.push(`series{s="a long label value ${s}"} 1 ${t}`);
      for (let i = 0; i < 1100; i++) lines.push(`padding{p="${pad}"} ${i} ${t++}`);
    }
    const text = lines.join('\n') + '\n# EOF\n';
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (const db of [undefined, head()]) {
      const stream = new OpenMetricsStream(db);
      gc();
      const before = process.memoryUsage().heapUsed;
      const piece = 256 * 1024;
      for (let i = 0; i < text.length; i += piece) stream.write(text.slice(i, i + piece));
      gc();
      // Measured while the stream is alive and knows every series: the whole text is 15 MiB.
      expect(process.memoryUsage().heapUsed - before, db === undefined ? 'checking' : 'appending').toBeLessThan(4 * 1024 * 1024);
      expect(stream.end().series).toBe(61);
    }
  });

  it('counts refused samples rather than failing, as tsdb import does', () => {
    const stream = new OpenMetricsStream(head());
    stream.write('x 1 60\nx 2 30\nx 3 60\n# EOF\n');
    expect(stream.end()).toEqual({ samples: 3, series: 1, appended: 1, rejected: { out_of_order: 1, duplicate_sample_for_timestamp: 1 } });
  });
});
