import { dirname } from 'node:path';
import type { Meter } from '@opentelemetry/api';
import { getAlertsHandler, postAlertsHandler, statusHandler, type AlertsAPIOptions } from '../alerting/api/alerts.js';
import { requireBearerToken, silenceRoutes, silencesAPI } from '../alerting/api/silences.js';
import { loadAlertingConfigFile } from '../alerting/config/load.js';
import type { AlertingConfig, ReceiverConfig } from '../alerting/config/types.js';
import { Inhibitor } from '../alerting/inhibit/index.js';
import { notifyFn } from '../alerting/intake.js';
import type { DeliveryMetrics } from '../alerting/notify/delivery.js';
import { readTemplateFiles, type TemplateFiles } from '../alerting/notify/template.js';
import type { Integration } from '../alerting/notify/types.js';
import { RateLimiter } from '../alerting/notify/ratelimit.js';
import { consoleIntegration } from '../alerting/receivers/console/index.js';
import { emailIntegration } from '../alerting/receivers/email/index.js';
import { outboxIntegration } from '../alerting/receivers/outbox/index.js';
import { slackIntegration } from '../alerting/receivers/slack/index.js';
import { webhookIntegration } from '../alerting/receivers/webhook/index.js';
import { buildRouteTree } from '../alerting/route/route.js';
import type { Route } from '../alerting/route/types.js';
import { Alerting } from '../alerting/service.js';
import { Silences } from '../alerting/silence/index.js';
import { openAlertingDb, type AlertingDb } from '../alerting/state/db.js';
import { isActiveAt } from '../alerting/timeinterval/active.js';
import type { Labels } from '../model/labels.js';
import { glob } from '../rules/load/files.js';
import type { NotifyFn } from '../rules/model.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { formatIssue, SourceError } from '../util/yamlreader.js';
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
  /**
   * reload reads the alerting config again (SIGHUP). A broken file is logged with
   * file:line:column and the running config kept (false). Otherwise the pipeline restarts on the
   * same database: groups are rebuilt from the stored alerts, queued notifications carry on,
   * nothing recorded as delivered is sent again, and silences stay.
   */
  reload(configFile: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Pipeline is what one alerting config builds; a reload replaces it whole. */
interface Pipeline {
  readonly config: AlertingConfig;
  readonly route: Route;
  readonly inhibitor: Inhibitor;
  readonly alerting: Alerting;
}

/**
 * startAlerting loads the Alertmanager-format config, opens `<dataDir>/alerting.db`, rebuilds
 * state from it, and serves Alertmanager's v2 API (alerts, silences, status) on vigil's server.
 * A broken config throws SourceError with file:line:column before anything starts.
 */
export function startAlerting(w: AlertingWiring): RunningAlerting {
  const logger = w.logger.with({ component: 'alerting' });
  const first = loadConfig(w.configFile, logger);
  const db = openAlertingDb(w.dataDir);
  const silences = new Silences({ db, clock: w.clock });
  const metrics = otelDeliveryMetrics(w.meter);
  let current = buildPipeline(first, w, db, silences, metrics, logger);

  const write = <T extends (...a: never[]) => unknown>(h: T) => (w.writeToken === undefined ? h : (requireBearerToken(w.writeToken, h as never) as unknown as T));
  // Per-source intake limit: a runaway sender is refused with 429 instead of starving the rest.
  const limiters = new Map<string, RateLimiter>();
  const api: AlertsAPIOptions = {
    get alerting() {
      return current.alerting;
    },
    now: () => w.clock.now(),
    get resolveTimeoutMs() {
      return current.config.global.resolveTimeout;
    },
    admit: (source, n) => {
      let l = limiters.get(source);
      if (l === undefined) limiters.set(source, (l = new RateLimiter(200, 1000)));
      return n === 0 || l.take(w.clock.now()) === 0;
    },
    silencedBy: (labels, now) => silences.silencedBy(labels, now),
    inhibitedBy: (labels, now) => current.inhibitor.inhibitedBy(labels, now),
    receiversOf: (labels: Labels) => current.route.match(labels).map((r) => r.opts.receiver),
  };
  w.server
    .route('POST', '/api/v2/alerts', write(postAlertsHandler(api)))
    .route('GET', '/api/v2/alerts', getAlertsHandler(api))
    .route('GET', '/api/v2/status', statusHandler({ started: w.clock.now(), version: VERSION, configSummary: () => summary(current.config) }));
  for (const r of silenceRoutes(silencesAPI({ silences, clock: w.clock }), w.writeToken)) {
    if (r.prefix) w.server.routePrefix(r.methods, r.path, r.handler);
    else w.server.route(r.methods, r.path, r.handler);
  }
  const gc = setInterval(() => silences.gc(), 15 * 60_000);
  gc.unref();
  let reloading = Promise.resolve(true);
  return {
    get config() {
      return current.config;
    },
    get alerting() {
      return current.alerting;
    },
    notify: notifyFn((alerts) => current.alerting.receive(alerts), () => w.clock.now()),
    reload(configFile) {
      reloading = reloading.then(async () => {
        let next: AlertingConfig;
        try {
          next = loadConfig(configFile, logger);
        } catch (err) {
          if (!(err instanceof SourceError)) throw err;
          logger.error('alerting config reload failed; keeping the running config', { err: err.message });
          return false;
        }
        await current.alerting.stop();
        current = buildPipeline(next, w, db, silences, metrics, logger);
        logger.info('alerting config reloaded', { file: configFile, receivers: next.receivers.length });
        return true;
      });
      return reloading;
    },
    async close() {
      clearInterval(gc);
      await reloading.catch(() => false);
      await current.alerting.stop();
      db.close();
    },
  };
}

function loadConfig(file: string, logger: Logger): AlertingConfig {
  const { config, warnings } = loadAlertingConfigFile(file);
  for (const warning of warnings) logger.warn('alerting config warning', { warning: formatIssue(warning) });
  return config;
}

function buildPipeline(config: AlertingConfig, w: AlertingWiring, db: AlertingDb, silences: Silences, metrics: DeliveryMetrics, logger: Logger): Pipeline {
  const templates = readTemplateFiles(config.templates.flatMap((p) => glob(p, dirname(config.file)) ?? []));
  const route = buildRouteTree(config);
  const inhibitor = new Inhibitor(config.inhibitRules);
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
    externalURL: (config.global.externalURL ?? w.externalURL).replace(/\/+$/, ''),
    metrics,
  });
  const restored = alerting.start();
  logger.info('alerting started', { receivers: config.receivers.length, alertsRestored: restored.alerts, notificationsQueued: restored.queued });
  return { config, route, inhibitor, alerting };
}

function integrationsOf(r: ReceiverConfig, o: { templates: TemplateFiles; logger: Logger; clock: Clock }): Integration[] {
  return [
    ...r.slack.map((c, i) => slackIntegration(c, i, { logger: o.logger, templates: o.templates })),
    ...r.email.map((c, i) => emailIntegration(c, i, { files: o.templates })),
    ...r.webhook.map((c, i) => webhookIntegration(c, i, { userAgent: `vigil/${VERSION}`, clock: o.clock })),
    ...r.console.map((c, i) => consoleIntegration(c, i)),
    ...r.outbox.map((c, i) => outboxIntegration(c, i, { files: o.templates })),
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
