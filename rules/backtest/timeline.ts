import type { Labels } from '../../model/labels.js';

/** ObservedAlert is one alert as an evaluation left it: its labels (alertname included) and state. */
export interface ObservedAlert {
  readonly labels: Labels;
  readonly state: 'pending' | 'firing';
}

/**
 * Episode is one life of an alert (one label set): it went pending, perhaps fired, and ended.
 * Times are the evaluation times (ms) at which the change was seen. An alert with `for: 0` fires at
 * once: pendingAt is then undefined. `endedAt` is when it was last seen no longer active:
 * `resolvedAt` when it had fired, and for a pending alert that never fired, `cancelledAt`.
 */
export interface Episode {
  pendingAt: number | undefined;
  firingAt: number | undefined;
  resolvedAt: number | undefined;
  cancelledAt: number | undefined;
}

/** AlertHistory is every episode of one alert label set, in time order. */
export interface AlertHistory {
  readonly alertname: string;
  readonly labels: Labels;
  readonly episodes: Episode[];
}

/** TimelineEvent is one change: an alert went pending, fired, resolved, or stopped pending without firing. */
export interface TimelineEvent {
  readonly t: number;
  readonly event: 'pending' | 'firing' | 'resolved' | 'cancelled';
  readonly alertname: string;
  readonly labels: Labels;
}

/**
 * AlertTimeline turns the alert states seen after each evaluation into episodes and events. Feed it
 * every evaluation in time order with every active alert of every rule; an alert absent from an
 * observation has ended.
 */
export class AlertTimeline {
  private readonly histories = new Map<string, AlertHistory>();
  private readonly open = new Map<string, Episode>();
  readonly events: TimelineEvent[] = [];

  /** observe records the active alerts as of evaluation time `t` (ms). */
  observe(t: number, alerts: Iterable<ObservedAlert>): void {
    const seen = new Set<string>();
    for (const a of alerts) {
      const key = a.labels.key;
      seen.add(key);
      let history = this.histories.get(key);
      if (history === undefined) {
        history = { alertname: a.labels.get('alertname'), labels: a.labels, episodes: [] };
        this.histories.set(key, history);
      }
      let ep = this.open.get(key);
      if (ep === undefined) {
        ep = { pendingAt: undefined, firingAt: undefined, resolvedAt: undefined, cancelledAt: undefined };
        history.episodes.push(ep);
        this.open.set(key, ep);
        if (a.state === 'pending') {
          ep.pendingAt = t;
          this.emit(t, 'pending', history);
        }
      }
      if (a.state === 'firing' && ep.firingAt === undefined) {
        ep.firingAt = t;
        this.emit(t, 'firing', history);
      }
    }
    for (const [key, ep] of this.open) {
      if (seen.has(key)) continue;
      const history = this.histories.get(key)!;
      if (ep.firingAt !== undefined) {
        ep.resolvedAt = t;
        this.emit(t, 'resolved', history);
      } else {
        ep.cancelledAt = t;
        this.emit(t, 'cancelled', history);
      }
      this.open.delete(key);
    }
  }

  private emit(t: number, event: TimelineEvent['event'], h: AlertHistory): void {
    this.events.push({ t, event, alertname: h.alertname, labels: h.labels });
  }

  /** alerts lists every alert label set seen, by alert name then labels. */
  alerts(): AlertHistory[] {
    return [...this.histories.values()].sort((a, b) => (a.alertname < b.alertname ? -1 : a.alertname > b.alertname ? 1 : a.labels.compare(b.labels)));
  }
}

/** AlertSummary sums one alert name's episodes over the backtest. */
export interface AlertSummary {
  readonly alertname: string;
  /** series: distinct label sets that went active. */
  readonly series: number;
  /** fired: episodes that reached firing; pendingOnly: episodes that ended (or the run ended) before firing. */
  readonly fired: number;
  readonly pendingOnly: number;
  /** firingMs: total time firing; an alert still firing at the end counts up to `end`. */
  readonly firingMs: number;
  /** firstFiredAt: the first time any of its label sets fired. */
  readonly firstFiredAt: number | undefined;
}

/** summarize totals each alert name's episodes; `end` closes episodes still open. */
export function summarize(histories: readonly AlertHistory[], end: number): AlertSummary[] {
  const byName = new Map<string, { series: number; fired: number; pendingOnly: number; firingMs: number; firstFiredAt: number | undefined }>();
  for (const h of histories) {
    const s = byName.get(h.alertname) ?? { series: 0, fired: 0, pendingOnly: 0, firingMs: 0, firstFiredAt: undefined };
    s.series++;
    for (const ep of h.episodes) {
      if (ep.firingAt === undefined) {
        s.pendingOnly++;
        continue;
      }
      s.fired++;
      s.firingMs += (ep.resolvedAt ?? end) - ep.firingAt;
      if (s.firstFiredAt === undefined || ep.firingAt < s.firstFiredAt) s.firstFiredAt = ep.firingAt;
    }
    byName.set(h.alertname, s);
  }
  return [...byName.entries()].map(([alertname, s]) => ({ alertname, ...s })).sort((a, b) => (a.alertname < b.alertname ? -1 : a.alertname > b.alertname ? 1 : 0));
}
