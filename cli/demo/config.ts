import { scrapeConfigYaml, type ServedTarget } from '../../collectors/simulate/index.js';
import { formatDuration } from '../../util/duration.js';
import { splitHostPort } from '../config.js';

/**
 * DemoIntervals are the demo's timings, in scenario ms. Everything in the demo runs on the scaled
 * clock (see scaledClock), so they are chosen for real time to stay sensible: a scrape every
 * half a real second at most (a scrape may take as long as its interval), never less often than
 * once a minute of scenario time (the source packs' 5-minute rates need several samples), and
 * the write-ahead log synced about once a real second.
 */
export interface DemoIntervals {
  readonly scrapeIntervalMs: number;
  readonly scrapeTimeoutMs: number;
  readonly evaluationIntervalMs: number;
  readonly walFsyncIntervalMs: number;
}

const MIN_SCRAPE_MS = 5_000;
const MAX_SCRAPE_MS = 60_000;
/** REAL_SCRAPE_MS is the shortest real time between two scrapes of a target. */
const REAL_SCRAPE_MS = 500;

/** demoIntervals: 5s up to speed 10, then speed x 0.5s rounded up to 5s, at most 1m (speed 120). */
export function demoIntervals(speed: number): DemoIntervals {
  const scrape = Math.min(MAX_SCRAPE_MS, Math.max(MIN_SCRAPE_MS, Math.ceil((speed * REAL_SCRAPE_MS) / 5_000) * 5_000));
  return {
    scrapeIntervalMs: scrape,
    scrapeTimeoutMs: scrape,
    evaluationIntervalMs: scrape,
    walFsyncIntervalMs: Math.max(1_000, Math.round(speed) * 1_000),
  };
}

/** Delivery says where the demo's alerts go besides the console and the outbox. */
export interface Delivery {
  readonly slack: { readonly channel: string; readonly apiURL: string | undefined } | undefined;
  readonly email: { readonly smarthost: string; readonly from: string; readonly to: string } | undefined;
}

export const DEFAULT_SLACK_CHANNEL = '#vigil-demo';
export const DEFAULT_SMTP_FROM = 'vigil-demo@example.com';
export const DEFAULT_SMTP_TO = 'oncall@example.com';

/** DeliveryError is a delivery environment variable with a value the demo cannot use. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
}

/**
 * deliveryFromEnv reads the demo's delivery settings from the environment:
 *
 * - SLACK_BOT_TOKEN (a bot token with chat:write) turns Slack on; SLACK_CHANNEL (default
 *   #vigil-demo) and SLACK_API_URL (the Web API base, for a fake or a proxy) are optional. The
 *   token itself stays in the environment: the alerting config names the variable (token_env).
 * - SMTP_SMARTHOST (host:port) turns email on, without TLS or AUTH (a local relay or a mail
 *   catcher such as Mailpit); SMTP_FROM and SMTP_TO are optional.
 *
 * Empty values count as unset. A malformed value throws DeliveryError naming the variable.
 */
export function deliveryFromEnv(env: NodeJS.ProcessEnv): Delivery {
  const get = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  let slack: Delivery['slack'];
  if (get('SLACK_BOT_TOKEN') !== undefined) {
    const apiURL = get('SLACK_API_URL');
    if (apiURL !== undefined && !/^https?:\/\/[^/]/.test(apiURL)) throw new DeliveryError(`SLACK_API_URL: expected an http or https URL, got ${JSON.stringify(apiURL)}`);
    slack = { channel: get('SLACK_CHANNEL') ?? DEFAULT_SLACK_CHANNEL, apiURL };
  }
  let email: Delivery['email'];
  const smarthost = get('SMTP_SMARTHOST');
  if (smarthost !== undefined) {
    const hp = splitHostPort(smarthost);
    if (hp === undefined || hp.host === '') throw new DeliveryError(`SMTP_SMARTHOST: expected host:port, such as 127.0.0.1:1025, got ${JSON.stringify(smarthost)}`);
    email = { smarthost, from: get('SMTP_FROM') ?? DEFAULT_SMTP_FROM, to: get('SMTP_TO') ?? DEFAULT_SMTP_TO };
  }
  return { slack, email };
}

