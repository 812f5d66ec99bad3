import type { Labels } from '../../model/labels.js';
import { ExpositionParser } from './exposition.js';
import type { Exemplar, MetricType, ParseWarning, Parser } from './parser.js';

/** MetricSample is one sample of a family, with its full label set (metric name as `__name__`). */
export interface MetricSample {
  readonly labels: Labels;
  readonly value: number;
  /** timestamp in ms, when the body gave one. */
  readonly timestamp?: number;
  readonly exemplar?: Exemplar;
}

/**
 * MetricFamily groups the samples that a HELP/TYPE/UNIT block (or, without one, a metric name)
 * describes. help and unit are absent when the body has no such line for the family.
 */
export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  unit?: string;
  samples: MetricSample[];
}

/**
 * Sample-name suffixes each type owns, beyond the family name itself, as Prometheus and
 * OpenMetrics define them. A counter keeps its bare name too: the text format names counter
 * families with their `_total`.
 */
const SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: ['', '_total', '_created'],
  gauge: [''],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['', '_count', '_sum', '_created'],
  info: ['', '_info'],
  stateset: [''],
  unknown: [''],
};

/** belongsTo tells whether a sample named `name` is part of `family` by the rules of its type. */
export function belongsTo(name: string, family: MetricFamily): boolean {
  const base = family.name;
  if (!name.startsWith(base)) return false;
  const suffix = name.slice(base.length);
  return SUFFIXES[family.type].includes(suffix);
}

/**
 * collectFamilies reads a whole body into metric families, in the order they first appear.
 *
 * A sample joins the family of the latest HELP/TYPE/UNIT block when its name is that family's or
 * one of the suffixed names its type owns (`_bucket`, `_count`, `_sum`, `_total`, `_created`,
 * `_info`, `_gcount`, `_gsum`); otherwise it forms (or rejoins) an untyped family of its own
 * name. A family that appears again later, as when two BullMQ outputs are concatenated, is merged
 * into the first one and a warning is pushed to `warnings`, as is a TYPE that contradicts an
 * earlier one (the first type is kept). Parse errors propagate as ParseError.
 */
export function collectFamilies(parser: Parser, warnings?: ParseWarning[]): MetricFamily[] {
  const families: MetricFamily[] = [];
  const byName = new Map<string, MetricFamily>();
  const lineOf = (): number => (parser instanceof ExpositionParser ? parser.currentLine() : 0);
  const warn = (message: string): void => {
    warnings?.push({ line: lineOf(), message });
  };
  let current: MetricFamily | undefined;
  // typed records which families had a TYPE line, so that a later one can be checked against it.
  const typed = new Set<MetricFamily>();

  const open = (name: string): MetricFamily => {
    if (current?.name === name) return current;
    let family = byName.get(name);
    if (family === undefined) {
      family = { name, type: 'unknown', samples: [] };
      byName.set(name, family);
      families.push(family);
    } else {
      warn(`metric family ${JSON.stringify(name)} appears more than once; its samples are merged`);
    }
    current = family;
    return family;
  };

  let kind;
  while ((kind = parser.next()) !== null) {
    switch (kind) {
      case 'type': {
        const family = open(parser.metricFamily());
        const type = parser.type();
        if (typed.has(family) && family.type !== type) {
          warn(`metric family ${JSON.stringify(family.name)} declared as ${type} after ${family.type}; keeping ${family.type}`);
        } else if (!typed.has(family)) {
          family.type = type;
          typed.add(family);
        }
        break;
      }
      case 'help':
        open(parser.metricFamily()).help = parser.help();
        break;
      case 'unit':
        open(parser.metricFamily()).unit = parser.unit();
        break;
      case 'series': {
        const labels = parser.labels();
        const name = labels.metricName;
        const family = current !== undefined && belongsTo(name, current) ? current : open(familyNameOf(name, byName));
        family.samples.push(sampleOf(parser, labels));
        break;
      }
      case 'comment':
        break;
    }
  }
  return families;
}

// familyNameOf finds the family an out-of-block sample belongs to: an earlier family that owns its
// name (so interleaved samples rejoin it), or else a family of its own name.
function familyNameOf(name: string, byName: ReadonlyMap<string, MetricFamily>): string {
  if (byName.has(name)) return name;
  for (const suffix of ['_bucket', '_count', '_sum', '_total', '_created', '_info', '_gcount', '_gsum']) {
    if (!name.endsWith(suffix)) continue;
    const family = byName.get(name.slice(0, -suffix.length));
    if (family !== undefined && belongsTo(name, family)) return family.name;
  }
  return name;
}

function sampleOf(parser: Parser, labels: Labels): MetricSample {
  const value = parser.value();
  const timestamp = parser.timestamp();
  const exemplar = parser.exemplar();
  if (timestamp === undefined) return exemplar === undefined ? { labels, value } : { labels, value, exemplar };
  return exemplar === undefined ? { labels, value, timestamp } : { labels, value, timestamp, exemplar };
}
