import { describe, expect, it } from 'vitest';
import { newParser, ParseError, TextParseError } from '../../../collectors/textparse/index.js';
import { OPENMETRICS, TEXT } from './fixtures.js';
import { MALFORMED } from './malformed-corpus.js';

function parseAll(body: string, contentType: string): void {
  const p = newParser(body, contentType);
  let kind;
  while ((kind = p.next()) !== null) {
    if (kind === 'series') p.labels();
  }
}

describe('malformed bodies', () => {
  it('has a corpus of at least 50 bodies covering both formats and every error code', () => {
    expect(MALFORMED.length).toBeGreaterThanOrEqual(50);
    expect(MALFORMED.filter((c) => c.format === 'text').length).toBeGreaterThanOrEqual(25);
    expect(MALFORMED.filter((c) => c.format === 'openmetrics').length).toBeGreaterThanOrEqual(25);
    const codes = new Set(MALFORMED.map((c) => c.code));
    for (const code of [
      'invalid_metric_name',
      'invalid_label_name',
      'expected_equal',
      'expected_label_value',
      'unterminated_label_value',
      'invalid_escape',
      'expected_label_separator',
      'duplicate_label_name',
      'missing_value',
      'invalid_value',
      'invalid_timestamp',
      'trailing_text',
      'invalid_metric_type',
      'invalid_metadata',
      'invalid_unit',
      'invalid_exemplar',
      'invalid_comment',
      'blank_line',
      'missing_eof',
      'data_after_eof',
    ]) {
      expect(codes, code).toContain(code);
    }
  });

  it.each(MALFORMED.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const contentType = c.format === 'openmetrics' ? OPENMETRICS : TEXT;
    let error: unknown;
    try {
      parseAll(c.body, contentType);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toBeInstanceOf(TextParseError);
    const e = error as TextParseError;
    expect(e.message).toBe(c.error);
    expect(e.code).toBe(c.code);
    expect(`${e.line}:${e.column}: ${e.reason}`).toBe(c.error);
  });

  it('stops for good at the first error: the parser is not used again', () => {
    const p = newParser('foo 1\nbar{ 2\nbaz 3\n', TEXT);
    expect(p.next()).toBe('series');
    expect(() => p.next()).toThrow('2:6: expected a label name, got "2"');
  });
});
