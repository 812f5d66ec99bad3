/**
 * Durations use Prometheus's syntax: one or more <number><unit> terms, largest unit first, with
 * units y (365d), w, d, h, m, s, ms; `0` alone is allowed. Results are integer milliseconds.
 */
const UNITS: [string, number][] = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** parseDuration returns milliseconds, or throws a DurationError saying what is wrong. */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const m = text === '' ? null : DURATION.exec(text);
  if (m === null) throw new DurationError(text);
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++) {
    const n = m[i + 1];
    if (n !== undefined) ms += Number(n) * UNITS[i]![1];
  }
  if (!Number.isSafeInteger(ms)) throw new DurationError(text, 'duration out of range');
  return ms;
}

/** formatDuration renders milliseconds the way Prometheus prints durations: `1h30m`, `15s`, `0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let out = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  for (const [unit, size] of UNITS) {
    // Prometheus prints years and weeks only when they divide exactly, like model.Duration.String.
    if ((unit === 'y' || unit === 'w') && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

export class DurationError extends Error {
  constructor(
    readonly text: string,
    reason = 'not a valid duration string (examples: 30s, 5m, 1h30m, 30d)',
  ) {
    super(`${JSON.stringify(text)}: ${reason}`);
    this.name = 'DurationError';
  }
}
