import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDuration } from '../../../util/duration.js';
import {
  budgetPercentFor,
  burnRateFactor,
  defaultWindows,
  errorBudget,
  GOOGLE_30D,
  periodMs,
  tierWindows,
} from '../../../rules/slo/windows.js';

const DAY = 24 * 3600_000;
const SLOTH_WINDOWS = '/work/shared/fixtures/sloth/sloth__internal_alert_windows_google-30d.yaml';

describe('alert windows', () => {
  it("GOOGLE_30D is Sloth's google-30d.yaml", () => {
    const doc = parse(readFileSync(SLOTH_WINDOWS, 'utf8')) as {
      spec: { sloPeriod: string; page: Record<string, Win>; ticket: Record<string, Win> };
    };
    type Win = { errorBudgetPercent: number; shortWindow: string; longWindow: string };
    const conv = (w: Win) => ({ longMs: parseDuration(w.longWindow), shortMs: parseDuration(w.shortWindow), budgetPercent: w.errorBudgetPercent });
    expect(GOOGLE_30D.periodMs).toBe(parseDuration(doc.spec.sloPeriod));
    expect(GOOGLE_30D.page).toEqual([conv(doc.spec.page['quick']!), conv(doc.spec.page['slow']!)]);
    expect(GOOGLE_30D.ticket).toEqual([conv(doc.spec.ticket['quick']!), conv(doc.spec.ticket['slow']!)]);
  });

  it('gives the workbook factors 14.4/6/3/1 for 30d', () => {
    const w = defaultWindows(30 * DAY);
    expect([...w.page, ...w.ticket].map((x) => burnRateFactor(x, 30 * DAY))).toEqual([14.4, 6, 3, 1]);
  });

  it("keeps the windows for 28d and recomputes factors, as Sloth's 28d golden file shows", () => {
    const w = defaultWindows(28 * DAY);
    expect(w).toEqual({ page: GOOGLE_30D.page, ticket: GOOGLE_30D.ticket });
    expect([...w.page, ...w.ticket].map((x) => burnRateFactor(x, 28 * DAY))).toEqual([13.44, 5.6, 2.8, 0.933333333333]);
  });

  it('keeps the windows for longer periods (90d: 43.2/18/9/3)', () => {
    const w = defaultWindows(90 * DAY);
    expect([...w.page, ...w.ticket].map((x) => burnRateFactor(x, 90 * DAY))).toEqual([43.2, 18, 9, 3]);
  });

  it('scales the windows below 28d so the factors stay 14.4/6/3/1 (7d)', () => {
    const w = defaultWindows(7 * DAY);
    const m = (x: number) => x * 60_000;
    expect(w.page).toEqual([
      { longMs: m(14), shortMs: m(5), budgetPercent: 2 },
      { longMs: m(84), shortMs: m(7), budgetPercent: 5 },
    ]);
    expect(w.ticket).toEqual([
      { longMs: m(336), shortMs: m(28), budgetPercent: 10 },
      { longMs: m(1008), shortMs: m(84), budgetPercent: 10 },
    ]);
    expect([...w.page, ...w.ticket].map((x) => burnRateFactor(x, 7 * DAY))).toEqual([14.4, 6, 3, 1]);
  });

  it('never scales a short window under 5m, and keeps each long window 5m above its short one (1d)', () => {
    const w = defaultWindows(DAY);
    for (const x of [...w.page, ...w.ticket]) {
      expect(x.shortMs).toBeGreaterThanOrEqual(5 * 60_000);
      expect(x.longMs).toBeGreaterThanOrEqual(x.shortMs + 5 * 60_000);
      expect(x.longMs % 60_000).toBe(0);
    }
    expect(w.page[0]).toEqual({ longMs: 10 * 60_000, shortMs: 5 * 60_000, budgetPercent: 2 });
  });

  it('converts burn rates and budget shares both ways, and budgets without float noise', () => {
    expect(budgetPercentFor(14.4, 3600_000, 30 * DAY)).toBe(2);
    expect(errorBudget(99.9)).toBe(0.001);
    expect(errorBudget(99.95)).toBe(0.0005);
    expect(errorBudget(95)).toBe(0.05);
  });

  it('measures calendar periods by their nominal length', () => {
    expect(periodMs({ kind: 'calendar', unit: 'month', timeZone: 'UTC' })).toBe(30 * DAY);
    expect(periodMs({ kind: 'calendar', unit: 'week', timeZone: 'UTC' })).toBe(7 * DAY);
    expect(periodMs({ kind: 'rolling', ms: 14 * DAY })).toBe(14 * DAY);
  });

  it('lists the windows tiers read, once each, ascending', () => {
    const w = defaultWindows(30 * DAY);
    expect(tierWindows([{ windows: w.page, forMs: 0, labels: {}, annotations: {} }, undefined]).map((x) => x / 60_000)).toEqual([5, 30, 60, 360]);
  });
});
