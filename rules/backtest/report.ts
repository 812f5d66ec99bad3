import type { Labels } from '../../model/labels.js';
import { formatDuration } from '../../util/duration.js';
import type { BacktestResult } from './run.js';

/** isoTime renders ms as RFC 3339 in UTC, without milliseconds when they are zero. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** alertString names an alert as `Name{label="value", ...}` (alertname moved to the front). */
export function alertString(labels: Labels): string {
  const rest = labels.without('alertname');
  return labels.get('alertname') + (rest.size === 0 ? '' : rest.toString());
}

function intervalsText(r: BacktestResult): string {
  const distinct = [...new Set(r.groupIntervals.map((g) => g.intervalMs))].sort((a, b) => a - b);
  if (distinct.length === 1) return `every ${formatDuration(distinct[0]!)}`;
  return `each group at its own interval (${distinct.map(formatDuration).join(', ')})`;
}

/**
 * formatTimeline is `vigil backtest`'s text: a header, every change of every alert in time order
 * (pending, firing, resolved, and pending alerts that ended without firing), a per-alert summary,
 * and the rules that failed to evaluate.
 */
export function formatTimeline(r: BacktestResult): string {
  const groups = r.groupIntervals.length;
  const out: string[] = [
    `Backtest of ${groups} rule group${groups === 1 ? '' : 's'} from ${isoTime(r.start)} to ${isoTime(r.end)} (${formatDuration(r.end - r.start)}), ${intervalsText(r)}: ${r.evaluations} group evaluations.`,
    "Queries run on vigil's engine with Prometheus 3 semantics.",
    '',
    'Timeline:',
  ];
  if (r.events.length === 0) out.push('  (no alert went pending or fired)');
  const firingSince = new Map<string, number>();
  for (const e of r.events) {
    let note = '';
    if (e.event === 'firing') firingSince.set(e.labels.key, e.t);
    if (e.event === 'resolved') {
      const since = firingSince.get(e.labels.key);
      if (since !== undefined) note = `  after firing ${formatDuration(e.t - since)}`;
      firingSince.delete(e.labels.key);
    }
    if (e.event === 'cancelled') note = '  (stopped pending without firing)';
    out.push(`  ${isoTime(e.t)}  ${e.event.padEnd(9)}  ${alertString(e.labels)}${note}`);
  }
  for (const [key, since] of firingSince) {
    const labels = r.events.find((e) => e.labels.key === key)!.labels;
    out.push(`  ${isoTime(r.end)}  ${'end'.padEnd(9)}  ${alertString(labels)}  still firing (for ${formatDuration(r.end - since)})`);
  }
  out.push('', 'Summary:');
  if (r.summary.length === 0) out.push('  no alerts');
  let fired = 0;
  let firingMs = 0;
  for (const s of r.summary) {
    fired += s.fired;
    firingMs += s.firingMs;
    const sets = `${s.series} label set${s.series === 1 ? '' : 's'}`;
    const firedText =
      s.fired === 0
        ? 'never fired'
        : `fired ${s.fired} time${s.fired === 1 ? '' : 's'}, first at ${isoTime(s.firstFiredAt!)}, ${formatDuration(s.firingMs)} firing in total`;
    const pending = s.pendingOnly === 0 ? '' : `; pending without firing ${s.pendingOnly} time${s.pendingOnly === 1 ? '' : 's'}`;
    out.push(`  ${s.alertname} (${sets}): ${firedText}${pending}`);
  }
  out.push(`  ${fired} alert${fired === 1 ? '' : 's'} fired, ${formatDuration(firingMs)} firing in total.`);
  if (r.ruleErrors.length > 0) {
    out.push('', 'Rule errors:');
    for (const e of r.ruleErrors) {
      out.push(`  group ${JSON.stringify(e.group)}, rule ${e.rule}: failed ${e.count} time${e.count === 1 ? '' : 's'}, first at ${isoTime(e.firstAt)}: ${e.firstError}`);
    }
  }
  return out.join('\n') + '\n';
}

/** jsonTimeline is `vigil backtest --json`: times as RFC 3339 and as ms, labels as objects. */
export function jsonTimeline(r: BacktestResult) {
  const time = (ms: number | undefined) => (ms === undefined ? null : isoTime(ms));
  return {
    start: isoTime(r.start),
    end: isoTime(r.end),
    startMs: r.start,
    endMs: r.end,
    groups: r.groupIntervals.map((g) => ({ name: g.group, intervalSeconds: g.intervalMs / 1000 })),
    evaluations: r.evaluations,
    events: r.events.map((e) => ({ time: isoTime(e.t), timeMs: e.t, event: e.event, alertname: e.alertname, labels: e.labels.toRecord() })),
    alerts: r.alerts.map((a) => ({
      alertname: a.alertname,
      labels: a.labels.toRecord(),
      episodes: a.episodes.map((ep) => ({
        pendingAt: time(ep.pendingAt),
        firingAt: time(ep.firingAt),
        resolvedAt: time(ep.resolvedAt),
        cancelledAt: time(ep.cancelledAt),
      })),
    })),
    summary: {
      alerts: r.summary.map((s) => ({
        alertname: s.alertname,
        labelSets: s.series,
        fired: s.fired,
        pendingWithoutFiring: s.pendingOnly,
        firingSeconds: s.firingMs / 1000,
        firstFiredAt: time(s.firstFiredAt),
      })),
      fired: r.summary.reduce((n, s) => n + s.fired, 0),
      firingSeconds: r.summary.reduce((n, s) => n + s.firingMs, 0) / 1000,
    },
    ruleErrors: r.ruleErrors.map((e) => ({ group: e.group, rule: e.rule, count: e.count, firstAt: isoTime(e.firstAt), firstError: e.firstError })),
  };
}
