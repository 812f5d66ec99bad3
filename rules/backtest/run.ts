import type { Appendable } from '../../model/storage.js';
import { VirtualClock } from '../../util/clock.js';
import { ALERTS_FOR_STATE_METRIC, ALERTS_METRIC, type Group, groupKey, RuleManager } from '../eval/index.js';
import type { QueryFn, RuleGroup } from '../model.js';
import { type AlertHistory, type AlertSummary, AlertTimeline, type ObservedAlert, summarize, type TimelineEvent } from './timeline.js';

/** BacktestOptions: the rules, the seams to the data, and the time range. Times and durations in ms. */
export interface BacktestOptions {
  readonly groups: readonly RuleGroup[];
  /** queryFn reads history and the backtest's own results (see overlayQueryable). */
  readonly queryFn: QueryFn;
  /** appendable receives recording-rule results and ALERTS, so later rules read them as in real time. */
  readonly appendable: Appendable;
  readonly start: number;
  readonly end: number;
  /** intervalMs evaluates every group at this interval; undefined: each group at its own interval. */
  readonly intervalMs?: number;
  /** evaluationIntervalMs is the interval of groups that set none (the global evaluation_interval, default 1m). */
  readonly evaluationIntervalMs?: number;
  readonly externalLabels?: Readonly<Record<string, string>>;
  readonly externalURL?: string;
  /** onProgress is called after each evaluation time with the time covered and the total (ms). */
  readonly onProgress?: (doneMs: number, totalMs: number) => void;
}

/** RuleErrorSummary: a rule that failed to evaluate, how often, and its first error. */
export interface RuleErrorSummary {
  readonly group: string;
  readonly rule: string;
  readonly count: number;
  readonly firstAt: number;
  readonly firstError: string;
}

/** BacktestResult is what the rules would have done over the range. */
export interface BacktestResult {
  readonly start: number;
  readonly end: number;
  /** groupIntervals: each group's evaluation interval as run (ms), by group name. */
  readonly groupIntervals: readonly { readonly group: string; readonly intervalMs: number }[];
  /** evaluations counts group evaluations. */
  readonly evaluations: number;
  readonly events: readonly TimelineEvent[];
  readonly alerts: readonly AlertHistory[];
  readonly summary: readonly AlertSummary[];
  readonly ruleErrors: readonly RuleErrorSummary[];
}

/**
 * shadowedNames are the metric names a backtest writes: every recorded name, ALERTS and
 * ALERTS_FOR_STATE. History under those names is hidden from the rules (overlayQueryable).
 */
export function shadowedNames(groups: readonly RuleGroup[]): Set<string> {
  const names = new Set([ALERTS_METRIC, ALERTS_FOR_STATE_METRIC]);
  for (const g of groups) for (const r of g.rules) if (r.kind === 'recording') names.add(r.record);
  return names;
}

/**
 * runBacktest evaluates the rule groups over [start, end] on a virtual clock: each group at
 * start, start + interval, ... up to end, groups due at the same time in the order given, each
 * rule's results committed before the next rule runs (so recording rules feed later rules, as in
 * real time). After each evaluation time the active alerts of every rule are recorded, which gives
 * each alert's pending, firing and resolved times, at evaluation-interval resolution.
 * Alert state starts empty at `start` (nothing is restored from ALERTS_FOR_STATE).
 */
export async function runBacktest(opts: BacktestOptions): Promise<BacktestResult> {
  if (!(opts.end >= opts.start)) throw new RangeError(`backtest end ${opts.end} is before start ${opts.start}`);
  const clock = new VirtualClock(opts.start);
  const defaultInterval = opts.evaluationIntervalMs ?? 60_000;
  const manager = new RuleManager({
    groups: opts.groups,
    queryFn: opts.queryFn,
    appendable: opts.appendable,
    notify: () => {},
    clock,
    externalLabels: opts.externalLabels ?? {},
    externalURL: opts.externalURL ?? '',
    evaluationIntervalMs: defaultInterval,
    restore: false,
  });
  const schedule = opts.groups.map((rg) => {
    const group = manager.group(groupKey(rg.source?.file ?? '', rg.name))!;
    const intervalMs = opts.intervalMs ?? group.intervalMs;
    if (!(intervalMs > 0)) throw new RangeError(`evaluation interval of group ${JSON.stringify(rg.name)} must be positive`);
    return { group, intervalMs, next: opts.start };
  });
  const timeline = new AlertTimeline();
  const errors = new Map<string, { group: string; rule: string; count: number; firstAt: number; firstError: string }>();
  let evaluations = 0;
  const total = opts.end - opts.start;
  for (;;) {
    let t = Infinity;
    for (const s of schedule) t = Math.min(t, s.next);
    if (!(t <= opts.end)) break;
    await clock.advanceTo(t);
    for (const s of schedule) {
      if (s.next !== t) continue;
      await manager.evalGroupAt(s.group, t);
      evaluations++;
      s.next += s.intervalMs;
      noteErrors(s.group, t, errors);
    }
    timeline.observe(t, activeAlerts(schedule.map((s) => s.group)));
    opts.onProgress?.(t - opts.start, total);
  }
  const alerts = timeline.alerts();
  return {
    start: opts.start,
    end: opts.end,
    groupIntervals: schedule.map((s) => ({ group: s.group.name, intervalMs: s.intervalMs })),
    evaluations,
    events: timeline.events,
    alerts,
    summary: summarize(alerts, opts.end),
    ruleErrors: [...errors.values()],
  };
}

function* activeAlerts(groups: readonly Group[]): Iterable<ObservedAlert> {
  for (const g of groups) {
    for (const rule of g.alertingRules()) {
      for (const a of rule.activeAlerts()) if (a.state === 'pending' || a.state === 'firing') yield { labels: a.labels, state: a.state };
    }
  }
}

function noteErrors(g: Group, t: number, errors: Map<string, { group: string; rule: string; count: number; firstAt: number; firstError: string }>): void {
  g.rules.forEach((r, i) => {
    const err = r.status.lastError;
    if (err === undefined) return;
    const key = `${g.key}#${i}`;
    const e = errors.get(key);
    if (e === undefined) errors.set(key, { group: g.name, rule: r.name, count: 1, firstAt: t, firstError: err });
    else e.count++;
  });
}
