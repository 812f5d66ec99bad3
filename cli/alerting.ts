import { dirname } from 'node:path';
import type { Meter } from '@opentelemetry/api';
import { getAlertsHandler, postAlertsHandler, statusHandler } from '../alerting/api/alerts.js';
import { requireBearerToken, silenceRoutes, silencesAPI } from '../alerting/api/silences.js';
import { loadAlertingConfigFile } from '../alerting/config/load.js';
import type { AlertingConfig, ReceiverConfig } from '../alerting/config/types.js';
import { Inhibitor } from '../alerting/inhibit/index.js';
import { notifyFn } from '../alerting/intake.js';
import type { DeliveryMetrics } from '../alerting/notify/delivery.js';
import { readTemplateFiles } from '../alerting/notify/template.js';
import type { Integration } from '../alerting/notify/types.js';
import { RateLimiter } from '../alerting/notify/ratelimit.js';
import { consoleIntegration } from '../alerting/receivers/console/index.js';
import { emailIntegration } from '../alerting/receivers/email/index.js';
import { slackIntegration } from '../alerting/receivers/slack/index.js';
import { webhookIntegration } from '../alerting/receivers/webhook/index.js';
import { buildRouteTree } from '../alerting/route/route.js';
import { Alerting } from '../alerting/service.js';
import { Silences } from '../alerting/silence/index.js';
import { openAlertingDb } from '../alerting/state/db.js';
import { isActiveAt } from '../alerting/timeinterval/active.js';
import { glob } from '../rules/load/files.js';
import type { NotifyFn } from '../rules/model.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { VERSION } from './cli.js';
import type { HttpServer } from './server.js';

export interface AlertingWiring {
  readonly configFile: string;
  readonly dataDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly meter: Meter;
  /** externalURL: where links in notifications point (global.external_url wins when set). */
  readonly externalURL: string;
  readonly server: HttpServer;
  /** writeToken, when set, is required as a bearer token on the write endpoints. */
  readonly writeToken: (() => string) | undefined;
}

export interface RunningAlerting {
  readonly config: AlertingConfig;
  readonly alerting: Alerting;
  /** notify is the NotifyFn rules send to: the in-process intake. */
  readonly notify: NotifyFn;
  close(): Promise<void>;
}

/**
 * startAlerting loads the Alertmanager-format config, opens `<dataDir>/alerting.db`, rebuilds
 * state from it, and serves Alertmanager's v2 API (alerts, silences, status) on vigil's server.
 * A broken config throws SourceError with file:line:column before anything starts.
 */
