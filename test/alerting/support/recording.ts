import { Labels } from '../../../model/labels.js';
import { Matcher } from '../../../model/matcher.js';
import type { Route, RouteOpts } from '../../../alerting/route/types.js';
import { NotifyError, type Integration, type Notification } from '../../../alerting/notify/types.js';
import type { Alert } from '../../../alerting/types.js';

/**
 * RecordingIntegration is a receiver of our own for pipeline tests: it keeps every notification
 * it was given and fails on demand. Integrations against real peers are tested in receivers/.
 */
export class RecordingIntegration implements Integration {
  readonly name = 'recording';
  readonly index = 0;
  readonly sent: Notification[] = [];
  /** failures: errors to throw on the next notify calls, in order. */
  readonly failures: NotifyError[] = [];
  calls = 0;

  constructor(readonly sendResolved = true) {}

  notify(n: Notification): Promise<Record<string, string> | undefined> {
    this.calls++;
    const f = this.failures.shift();
    if (f !== undefined) return Promise.reject(f);
    this.sent.push(n);
    return Promise.resolve({ message: String(this.sent.length) });
  }

  /** summary is each notification as "firing names | resolved names" for compact assertions. */
  summary(): string[] {
    return this.sent.map((n) => {
      const firing = n.alerts.filter((a) => a.endsAt > n.now).map((a) => a.labels.get('alertname') + a.labels.get('i'));
      const resolved = n.alerts.filter((a) => a.endsAt <= n.now).map((a) => a.labels.get('alertname') + a.labels.get('i'));
      return `${firing.join(',')}|${resolved.join(',')}`;
    });
  }
}

export function retryable(code = 'http_503', retryAfterMs?: number): NotifyError {
  return new NotifyError(code, code, { retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

export function permanent(code = 'invalid_auth'): NotifyError {
  return new NotifyError(code, code, { retryable: false });
}

const DEFAULT_OPTS: RouteOpts = {
  receiver: 'team',
  groupBy: ['alertname'],
  groupByAll: false,
  groupWait: 30_000,
  groupInterval: 300_000,
  repeatInterval: 4 * 3600_000,
  muteTimeIntervals: [],
  activeTimeIntervals: [],
};

/** simpleRoute is a root route with the given options and no children. */
export function simpleRoute(opts: Partial<RouteOpts> = {}, matchers: Matcher[] = []): Route {
  const route: Route = {
    parent: undefined,
    opts: { ...DEFAULT_OPTS, ...opts },
    matchers,
    continue: false,
    routes: [],
    key: '{}',
    match: (labels: Labels) => (matchers.every((m) => m.matches(labels.get(m.name))) ? [route] : []),
  };
  return route;
}


/** alert builds an alert received at `now`; `endsAt` defaults to firing for 10 minutes. */
export function alert(labels: Record<string, string>, now: number, over: Partial<Alert> = {}): Alert {
  return {
    labels: Labels.from(labels),
    annotations: Labels.EMPTY,
    startsAt: now,
    endsAt: now + 600_000,
    generatorURL: '',
    updatedAt: now,
    timeout: false,
    ...over,
  };
}
