import { Labels, quoteLabelValue } from '../../model/labels.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { Route, RouteOpts } from '../route/types.js';
import type { Alert } from '../types.js';
import { AggregationGroup } from './group.js';
import type { FlushFn } from './types.js';

/**
 * Dispatcher sorts alerts into aggregation groups (Alertmanager's Dispatcher): each alert goes to
 * every route it matches, and within a route to the group of its group labels.
 */
export class Dispatcher {
  private readonly groups = new Map<string, AggregationGroup>();

  constructor(
    private readonly root: Route,
    private readonly clock: Clock,
    private readonly flush: FlushFn,
    private readonly logger: Logger,
  ) {}

  /** process routes one alert (new or updated) with its fingerprint. */
  process(alert: Alert, fp: string): void {
    for (const route of this.root.match(alert.labels)) {
      // The key is written from the alert's labels: the group's label set is built only for a new group.
      const key = groupKey(route, alert.labels);
      let group = this.groups.get(key);
      if (group === undefined) {
        const labels = groupLabels(alert.labels, route.opts);
        group = new AggregationGroup(key, route, labels, this.clock, this.flush, (g) => this.remove(g), this.logger);
        this.groups.set(key, group);
      }
      group.insert(fp, alert);
    }
  }

  /** groupList is every live group, for the API and tests. */
  groupList(): AggregationGroup[] {
    return [...this.groups.values()];
  }

  /** stop ends every group's timers and waits for flushes under way. */
  async stop(): Promise<void> {
    for (const g of this.groups.values()) g.stop();
    await Promise.all([...this.groups.values()].map((g) => g.settled()));
  }

  private remove(group: AggregationGroup): void {
    if (this.groups.get(group.key) === group) this.groups.delete(group.key);
  }
}

/**
 * groupKey names the aggregation group of an alert on a route (Alertmanager's aggrGroup key):
 * the route's key and the group labels as `{name="value", ...}`, which is groupLabels(...).toString().
 */
export function groupKey(route: Route, labels: Labels): string {
  if (route.opts.groupByAll) return `${route.key}:${labels.toString()}`;
  let key = `${route.key}:{`;
  let first = true;
  for (const name of route.opts.groupBy) {
    const v = labels.get(name);
    if (v === '') continue;
    key += (first ? '' : ', ') + name + '=' + quoteLabelValue(v);
    first = false;
  }
  return key + '}';
}

/** groupLabels is the alert's labels restricted to the route's group_by (all of them for '...'). */
export function groupLabels(labels: Labels, opts: RouteOpts): Labels {
  if (opts.groupByAll) return labels;
  const flat: string[] = [];
  for (const name of opts.groupBy) {
    const v = labels.get(name);
    if (v !== '') flat.push(name, v);
  }
  return Labels.fromSorted(flat);
}