/** ALERTING_TIMING is the demo's route timing (scenario time): the first notification of a group 10s after its first alert. */
export const ALERTING_TIMING = { groupWait: '10s', groupInterval: '5m', repeatInterval: '4h' } as const;

/**
 * demoAlertingYaml is the demo's Alertmanager-format config: one route sending every alert,
 * grouped by alertname, namespace and model, to one receiver with the console, the outbox
 * (`outboxDir`, rendered emails) and, when configured, Slack and email.
 */
export function demoAlertingYaml(opts: { readonly outboxDir: string; readonly delivery: Delivery }): string {
  const { slack, email } = opts.delivery;
  const to = email?.to ?? DEFAULT_SMTP_TO;
  const from = email?.from ?? DEFAULT_SMTP_FROM;
  const lines = [
    '# Written by `vigil demo` for this run (Alertmanager configuration language; outbox_configs and',
    '# console_configs are vigil-only). Times are scenario time: the demo runs on its --speed clock.',
    'global:',
    '  resolve_timeout: 5m',
    ...(email === undefined ? [] : [`  smtp_smarthost: ${q(email.smarthost)}`, `  smtp_from: ${q(from)}`, '  smtp_require_tls: false']),
    'route:',
    '  receiver: demo',
    '  group_by: [alertname, namespace, model]',
    `  group_wait: ${ALERTING_TIMING.groupWait}`,
    `  group_interval: ${ALERTING_TIMING.groupInterval}`,
    `  repeat_interval: ${ALERTING_TIMING.repeatInterval}`,
    'receivers:',
    '  - name: demo',
    '    console_configs:',
    '      - send_resolved: true',
    '    outbox_configs:',
    `      - directory: ${q(opts.outboxDir)}`,
    `        to: ${q(to)}`,
    `        from: ${q(from)}`,
  ];
  if (slack !== undefined) {
    lines.push('    slack_configs:', `      - channel: ${q(slack.channel)}`, '        token_env: SLACK_BOT_TOKEN');
    if (slack.apiURL !== undefined) lines.push(`        api_url: ${q(slack.apiURL)}`);
  }
  if (email !== undefined) lines.push('    email_configs:', `      - to: ${q(to)}`, '        send_resolved: true');
  return lines.join('\n') + '\n';
}

/** DemoVigilConfig is what the demo's vigil.yaml holds. Paths are absolute. */
export interface DemoVigilConfig {
  readonly targets: readonly ServedTarget[];
  readonly intervals: DemoIntervals;
  readonly ruleFiles: readonly string[];
  readonly alertingFile: string;
  readonly storagePath: string;
  readonly listenAddress: string;
}

/** demoVigilYaml is the demo's vigil.yaml: the simulator's targets, the rule packs, the alerting config. */
export function demoVigilYaml(c: DemoVigilConfig): string {
  const d = formatDuration;
  return [
    '# Written by `vigil demo` for this run. Times are scenario time: the demo runs on its --speed clock.',
    'global:',
    `  scrape_interval: ${d(c.intervals.scrapeIntervalMs)}`,
    `  scrape_timeout: ${d(c.intervals.scrapeTimeoutMs)}`,
    `  evaluation_interval: ${d(c.intervals.evaluationIntervalMs)}`,
    'rule_files:',
    ...c.ruleFiles.map((f) => `  - ${q(f)}`),
    'alerting:',
    `  config_file: ${q(c.alertingFile)}`,
    'storage:',
    '  embedded:',
    `    path: ${q(c.storagePath)}`,
    '    retention: 15d',
    `    wal_fsync_interval: ${d(c.intervals.walFsyncIntervalMs)}`,
    'server:',
    `  listen_address: ${q(c.listenAddress)}`,
    scrapeConfigYaml(c.targets),
  ].join('\n');
}

/** q quotes a string for YAML: a JSON string is a valid double-quoted YAML scalar. */
function q(s: string): string {
  return JSON.stringify(s);
}
