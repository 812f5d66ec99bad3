import type { Labels } from '../../model/labels.js';
import type { Clock, TimerHandle } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { Route } from '../route/types.js';
import type { Alert } from '../types.js';
import { sortAlerts } from './order.js';
import type { FlushFn } from './types.js';

/**
 * AggregationGroup is the alerts of one route that share the route's group labels
 * (Alertmanager's aggrGroup). Its first flush comes `group_wait` after it is created (at once when
 * an alert's startsAt + group_wait has already passed), then one every `group_interval`. After a
 * flush succeeds, the resolved alerts it carried are dropped unless they changed meanwhile; an
 * empty group stops and tells its owner.
 */
export class AggregationGroup {
  private readonly alerts = new Map<string, Alert>();
  private hasFlushed = false;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    /** key is the group's key (dispatcher.ts groupKey), unique among the dispatcher's groups. */
    readonly key: string,
    readonly route: Route,
    readonly labels: Labels,
    private readonly clock: Clock,
    private readonly flushFn: FlushFn,
    private readonly onEmpty: (group: AggregationGroup) => void,
    private readonly logger: Logger,
  ) {
    this.schedule(route.opts.groupWait);
  }

  get size(): number {
    return this.alerts.size;
  }

  /** alertList is the group's alerts in Alertmanager's order. */
  alertList(): Alert[] {
    return sortAlerts([...this.alerts.values()]);
  }

  insert(fp: string, alert: Alert): void {
    this.alerts.set(fp, alert);
    // An alert that started long ago (a restart, a late sender) need not wait group_wait again.
    if (!this.hasFlushed && alert.startsAt + this.route.opts.groupWait <= this.clock.now()) this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** settled resolves when a flush under way has finished (for shutdown and tests). */
  async settled(): Promise<void> {
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.tick(), ms);
  }

  private tick(): void {
    this.timer = undefined;
    this.schedule(this.route.opts.groupInterval);
    // A flush still running when the next is due is not overlapped: the next tick is skipped.
    if (this.running !== undefined) return;
    this.running = this.flush().finally(() => (this.running = undefined));
  }

  private async flush(): Promise<void> {
    const now = this.clock.now();
    const alerts: Alert[] = [];
    // The resolved alerts sent now, to drop after the flush unless they changed meanwhile.
    const resolved: [string, Alert][] = [];
    for (const [fp, a] of this.alerts) {
      if (a.endsAt <= now) {
        alerts.push(a);
        resolved.push([fp, a]);
      } else alerts.push({ ...a, endsAt: Number.POSITIVE_INFINITY });
    }
    sortAlerts(alerts);
    this.hasFlushed = true;
    try {
      await this.flushFn({ receiver: this.route.opts.receiver, groupKey: this.key, groupLabels: this.labels, route: this.route.opts, now }, alerts);
    } catch (err) {
      this.logger.error('flush failed; trying again at the next group_interval', { group: this.key, err: String(err) });
      return;
    }
    for (const [fp, a] of resolved) {
      if (this.alerts.get(fp) === a) this.alerts.delete(fp);
    }
    if (this.alerts.size === 0) {
      this.stop();
      this.onEmpty(this);
    }
  }
}
