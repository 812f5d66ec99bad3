import type { Labels } from '../../model/labels.js';
import type { Appender, SeriesRef } from '../../model/storage.js';
import { isStaleNaN } from '../../model/value.js';

/** LimitError fails a whole scrape: nothing it appended is kept. The messages are Prometheus's. */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/**
 * withSampleLimit fails the scrape once more than `limit` samples are appended (staleness markers
 * are not counted). 0 means no limit.
 */
export function withSampleLimit(app: Appender, limit: number): Appender {
  if (limit <= 0) return app;
  let count = 0;
  return {
    append(labels, t, v, ref) {
      if (!isStaleNaN(v) && ++count > limit) throw new LimitError('sample limit exceeded');
      return app.append(labels, t, v, ref);
    },
    commit: () => app.commit(),
    rollback: () => app.rollback(),
  };
}

/** LabelLimits bound the labels of each scraped series; 0 means no limit. */
export interface LabelLimits {
  readonly labelLimit: number;
  readonly labelNameLengthLimit: number;
  readonly labelValueLengthLimit: number;
}

/**
 * withLabelLimits fails the scrape when a new series breaks a label limit. A series appended with
 * a ref was checked when the ref was first handed out, so only ref-less appends are checked.
 */
export function withLabelLimits(app: Appender, limits: LabelLimits): Appender {
  if (limits.labelLimit <= 0 && limits.labelNameLengthLimit <= 0 && limits.labelValueLengthLimit <= 0) return app;
  return {
    append(labels: Labels, t: number, v: number, ref?: SeriesRef) {
      if (ref === undefined || ref === 0) verifyLabelLimits(labels, limits);
      return app.append(labels, t, v, ref);
    },
    commit: () => app.commit(),
    rollback: () => app.rollback(),
  };
}

function verifyLabelLimits(labels: Labels, limits: LabelLimits): void {
  const metric = labels.metricName.slice(0, 50);
  if (limits.labelLimit > 0 && labels.size > limits.labelLimit) {
    throw new LimitError(`label_limit exceeded (metric: ${metric}, number of labels: ${labels.size}, limit: ${limits.labelLimit})`);
  }
  labels.forEach((name, value) => {
    if (limits.labelNameLengthLimit > 0 && name.length > limits.labelNameLengthLimit) {
      throw new LimitError(
        `label_name_length_limit exceeded (metric: ${metric}, label name: ${name.slice(0, 50)}, length: ${name.length}, limit: ${limits.labelNameLengthLimit})`,
      );
    }
    if (limits.labelValueLengthLimit > 0 && value.length > limits.labelValueLengthLimit) {
      throw new LimitError(
        `label_value_length_limit exceeded (metric: ${metric}, label name: ${name.slice(0, 50)}, value: ${JSON.stringify(value.slice(0, 50))}, length: ${value.length}, limit: ${limits.labelValueLengthLimit})`,
      );
    }
  });
}
