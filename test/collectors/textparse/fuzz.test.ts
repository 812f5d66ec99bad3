import { describe, expect, it } from 'vitest';
import { Labels } from '../../../model/labels.js';
import {
  collectFamilies,
  formatOpenMetricsFloat,
  newParser,
  parseFloatValue,
  ParseError,
  serializeOpenMetrics,
  serializeText,
  type MetricFamily,
  type Parser,
} from '../../../collectors/textparse/index.js';
import { FIXTURES, OPENMETRICS, TEXT, readFixture } from './fixtures.js';
import { mutate } from './mutate.js';
import { mulberry32 } from '../../support/prng.js';

// A fixed seed keeps runs reproducible; FUZZ_SEED picks another one to explore.
const SEED = Number(process.env['FUZZ_SEED'] ?? 0x5eed2024);
const MUTATIONS_PER_FORMAT = 6000;

const textBases = FIXTURES.map(readFixture);
const openMetricsBases = textBases.map((body) => serializeOpenMetrics(collectFamilies(newParser(body, TEXT))));
/** drain reads every entry and every accessor; it fails the test if the parser does not stop. */
function drain(p: Parser, bound: number): void {
  let n = 0;
  let kind;
  while ((kind = p.next()) !== null) {
    if (++n > bound) throw new Error(`parser did not stop after ${bound} entries`);
    switch (kind) {
      case 'series':
        p.seriesKey();
        p.value();
        p.timestamp();
        p.labels();
        p.exemplar();
        break;
      case 'help':
        p.metricFamily();
        p.help();
        break;
      case 'type':
        p.type();
        break;
      case 'unit':
        p.unit();
        break;
      case 'comment':
        p.comment();
        break;
    }
  }
  p.warnings();
}

interface Flat {
  key: string;
  value: string;
  timestamp: number | undefined;
}

/**
 * canonicalKey normalises `le` and `quantile` values. Prometheus normalises them only under a
 * histogram (or summary) TYPE line that precedes the sample; a body that interleaves families
 * gets some samples normalised and others not, and writing it out grouped by family changes
 * which. The values are the same numbers either way.
 */
function canonicalKey(labels: Labels): string {
  let changed = false;
  const pairs: [string, string][] = [];
  labels.forEach((n, v) => {
    if (n === 'le' || n === 'quantile') {
      const f = parseFloatValue(v);
      if (f !== undefined && formatOpenMetricsFloat(f) !== v) {
        changed = true;
        v = formatOpenMetricsFloat(f);
      }
    }
    pairs.push([n, v]);
  });
  return changed ? Labels.from(pairs).key : labels.key;
}

function flat(families: readonly MetricFamily[]): Flat[] {
  return families
    .flatMap((f) => f.samples.map((s) => ({ key: canonicalKey(s.labels), value: Object.is(s.value, -0) ? '-0' : String(s.value), timestamp: s.timestamp })))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : (a.timestamp ?? 0) - (b.timestamp ?? 0)));
}

describe.each([
  ['text', TEXT, textBases],
  ['openmetrics', OPENMETRICS, openMetricsBases],
] as const)('fuzzing the %s parser', (format, contentType, bases) => {
  it(`either accepts or throws ParseError on ${MUTATIONS_PER_FORMAT} mutated bodies (seed ${SEED})`, () => {
    const rand = mulberry32(SEED + (format === 'text' ? 0 : 1));
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < MUTATIONS_PER_FORMAT; i++) {
      const body = mutate(bases[Math.floor(rand() * bases.length)]!, rand);
      const context = `seed ${SEED}, ${format} case ${i}: ${JSON.stringify(body.length > 400 ? body.slice(0, 400) + '...' : body)}`;
      try {
        drain(newParser(body, contentType), body.length + 2);
      } catch (err) {
        if (!(err instanceof ParseError)) throw new Error(`${context}\nthrew ${String(err)}`, { cause: err });
        expect(err.line, context).toBeGreaterThanOrEqual(1);
        expect(err.column, context).toBeGreaterThanOrEqual(1);
        rejected++;
        continue;
      }
      accepted++;
      // Whatever is accepted can be written back out and read again to the same samples.
      let families: MetricFamily[];
      try {
        families = collectFamilies(newParser(body, contentType));
        const again = format === 'text' ? serializeText(families) : serializeOpenMetrics(families);
        expect(flat(collectFamilies(newParser(again, contentType))), context).toEqual(flat(families));
      } catch (err) {
        throw new Error(`${context}\nround trip failed: ${String(err)}`, { cause: err });
      }
    }
    // Both outcomes must be common, or the mutations are not doing their job.
    expect(accepted).toBeGreaterThan(MUTATIONS_PER_FORMAT / 20);
    expect(rejected).toBeGreaterThan(MUTATIONS_PER_FORMAT / 5);
  });
});
