import { ScrapeManager } from '../collectors/scrape/manager.js';
import { otelScrapeMetrics } from '../collectors/scrape/metrics.js';
import { BullMQCollector, type BullMQConfig } from '../collectors/bullmq/index.js';
import type { Scraper } from '../collectors/scrape/scraper.js';
import type { Target } from '../collectors/scrape/target.js';
import type { ScrapeConfig } from '../collectors/scrape/config.js';
import { openTSDB, type TSDB } from '../tsdb/index.js';
import { type Clock, systemClock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { isRemoteStorage, type VigilConfig } from './config.js';
import { HttpServer, sendText } from './server.js';
import type { Telemetry } from './telemetry.js';
import { targetsHandler } from './api/targets.js';
import { queryAPIRoutes, type QueryAPIOptions } from '../promql/api/index.js';
import { Engine } from '../promql/engine.js';
import { parseMetricSelector } from '../promql/parse.js';
import { VERSION } from './cli.js';
import { engineQuery, logNotify } from './adapters.js';
import { alertsHandler, rulesHandler } from './api/rules.js';
import { type LoadedRules, loadConfiguredRules } from './rules.js';
import { RuleManager } from '../rules/eval/index.js';
import { formatIssue } from '../util/yamlreader.js';
import { readSecret } from '../util/secret.js';
import { startAlerting, type RunningAlerting } from './alerting.js';
import { openRemoteStore, type RemoteStore } from '../promql/remote/index.js';
import type { Appendable, Queryable } from '../model/storage.js';
import { DEFAULT_OUTAGE_TOLERANCE_MS } from '../rules/eval/manager.js';

export interface VigilOptions {
  readonly config: VigilConfig;
  readonly logger: Logger;
  readonly telemetry: Telemetry;
  readonly clock?: Clock;
  /** listenAddress overrides server.listen_address (tests use port 0). */
  readonly listenAddress?: string;
  /** scraperFor replaces HTTP scraping (the simulator and tests use it). */
  readonly scraperFor?: (target: Target, cfg: ScrapeConfig) => Scraper;
}

/** Vigil is a running instance: store, scrapers and HTTP server, wired together. */
export interface Vigil {
  /** url is the base URL of the HTTP server, such as http://127.0.0.1:9470. */
  readonly url: string;
  /** db is the embedded store; undefined with storage.remote, where rules query the remote store. */
  readonly db: TSDB | undefined;
  readonly scrapeManager: ScrapeManager;
  readonly ruleManager: RuleManager;
  /**
   * reload applies a new config's scrape configs and rule files; storage and server changes need
   * a restart. Rule files that do not load leave the running rules in place (logged with
   * file:line:column); it resolves false then.
   */
  reload(config: VigilConfig): Promise<boolean>;
  /** close stops scraping, flushes and closes the store, and stops the server. */
  close(): Promise<void>;
}

/**
 * startVigil is the one place that connects the parts (DESIGN.md, "Seams"): the HTTP server
 * starts first so /-/healthy answers while the store replays its WAL; /-/ready turns 200 once
 * the store is open and scraping has started.
 */
export async function startVigil(opts: VigilOptions): Promise<Vigil> {
  const clock = opts.clock ?? systemClock;
  const { logger, telemetry } = opts;
  let config = opts.config;
  let ready = false;
  let db: TSDB | undefined;
  let scrapeManager: ScrapeManager | undefined;
  let ruleManager: RuleManager | undefined;
  // Rule files load before anything starts: a broken one stops `vigil run` at once, as in Prometheus.
  const rules = loadConfiguredRules(config);
  logRuleWarnings(logger, rules);

  const server = new HttpServer((err) => logger.error('HTTP handler failed', { err }));
  server
    .route('GET', '/metrics', (req, res) => telemetry.handle(req, res))
    .route(['GET', 'HEAD'], '/-/healthy', (_req, res) => sendText(res, 200, 'vigil is Healthy.\n'))
    .route(['GET', 'HEAD'], '/-/ready', (_req, res) =>
      ready ? sendText(res, 200, 'vigil is Ready.\n') : sendText(res, 503, 'Service Unavailable\n'),
    )
    .route('GET', '/api/v1/targets', (req, res, url) => {
      if (scrapeManager === undefined) return sendText(res, 503, 'Service Unavailable\n');
      return targetsHandler(scrapeManager)(req, res, url);
    })
    .route('GET', '/api/v1/rules', rulesHandler(() => ruleManager))
    .route('GET', '/api/v1/alerts', alertsHandler(() => ruleManager));
  // The Prometheus-compatible query API; it answers 503 until the store is open (queryAPI set below).
  let queryAPI: QueryAPIOptions | undefined;
  for (const r of queryAPIRoutes(() => queryAPI, (err) => logger.error('query API request failed', { err }))) {
    if (r.prefix === true) server.routePrefix(r.methods, r.path, r.handler);
    else server.route(r.methods, r.path, r.handler);
  }
  const bound = await server.listen(opts.listenAddress ?? config.server.listenAddress);
  const host = bound.host.includes(':') ? `[${bound.host}]` : bound.host;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${bound.port}`;

  // storage.remote: no embedded store; rules query (and write to) a Prometheus-compatible API.
  const storage = config.storage;
  const remote: RemoteStore | undefined = isRemoteStorage(storage)
    ? openRemoteStore({ config: storage.remote, clock, logger: logger.with({ component: 'remote' }), meter: telemetry.meter, userAgent: `vigil/${VERSION}` })
    : undefined;
  if (!isRemoteStorage(storage)) {
    try {
      db = await openTSDB({
        dir: storage.path,
        retentionMs: storage.retentionMs,
        walFsyncIntervalMs: storage.walFsyncIntervalMs,
        clock,
        logger: logger.with({ component: 'tsdb' }),
        meter: telemetry.meter,
      });
    } catch (err) {
      await server.close();
      throw err;
    }
  }
  const appendable: Appendable = db ?? remote!.appendable;
  const scrapeMetrics = otelScrapeMetrics(telemetry.meter);
  const manager = new ScrapeManager({
    appendable,
    clock,
    logger,
    metrics: scrapeMetrics,
    ...(opts.scraperFor === undefined ? {} : { scraperFor: opts.scraperFor }),
  });
  scrapeManager = manager;
  // With storage.remote the query API stays 503: vigil holds no samples (query the remote store).
  if (db !== undefined) queryAPI = {
    queryable: db,
    engine: (o) => new Engine(o),
    parseMetricSelector,
    // The pipeline's clock: instant queries without a time mean "now" for the data as stored.
    now: () => clock.now(),
    metadata: () => manager.activeTargets().map(({ loop }) => loop.metadata),
    buildInfo: { version: VERSION, revision: '', branch: '', buildUser: '', buildDate: '', goVersion: process.version },
  };
  let alerting: RunningAlerting | undefined;
  if (config.alertingConfigFile !== undefined) {
    const tokenRef = config.server.bearerToken;
    try {
      alerting = startAlerting({
        configFile: config.alertingConfigFile,
        dataDir: config.storage.path,
        clock,
        logger,
        meter: telemetry.meter,
        externalURL: url,
        server,
        writeToken: tokenRef === undefined ? undefined : () => readSecret(tokenRef),
      });
    } catch (err) {
      await db?.close();
      await remote?.close();
      await server.close();
      throw err;
    }
  }
  await manager.applyConfig(config.scrapeConfigs);
  const store = appendable;
  const startQueues = (cfgs: readonly BullMQConfig[]) =>
    cfgs.map((c) => {
      const collector = new BullMQCollector({ config: c, appendable: store, clock, logger, metrics: scrapeMetrics });
      collector.start();
      return collector;
    });
  let queueCollectors = startQueues(config.bullmqConfigs);
  // Rules start after the store and the scrapes, so their first queries see scraped data. In remote
  // mode, alert state to restore is read from the remote store once, up front (Queryable is synchronous).
  if (remote !== undefined && !remote.writes && rules.groups.some((g) => g.rules.some((r) => r.kind === 'recording'))) {
    logger.warn('storage.remote has no write_url: recording rule results are dropped, so rules that read them see only what the remote store records itself');
  }
  const restoreFrom: Queryable | undefined = db ?? (await remote!.alertState(clock.now(), DEFAULT_OUTAGE_TOLERANCE_MS));
  const rulesManager = new RuleManager({
    groups: rules.groups,
    queryFn: db !== undefined ? engineQuery(new Engine(), db) : remote!.query,
    appendable: store,
    ...(restoreFrom === undefined ? {} : { queryable: restoreFrom }),
    notify: alerting?.notify ?? logNotify(logger.with({ component: 'notifier' }), () => clock.now()),
    clock,
    logger,
    meter: telemetry.meter,
    externalLabels: config.global.externalLabels,
    externalURL: url,
    evaluationIntervalMs: config.global.evaluationIntervalMs,
  });
  ruleManager = rulesManager;
  rulesManager.start();
  logger.info('rules loaded', { files: rules.files.length, groups: rules.groups.length });
  ready = true;

  let closing: Promise<void> | undefined;
  return {
    url,
    db,
    scrapeManager: manager,
    ruleManager: rulesManager,
    async reload(next) {
      if (JSON.stringify(next.storage) !== JSON.stringify(config.storage) || next.server.listenAddress !== config.server.listenAddress) {
        logger.warn('storage and server settings change only on restart; applying the rest', { file: next.file });
      }
      await manager.applyConfig(next.scrapeConfigs);
      if (JSON.stringify(next.bullmqConfigs) !== JSON.stringify(config.bullmqConfigs)) {
        await Promise.all(queueCollectors.map((c) => c.stop({ markStale: true })));
        queueCollectors = startQueues(next.bullmqConfigs);
      }
      let alertingOK = true;
      if (alerting !== undefined && next.alertingConfigFile !== undefined) alertingOK = await alerting.reload(next.alertingConfigFile);
      else if (next.alertingConfigFile !== config.alertingConfigFile) {
        logger.warn('turning alerting on or off takes a restart; applying the rest', { file: next.file });
      }
      config = next;
      let loaded: LoadedRules;
      try {
        loaded = loadConfiguredRules(next);
      } catch (err) {
        logger.error('loading rules failed; keeping the running rules', { err: err instanceof Error ? err.message : String(err) });
        return false;
      }
      logRuleWarnings(logger, loaded);
      await rulesManager.update(loaded.groups, {
        evaluationIntervalMs: next.global.evaluationIntervalMs,
        externalLabels: next.global.externalLabels,
      });
      logger.info('rules reloaded', { files: loaded.files.length, groups: loaded.groups.length });
      return alertingOK;
    },
    close() {
      closing ??= (async () => {
        ready = false;
        await rulesManager.stop();
        await manager.stop();
        await Promise.all(queueCollectors.map((c) => c.stop()));
        await alerting?.close();
        await db?.close();
        await remote?.close();
        await server.close();
      })();
      return closing;
    },
  };
}

function logRuleWarnings(logger: Logger, rules: LoadedRules): void {
  for (const w of rules.warnings) logger.warn('rule file warning', { warning: formatIssue(w) });
}
