import { describe, expect, it } from 'vitest';
import { collectFamilies, newParser, ParseError, serializeOpenMetrics, type Parser } from '../../../collectors/textparse/index.js';
import { FIXTURES, OPENMETRICS, readFixture, TEXT } from './fixtures.js';
import { mutate } from './mutate.js';
import { mulberry32 } from '../../support/prng.js';

/** Outcome is everything a parse gives, or the error it stops with. */
type Outcome = { samples: string[] } | { error: string };

/** run parses `body`, hinting each sample with `hints[i]` (the i-th series text), when given. */
function run(body: string, contentType: string, hints?: readonly string[]): Outcome {
  const p: Parser = newParser(body, contentType);
  const samples: string[] = [];
  try {
    let i = 0;
    let kind;
    while ((kind = p.next(hints?.[i])) !== null) {
      if (kind !== 'series') continue;
      i++;
      samples.push(`${p.seriesKey()} ${p.labels().toString()} ${Object.is(p.value(), -0) ? '-0' : p.value()} ${p.timestamp()} ${JSON.stringify(p.exemplar() ?? null)}`);
    }
    return { samples };
  } catch (err) {
    if (err instanceof ParseError) return { error: err.message };
    throw err;
  }
}

function keysOf(body: string, contentType: string): string[] {
  const p = newParser(body, contentType);
  const keys: string[] = [];
  let kind;
  while ((kind = p.next()) !== null) if (kind === 'series') keys.push(p.seriesKey());
  return keys;
}

describe('series hints', () => {
  it('returns the hint itself when the line has exactly that series text', () => {
    const hint = 'vllm:e2e_request_latency_seconds_bucket{le="1",model_name="m"}';
    const body = '# TYPE vllm:e2e_request_latency_seconds histogram\n' + `${hint} 7 1700000000000\n`;
    const p = newParser(body, TEXT);
    expect(p.next(hint)).toBe('type');
    expect(p.next(hint)).toBe('series');
    expect(p.seriesKey()).toBe(hint);
    expect(p.value()).toBe(7);
    expect(p.timestamp()).toBe(1700000000000);
    // labels() still works, normalised by the TYPE line like any sample.
    expect(p.labels().get('le')).toBe('1.0');
    expect(p.labels().get('model_name')).toBe('m');
  });

  it('ignores a hint that is only a prefix of the series, or followed by "{"', () => {
    expect(run('ab 1\n', TEXT, ['a'])).toEqual(run('ab 1\n', TEXT));
    expect(run('a {x="1"} 2\n', TEXT, ['a'])).toEqual({ samples: ['a {x="1"} {__name__="a", x="1"} 2 undefined null'] });
  });

  it('still rejects a bad value after a matching series', () => {
    expect(run('a{x="1"} 1x\n', TEXT, ['a{x="1"}'])).toEqual(run('a{x="1"} 1x\n', TEXT));
    expect('error' in run('a{x="1"} 1x\n', TEXT)).toBe(true);
  });

  it('reads OpenMetrics timestamps and exemplars after a matching series', () => {
    const body = '# TYPE a counter\na_total{x="1"} 3 1.5 # {trace_id="t"} 1 2\n# EOF\n';
    expect(run(body, OPENMETRICS, ['a_total{x="1"}'])).toEqual(run(body, OPENMETRICS));
  });

  it('never changes what a fuzzed body parses to, in either format', () => {
    const rand = mulberry32(0x41e7);
    for (const [format, bases] of [
      [TEXT, FIXTURES.map(readFixture)],
      [OPENMETRICS, FIXTURES.map((f) => serializeOpenMetrics(collectFamilies(newParser(readFixture(f), TEXT))))],
    ] as const) {
      for (let i = 0; i < 1500; i++) {
        const base = bases[Math.floor(rand() * bases.length)]!;
        const hints = keysOf(base, format);
        const body = mutate(base, rand);
        expect(run(body, format, hints), `${format} mutation ${i}`).toEqual(run(body, format));
      }
    }
  });
});
