import { describe, expect, it } from 'vitest';
import { ApiError, fromEngineError, goQuote, httpStatus, invalidParam } from '../../../promql/api/errors.js';
import { ParseError, PromQLError } from '../../../promql/errors.js';
import { annotationStrings } from '../../../promql/api/respond.js';

describe('API errors', () => {
  it("answer with Prometheus 3's status for each errorType", () => {
    expect(httpStatus('bad_data')).toBe(400);
    expect(httpStatus('execution')).toBe(422);
    expect(httpStatus('canceled')).toBe(499);
    expect(httpStatus('timeout')).toBe(503);
    expect(httpStatus('unavailable')).toBe(503);
    expect(httpStatus('not_found')).toBe(404);
    expect(httpStatus('internal')).toBe(500);
  });

  it('word a bad parameter as Prometheus does', () => {
    const e = invalidParam('time', 'cannot parse "x" to a valid timestamp');
    expect(e.type).toBe('bad_data');
    expect(e.message).toBe('invalid parameter "time": cannot parse "x" to a valid timestamp');
  });

  it('map engine errors: parse and type errors are a bad "query" parameter', () => {
    const parse = fromEngineError(new ParseError({ start: 6, end: 6 }, 1, 7, 'unclosed left parenthesis'));
    expect(parse).toEqual(new ApiError('bad_data', 'invalid parameter "query": 1:7: parse error: unclosed left parenthesis'));
    expect(parse.type).toBe('bad_data');
    const typeErr = fromEngineError(new PromQLError('bad_data', 'invalid expression type "range vector" for range query, must be Scalar or instant Vector'));
    expect(typeErr.message).toBe('invalid parameter "query": invalid expression type "range vector" for range query, must be Scalar or instant Vector');
    expect(fromEngineError(new PromQLError('execution', 'boom')).type).toBe('execution');
    expect(fromEngineError(new PromQLError('timeout', 'query timed out in query execution')).type).toBe('timeout');
    expect(fromEngineError(new PromQLError('canceled', 'query was canceled in query execution')).type).toBe('canceled');
    expect(fromEngineError(new PromQLError('unsupported', 'native histograms are not supported')).type).toBe('bad_data');
    const internal = fromEngineError(new Error('disk on fire'));
    expect([internal.type, internal.message]).toEqual(['internal', 'disk on fire']);
  });

  it("quote like Go's %q", () => {
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote('\n\t\x00\x7f')).toBe('"\\n\\t\\x00\\x7f"');
    expect(goQuote('grün ✓')).toBe('"grün ✓"');
  });

  it('cap and dedupe annotations as Prometheus 3 does', () => {
    expect(annotationStrings(['a', 'b', 'a'], 'warning')).toEqual(['a', 'b']);
    const many = Array.from({ length: 13 }, (_, i) => `w${i}`);
    const out = annotationStrings(many, 'info');
    expect(out).toHaveLength(11);
    expect(out[10]).toBe('3 more info annotations omitted');
  });
});