export function startAlerting(w: AlertingWiring): RunningAlerting {
  const { config, warnings } = loadAlertingConfigFile(w.configFile);
  for (const warning of warnings) w.logger.warn('alerting config warning', { warning: `${warning.file}:${warning.line}:${warning.column}: ${warning.message}` });
  const templates = readTemplateFiles(config.templates.flatMap((p) => glob(p, dirname(w.configFile)) ?? []));
  const db = openAlertingDb(w.dataDir);
  const silences = new Silences({ db, clock: w.clock });
  const inhibitor = new Inhibitor(config.inhibitRules);
  const externalURL = (config.global.externalURL ?? w.externalURL).replace(/\/+$/, '');
  const logger = w.logger.with({ component: 'alerting' });
  const route = buildRouteTree(config);
  const alerting = new Alerting({
    config,
    route,
    db,
    clock: w.clock,
    logger,
    integrations: (r) => integrationsOf(r, { templates, logger, clock: w.clock }),
    inhibitor,
    silences,
    intervalsActive: (names, t) => names.some((n) => isActiveAt(config.timeIntervals.get(n) ?? [], t)),
    externalURL,
    metrics: otelDeliveryMetrics(w.meter),
  });
  const restored = alerting.start();
  logger.info('alerting started', { receivers: config.receivers.length, alertsRestored: restored.alerts, notificationsQueued: restored.queued });

  const write = <T extends (...a: never[]) => unknown>(h: T) => (w.writeToken === undefined ? h : (requireBearerToken(w.writeToken, h as never) as unknown as T));
  // Per-source intake limit: a runaway sender is refused with 429 instead of starving the rest.
  const limiters = new Map<string, RateLimiter>();
  const api = {
    alerting,
    now: () => w.clock.now(),
    resolveTimeoutMs: config.global.resolveTimeout,
    admit: (source: string, n: number) => {
      let l = limiters.get(source);
      if (l === undefined) limiters.set(source, (l = new RateLimiter(200, 1000)));
      return l.take(w.clock.now()) === 0 || n === 0;
    },
    silencedBy: (labels: Parameters<Silences['silencedBy']>[0], now: number) => silences.silencedBy(labels, now),
    inhibitedBy: (labels: Parameters<Inhibitor['inhibitedBy']>[0], now: number) => inhibitor.inhibitedBy(labels, now),
    receiversOf: (labels: Parameters<Inhibitor['inhibitedBy']>[0]) => route.match(labels).map((r) => r.opts.receiver),
  };
  w.server
    .route('POST', '/api/v2/alerts', write(postAlertsHandler(api)))
    .route('GET', '/api/v2/alerts', getAlertsHandler(api))
    .route('GET', '/api/v2/status', statusHandler({ started: w.clock.now(), version: VERSION, configSummary: () => summary(config) }));
  for (const r of silenceRoutes(silencesAPI({ silences, clock: w.clock }), w.writeToken)) {
    if (r.prefix) w.server.routePrefix(r.methods, r.path, r.handler);
    else w.server.route(r.methods, r.path, r.handler);
  }
  const gc = setInterval(() => silences.gc(), 15 * 60_000);
  gc.unref();
  return {
    config,
    alerting,
    notify: notifyFn((alerts) => alerting.receive(alerts), () => w.clock.now()),
    async close() {
      clearInterval(gc);
      await alerting.stop();
      db.close();
    },
  };
}

function integrationsOf(r: ReceiverConfig, o: { templates: ReturnType<typeof readTemplateFiles>; logger: Logger; clock: Clock }): Integration[] {
  return [
    ...r.slack.map((c, i) => slackIntegration(c, i, { logger: o.logger, templates: o.templates })),
    ...r.email.map((c, i) => emailIntegration(c, i, { files: o.templates })),
    ...r.webhook.map((c, i) => webhookIntegration(c, i, { userAgent: `vigil/${VERSION}`, clock: o.clock })),
    ...r.console.map((c, i) => consoleIntegration(c, i)),
  ];
}

/** summary is the config as /api/v2/status shows it: its shape, never a secret or an address. */
function summary(config: AlertingConfig): string {
  const lines = [`# ${config.file}`, `receivers: [${config.receivers.map((r) => r.name).join(', ')}]`, `inhibit_rules: ${config.inhibitRules.length}`, `time_intervals: [${[...config.timeIntervals.keys()].join(', ')}]`];
  return lines.join('\n') + '\n';
}

function otelDeliveryMetrics(meter: Meter): DeliveryMetrics {
  const delivered = meter.createCounter('vigil_notifications_total', { description: 'Notifications delivered, by receiver and integration.' });
  const failed = meter.createCounter('vigil_notifications_failed_total', { description: 'Failed notification attempts, by receiver, integration, error code and whether they are retried.' });
  const latency = meter.createHistogram('vigil_notification_latency_seconds', {
    description: 'Time from the flush that decided a notification to its delivery.',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600] },
  });
  return {
    delivered: (receiver, integration, ms) => {
      delivered.add(1, { receiver, integration });
      latency.record(ms / 1000, { receiver, integration });
    },
    failed: (receiver, integration, code, retryable) => failed.add(1, { receiver, integration, code, retryable: String(retryable) }),
  };
}
