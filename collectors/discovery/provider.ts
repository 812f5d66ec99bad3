import type { Labels } from '../../model/labels.js';

/**
 * TargetGroup is a set of targets sharing labels, as discovered. Each target is a label set with
 * at least `__address__`; `labels` apply to every target in the group.
 */
export interface TargetGroup {
  /** source identifies the group within its provider; a later update with the same source replaces it. */
  readonly source: string;
  readonly targets: readonly Labels[];
  readonly labels: Labels;
}

/**
 * TargetProvider discovers targets for one scrape config. subscribe calls `onUpdate` with the
 * complete current list of groups, first promptly and then whenever the list changes, until the
 * returned function is called. Static configs, and later Kubernetes discovery, implement it.
 */
export interface TargetProvider {
  subscribe(onUpdate: (groups: readonly TargetGroup[]) => void): () => void;
}
