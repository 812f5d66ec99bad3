import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../util/duration.js';

describe('durations', () => {
  it('parses Prometheus duration strings', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('1w2d')).toBe(9 * 86_400_000);
    expect(parseDuration('1y')).toBe(365 * 86_400_000);
    expect(parseDuration('150ms')).toBe(150);
    expect(parseDuration('0')).toBe(0);
  });

  it('rejects malformed ones', () => {
    for (const bad of ['', '5', '1.5h', '30m1h', '-5m', '5 m', '1hh']) {
      expect(() => parseDuration(bad), bad).toThrow(/not a valid duration string/);
    }
  });

  it('formats like Prometheus', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(15_000)).toBe('15s');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(7 * 86_400_000)).toBe('1w');
    expect(formatDuration(8 * 86_400_000)).toBe('8d');
    expect(formatDuration(1500)).toBe('1s500ms');
  });
});
