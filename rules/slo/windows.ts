import type { AlertTier, BurnWindow, SLOWindow } from '../model.js';

/**
 * Burn-rate alert windows: the defaults, how they scale with the SLO period, and the burn-rate
 * factor of a window pair. All durations are integer milliseconds.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** AlertWindows is Sloth's `AlertWindows` document as data: the tiers' window pairs for one period. */
export interface AlertWindows {
  readonly periodMs: number;
  readonly page: readonly BurnWindow[];
  readonly ticket: readonly BurnWindow[];
}

/**
 * GOOGLE_30D is Sloth's internal/alert/windows/google-30d.yaml (the SRE workbook's recommended
 * parameters): page at 2% of the budget in 1h (short 5m) and 5% in 6h (short 30m); ticket at 10%
 * in 1d (short 2h) and 10% in 3d (short 6h). A test checks it against the Sloth file.
 */
export const GOOGLE_30D: AlertWindows = {
  periodMs: 30 * DAY,
  page: [
    { longMs: HOUR, shortMs: 5 * MINUTE, budgetPercent: 2 },
    { longMs: 6 * HOUR, shortMs: 30 * MINUTE, budgetPercent: 5 },
  ],
  ticket: [
    { longMs: DAY, shortMs: 2 * HOUR, budgetPercent: 10 },
    { longMs: 3 * DAY, shortMs: 6 * HOUR, budgetPercent: 10 },
  ],
};

/** MIN_WINDOW_MS is the shortest window: the 5m rates every other window is built from. */
export const MIN_WINDOW_MS = 5 * MINUTE;

/**
 * KEEP_WINDOWS_FROM_MS: periods at least this long keep the default windows unchanged.
 * Sloth keeps them for 28d (its factors become 13.44/5.6/2.8/0.933), so Sloth users see the same
 * numbers; below 28d the slowest tier's factor drops far under 1 (10% × 7d / 3d = 0.23: a ticket
 * while the budget is being spent more slowly than it accrues), so shorter periods scale instead.
 */
export const KEEP_WINDOWS_FROM_MS = 28 * DAY;

/**
 * periodMs is the length an SLO window's budget is computed over: the rolling duration, or the
 * nominal length of a calendar period (7d for a week, 30d for a month). PromQL has no
 * time-zone-aware ranges, so compiled rules treat a calendar period as a rolling one of that length.
 */
export function periodMs(window: SLOWindow): number {
  if (window.kind === 'rolling') return window.ms;
  return window.unit === 'week' ? 7 * DAY : 30 * DAY;
}

/**
 * defaultWindows returns the page and ticket windows for an SLO period. The window scaling rule:
 *
 * - period ≥ 28d: the Google 30d windows as they are; factors are recomputed for the period
 *   (Sloth's behaviour: 28d gives 13.44/5.6/2.8/0.933, 90d gives 43.2/18/9/3).
 * - period < 28d: every window scales by period/30d, rounded to the minute, so each tier still
 *   alerts after spending the same share of the budget at the same burn rate (14.4/6/3/1 for a
 *   7d period: 14m/5m, 1h24m/7m, 5h36m/28m, 16h48m/1h24m). A short window is never under 5m (the
 *   base rate), and a long window is always at least 5m longer than its short window.
 *
 * budgetPercent stays the same in both cases; factors follow from burnRateFactor.
 */
export function defaultWindows(period: number): { page: BurnWindow[]; ticket: BurnWindow[] } {
  const scale = (w: BurnWindow): BurnWindow => {
    if (period >= KEEP_WINDOWS_FROM_MS) return w;
    const ratio = period / GOOGLE_30D.periodMs;
    const shortMs = Math.max(MIN_WINDOW_MS, roundToMinute(w.shortMs * ratio));
    const longMs = Math.max(shortMs + MIN_WINDOW_MS, roundToMinute(w.longMs * ratio));
    return { longMs, shortMs, budgetPercent: w.budgetPercent };
  };
  return { page: GOOGLE_30D.page.map(scale), ticket: GOOGLE_30D.ticket.map(scale) };
}

function roundToMinute(ms: number): number {
  return Math.round(ms / MINUTE) * MINUTE;
}

/**
 * burnRateFactor is how many times faster than sustainable the budget burns when `budgetPercent`
 * of the period's budget is spent within the long window: budgetPercent/100 × period / long.
 * Rounded to 12 significant digits so that 2% × 30d / 1h prints as 14.4, not 14.399999999999999.
 */
export function burnRateFactor(w: BurnWindow, period: number): number {
  return roundSignificant((w.budgetPercent / 100) * (period / w.longMs));
}

/** budgetPercentFor is the inverse of burnRateFactor: the budget share a factor spends in `longMs`. */
export function budgetPercentFor(factor: number, longMs: number, period: number): number {
  return roundSignificant((factor * longMs * 100) / period);
}

/** errorBudget is the allowed error ratio, 1 − objective, without float noise (99.9 → 0.001). */
export function errorBudget(objectivePercent: number): number {
  return roundSignificant((100 - objectivePercent) / 100);
}

/** roundSignificant drops float noise past 12 significant digits. */
export function roundSignificant(x: number): number {
  return Number(x.toPrecision(12));
}

/** tierWindows lists the distinct windows a set of tiers reads, ascending. */
export function tierWindows(tiers: readonly (AlertTier | undefined)[]): number[] {
  const set = new Set<number>();
  for (const t of tiers) {
    for (const w of t?.windows ?? []) {
      set.add(w.longMs);
      set.add(w.shortMs);
    }
  }
  return [...set].sort((a, b) => a - b);
}
