import type { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import type { AlertingConfig, RouteConfig } from '../config/types.js';
import { formatMatchers } from '../config/matchers.js';
import { GROUP_BY_ALL } from '../config/route.js';
import type { Route, RouteOpts } from './types.js';

/** DEFAULT_ROUTE_OPTS are Alertmanager's DefaultRouteOpts, the root's starting point. */
export const DEFAULT_ROUTE_OPTS: RouteOpts = {
  receiver: '',
  groupBy: [],
  groupByAll: false,
  groupWait: 30_000,
  groupInterval: 5 * 60_000,
  repeatInterval: 4 * 3600_000,
  muteTimeIntervals: [],
  activeTimeIntervals: [],
};

/** buildRouteTree builds the routing tree of a loaded config (Alertmanager's dispatch.NewRoute). */
export function buildRouteTree(config: AlertingConfig): Route {
  return newRoute(config.route, undefined);
}

/**
 * newRoute builds one node and its children. Settings are inherited as Alertmanager's NewRoute
 * inherits them: receiver, group_by and the timers from the parent when unset. `group_by: ['...']`
 * sets groupByAll and keeps the parent's label list (which it then ignores); naming labels clears
 * groupByAll. mute_time_intervals and active_time_intervals are this node's own, never the
 * parent's (the documented trap of alertmanager#2833).
 */
export function newRoute(rc: RouteConfig, parent: Route | undefined): Route {
  const base = parent?.opts ?? DEFAULT_ROUTE_OPTS;
  let groupBy = base.groupBy;
  let groupByAll = base.groupByAll;
  if (rc.groupBy !== undefined) {
    if (rc.groupBy.length === 1 && rc.groupBy[0] === GROUP_BY_ALL) groupByAll = true;
    else {
      groupBy = [...new Set(rc.groupBy)].sort();
      groupByAll = false;
    }
  }
  const opts: RouteOpts = {
    receiver: rc.receiver ?? base.receiver,
    groupBy,
    groupByAll,
    groupWait: rc.groupWait ?? base.groupWait,
    groupInterval: rc.groupInterval ?? base.groupInterval,
    repeatInterval: rc.repeatInterval ?? base.repeatInterval,
    muteTimeIntervals: rc.muteTimeIntervals,
    activeTimeIntervals: rc.activeTimeIntervals,
  };
  return new RouteNode(parent, opts, rc.matchers, rc.continue, rc.routes);
}

class RouteNode implements Route {
  readonly key: string;
  readonly routes: readonly Route[];
  readonly continue: boolean;

  constructor(
    readonly parent: Route | undefined,
    readonly opts: RouteOpts,
    readonly matchers: readonly Matcher[],
    cont: boolean,
    children: readonly RouteConfig[],
  ) {
    this.continue = cont;
    const own = formatMatchers(matchers);
    this.key = parent === undefined ? own : `${parent.key}/${own}`;
    this.routes = children.map((c) => newRoute(c, this));
  }

  match(labels: Labels): Route[] {
    if (!matchesAll(this.matchers, labels)) return [];
    const all: Route[] = [];
    for (const child of this.routes) {
      const matched = child.match(labels);
      all.push(...matched);
      if (matched.length > 0 && !child.continue) break;
    }
    return all.length > 0 ? all : [this];
  }
}

/** matchesAll says whether every matcher accepts the label's value, an absent label being "". */
export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  for (const m of matchers) if (!m.matches(labels.get(m.name))) return false;
  return true;
}
