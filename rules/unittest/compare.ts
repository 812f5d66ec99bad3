import { Labels } from '../../model/labels.js';
import type { ExpectedAlert, ExpectedSample } from './testfile.js';
import type { LabelsAndAnnotations, SampleLike } from './format.js';

/**
 * Comparisons as promtool 2.42 makes them: both sides sorted, then compared for exact equality
 * (Go's reflect.DeepEqual). Floats are equal only when `==` holds, so NaN never equals NaN and
 * 0.1+0.2 does not equal 0.3; labels and annotations must match in full.
 */

/** Comparison is the two sorted lists and whether they are equal. */
export interface Comparison<T> {
  readonly equal: boolean;
  readonly exp: readonly T[];
  readonly got: readonly T[];
}

/**
 * expectedAlerts turns `exp_alerts` into label sets: `alertname` is added (users write only the
 * rule's and the series' labels), and a missing `exp_annotations` means no annotations.
 */
export function expectedAlerts(alertname: string, exp: readonly ExpectedAlert[]): LabelsAndAnnotations[] {
  return exp.map((a) => ({ labels: Labels.from({ ...a.labels, alertname }), annotations: Labels.from(a.annotations) }));
}

function compareAlert(a: LabelsAndAnnotations, b: LabelsAndAnnotations): number {
  return a.labels.compare(b.labels) || a.annotations.compare(b.annotations);
}

/** compareAlerts compares expected alerts with the firing alerts got, order aside. */
export function compareAlerts(exp: readonly LabelsAndAnnotations[], got: readonly LabelsAndAnnotations[]): Comparison<LabelsAndAnnotations> {
  const e = [...exp].sort(compareAlert);
  const g = [...got].sort(compareAlert);
  const equal = e.length === g.length && e.every((a, i) => a.labels.equals(g[i]!.labels) && a.annotations.equals(g[i]!.annotations));
  return { equal, exp: e, got: g };
}

/** compareSamples compares expected samples with a query's result, order aside, values with `===`. */
export function compareSamples(exp: readonly ExpectedSample[], got: readonly SampleLike[]): Comparison<SampleLike> {
  const byLabels = (a: SampleLike, b: SampleLike) => a.labels.compare(b.labels);
  const e = [...exp].sort(byLabels);
  const g = [...got].sort(byLabels);
  const equal = e.length === g.length && e.every((s, i) => s.labels.equals(g[i]!.labels) && s.value === g[i]!.value);
  return { equal, exp: e, got: g };
}
