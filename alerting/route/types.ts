import type { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';

/**
 * RouteOpts are a route's settings after inheritance (Alertmanager's RouteOpts): receiver,
 * group_by and the three timers come from the parent when unset; mute and active time intervals
 * never do. Durations in ms.
 */
export interface RouteOpts {
  readonly receiver: string;
  /** groupBy: the label names to group by, sorted; ignored when groupByAll. */
  readonly groupBy: readonly string[];
  /** groupByAll is `group_by: ['...']`: every label of the alert is a group label. */
  readonly groupByAll: boolean;
  readonly groupWait: number;
  readonly groupInterval: number;
  readonly repeatInterval: number;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
}

/** Route is one node of the built routing tree. */
export interface Route {
  readonly parent: Route | undefined;
  readonly opts: RouteOpts;
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  readonly routes: readonly Route[];
  /**
   * key is Alertmanager's route key: the parent's key, "/", and this node's matchers as
   * `{name="value",...}` (the root's is `{}`); the prefix of every group key of this route.
   */
  readonly key: string;
  /**
   * match returns the deepest matching routes in depth-first order, duplicates kept, as
   * Alertmanager's Route.Match: [] when this node's matchers do not all match; this node when no
   * child matched; a child that matched without `continue` stops its later siblings.
   */
  match(labels: Labels): Route[];
}
