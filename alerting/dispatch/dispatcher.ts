import { Labels } from '../../model/labels.js';
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
      const labels = groupLabels(alert.labels, route.opts);
      const key = `${route.key}:${labels.toString()}`;
      let group = this.groups.get(key);
      if (group === undefined) {
        group = new AggregationGroup(route, labels, this.clock, this.flush, (g) => this.remove(g), this.logger);
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
