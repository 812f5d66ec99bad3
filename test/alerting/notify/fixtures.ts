// Alerts and notifications for notify and receiver tests.
import { Labels } from '../../../model/labels.js';
import type { Alert } from '../../../alerting/types.js';
import type { Notification } from '../../../alerting/notify/types.js';

/** T0 is the tests' flush time: 2024-05-01T12:04:05Z. */
export const T0 = Date.UTC(2024, 4, 1, 12, 4, 5);

export interface AlertOpts {
  readonly annotations?: Record<string, string>;
  readonly startsAt?: number;
  /** endsAt: default T0 + 5m (firing); set it at or before the flush time for a resolved alert. */
  readonly endsAt?: number;
  readonly timeout?: boolean;
  readonly generatorURL?: string;
}

export function alert(labels: Record<string, string>, opts: AlertOpts = {}): Alert {
  return {
    labels: Labels.from(labels),
    annotations: Labels.from(opts.annotations ?? {}),
    startsAt: opts.startsAt ?? T0 - 60_000,
    endsAt: opts.endsAt ?? T0 + 300_000,
    generatorURL: opts.generatorURL ?? '',
    updatedAt: T0,
    timeout: opts.timeout ?? false,
  };
}

export interface NotificationOpts {
  readonly receiver?: string;
  readonly groupKey?: string;
  readonly groupLabels?: Record<string, string>;
  readonly now?: number;
  readonly externalURL?: string;
  readonly state?: Record<string, string>;
}

export function notification(alerts: readonly Alert[], opts: NotificationOpts = {}): Notification {
  const groupLabels = opts.groupLabels ?? { alertname: 'GPUXidError' };
  return {
    receiver: opts.receiver ?? 'gpu-oncall',
    groupKey: opts.groupKey ?? `{}:${Labels.from(groupLabels).toString().replace(/, /g, ',')}`,
    groupLabels: Labels.from(groupLabels),
    alerts,
    now: opts.now ?? T0,
    externalURL: opts.externalURL ?? 'http://vigil.example:9093',
    state: opts.state ?? {},
  };
}

/** xidAlerts are two firing GPUXidError alerts that share cluster and namespace. */
export function xidAlerts(): Alert[] {
  return [
    alert(
      { alertname: 'GPUXidError', cluster: 'a', namespace: 'ml', gpu: '3', node: 'n1', severity: 'critical' },
      {
        annotations: { summary: 'XID 79 on GPU 3', runbook_url: 'https://runbooks.example/xid', dashboard_url: 'https://grafana.example/d/gpu' },
        generatorURL: 'http://prometheus.example/graph?g0.expr=xid',
      },
    ),
    alert({ alertname: 'GPUXidError', cluster: 'a', namespace: 'ml', gpu: '5', node: 'n2', severity: 'critical' }, { annotations: { summary: 'XID 48 on GPU 5' } }),
  ];
}
