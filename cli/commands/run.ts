import { type Command, EXIT_FAILURE, EXIT_OK, type IO, stringFlag, UsageError } from '../command.js';
import { isRemoteStorage, loadConfig } from '../config.js';
import { withStorageFlags } from '../storage-flags.js';
import { redactURL } from '../../promql/remote/index.js';
import { startProcessTelemetry } from '../telemetry.js';
import { startVigil } from '../vigil.js';
import { createLogger, type LogLevel } from '../../util/log.js';
import { SourceError } from '../../util/yamlreader.js';

/** SHUTDOWN_GRACE_MS bounds a clean stop; past it vigil exits anyway, with what the WAL already holds. */
const SHUTDOWN_GRACE_MS = 10_000;

export const runCommand: Command = {
  name: 'run',
  summary: 'scrape, store, evaluate rules and serve, as configured in vigil.yaml',
  usage: `Usage: vigil run [--config FILE] [flags]

Runs vigil's main job: scrapes the targets in the config into the embedded store (data directory,
write-ahead log), evaluates the rule files in rule_files (recording rules written back), routes
their alerts through alerting.config_file (an Alertmanager configuration: Slack, email, webhook
and console receivers; alerts are only logged when it is not set), and serves /metrics,
/-/healthy, /-/ready, the Prometheus query API (/api/v1/...), and Alertmanager's v2 API
(/api/v2/alerts, /api/v2/silences, /api/v2/status) on one address.

With storage.remote in the config (or --storage remote), nothing is scraped or stored locally:
rules are evaluated through a Prometheus-compatible query API (Prometheus, Thanos Query, Mimir),
what they record is remote-written to storage.remote.write_url, and the data directory holds only
alerting's state.

Signals: SIGHUP reloads the config, the rule files and the alerting config (a broken one is reported
with file:line:column and the running one kept);
SIGTERM or SIGINT stops scraping, flushes the write-ahead log and exits.

Flags:
  --config FILE         config file (default: vigil.yaml)
  --listen ADDR         override server.listen_address, such as 127.0.0.1:9470 or :0
  --storage MODE        embedded or remote: override the config's storage mode (remote takes the
                        rest of storage.remote from the config: credentials, write_url, ...)
  --storage.remote.url URL
                        the query API for --storage remote (implies it), such as
                        http://prometheus:9090
  --log-level LEVEL     debug, info, warn or error (default: info)
  --log-format FORMAT   json or logfmt (default: logfmt on a terminal, json otherwise)
  -h, --help            show this help
`,
  options: {
    config: { type: 'string', default: 'vigil.yaml' },
    listen: { type: 'string' },
    storage: { type: 'string' },
    'storage.remote.url': { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    'log-format': { type: 'string' },
  },
  allowPositionals: false,
  async run({ values }, io: IO) {
    const level = stringFlag(values, 'log-level') as LogLevel;
    if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new UsageError(`invalid --log-level ${JSON.stringify(level)}`);
    const format = stringFlag(values, 'log-format');
    if (format !== undefined && format !== 'json' && format !== 'logfmt') throw new UsageError(`invalid --log-format ${JSON.stringify(format)}`);
    const logger = createLogger({ level, ...(format === undefined ? {} : { format }) });
    const file = stringFlag(values, 'config')!;

    let config;
    try {
      config = loadConfig(file);
    } catch (err) {
      if (err instanceof SourceError) {
        io.stderr(`vigil run: invalid config:\n${err.message}\n`);
        return EXIT_FAILURE;
      }
      throw err;
    }
    config = withStorageFlags(config, stringFlag(values, 'storage'), stringFlag(values, 'storage.remote.url'));
    const telemetry = startProcessTelemetry();
    const listen = stringFlag(values, 'listen');
    let vigil;
    try {
      vigil = await startVigil({ config, logger, telemetry, ...(listen === undefined ? {} : { listenAddress: listen }) });
    } catch (err) {
      if (err instanceof SourceError) {
        io.stderr(`vigil run: invalid rule files or alerting config:\n${err.message}\n`);
        await telemetry.shutdown();
        return EXIT_FAILURE;
      }
      throw err;
    }
    io.stdout(
      [
        isRemoteStorage(config.storage)
          ? `vigil is running (config ${config.file}, remote store ${redactURL(new URL(config.storage.remote.url))}, data ${config.storage.path})`
          : `vigil is running (config ${config.file}, data ${config.storage.path})`,
        `  metrics   ${vigil.url}/metrics`,
        `  targets   ${vigil.url}/api/v1/targets`,
        `  rules     ${vigil.url}/api/v1/rules   alerts ${vigil.url}/api/v1/alerts`,
        `  health    ${vigil.url}/-/healthy   ready ${vigil.url}/-/ready`,
        ...(config.alertingConfigFile === undefined ? [] : [`  alerting  ${vigil.url}/api/v2/alerts   silences ${vigil.url}/api/v2/silences`]),
        '',
      ].join('\n'),
    );
    logger.info('vigil started', { url: vigil.url, targets: config.scrapeConfigs.length });

    return await new Promise<number>((resolve) => {
      let stopping = false;
      const reload = () => {
        try {
          const next = loadConfig(file);
          vigil.reload(next).then(
            (ok) => logger.info(ok ? 'config reloaded' : 'config reloaded except the rule files or alerting config that failed', { file }),
            (err: unknown) => logger.error('config reload failed', { file, err }),
          );
        } catch (err) {
          logger.error('config reload failed; keeping the running config', { file, err: (err as Error).message });
        }
      };
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info('stopping', { signal });
        const deadline = setTimeout(() => {
          logger.error('clean stop took too long; exiting', { graceMs: SHUTDOWN_GRACE_MS });
          resolve(EXIT_FAILURE);
        }, SHUTDOWN_GRACE_MS);
        deadline.unref();
        vigil
          .close()
          .then(() => telemetry.shutdown())
          .then(
            () => {
              clearTimeout(deadline);
              logger.info('stopped cleanly');
              resolve(EXIT_OK);
            },
            (err: unknown) => {
              clearTimeout(deadline);
              logger.error('stop failed', { err });
              resolve(EXIT_FAILURE);
            },
          );
      };
      process.on('SIGHUP', reload);
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
  },
};
