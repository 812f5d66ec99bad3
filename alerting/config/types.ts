import type { Matcher } from '../../model/matcher.js';
import type { SecretRef } from '../../util/secret.js';

/**
 * AlertingConfig is an Alertmanager configuration file as vigil reads it: the same keys and
 * meaning as Alertmanager 0.25 (a file amtool accepts loads here), plus a few vigil-only options
 * that are named as such. Durations in ms. Every part keeps the file position it came from.
 */
export interface AlertingConfig {
  readonly file: string;
  readonly global: GlobalConfig;
  readonly route: RouteConfig;
  readonly receivers: readonly ReceiverConfig[];
  readonly inhibitRules: readonly InhibitRuleConfig[];
  /** timeIntervals holds `time_intervals` and the older `mute_time_intervals`, by name. */
  readonly timeIntervals: ReadonlyMap<string, readonly TimeInterval[]>;
  readonly templates: readonly string[];
}

/** Position is where a config element starts in its file (1-based). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface GlobalConfig {
  /** resolveTimeout is added to an alert received without endsAt (default 5m). */
  readonly resolveTimeout: number;
  readonly smtpFrom: string | undefined;
  readonly smtpSmarthost: HostPort | undefined;
  readonly smtpHello: string;
  readonly smtpAuthUsername: string | undefined;
  readonly smtpAuthPassword: SecretOrInline | undefined;
  readonly smtpAuthIdentity: string | undefined;
  readonly smtpAuthSecret: SecretOrInline | undefined;
  readonly smtpRequireTLS: boolean;
  /** slackApiURL is global.slack_api_url (or _file): the default api_url of slack_configs. */
  readonly slackApiURL: SecretOrInline | undefined;
  /** externalURL is where links in notifications point (vigil's own address by default). */
  readonly externalURL: string | undefined;
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * SecretOrInline is a secret from a file or an environment variable, or (as Alertmanager allows)
 * written in the config; `vigil check` warns about the inline form. Never logged or printed.
 */
export type SecretOrInline = SecretRef | { readonly inline: string };

/** RouteConfig is one node of the routing tree as written (nothing inherited yet). */
export interface RouteConfig {
  readonly position: Position;
  readonly receiver: string | undefined;
  /** groupBy: undefined when unset (inherit); ['...'] means every label. */
  readonly groupBy: readonly string[] | undefined;
  /** matchers: `matchers`, `match` and `match_re` merged and sorted, as Alertmanager does. */
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  readonly groupWait: number | undefined;
  readonly groupInterval: number | undefined;
  readonly repeatInterval: number | undefined;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
  readonly routes: readonly RouteConfig[];
}

/**
 * ReceiverConfig is one named receiver and its integrations. `fallback` (vigil-only) names the
 * receiver that gets a notification this one failed permanently to deliver.
 */
export interface ReceiverConfig {
  readonly position: Position;
  readonly name: string;
  readonly slack: readonly SlackConfig[];
  readonly email: readonly EmailConfig[];
  readonly webhook: readonly WebhookConfig[];
  readonly console: readonly ConsoleConfig[];
  /** outbox (vigil-only): `outbox_configs`, each notification written as an email file. */
  readonly outbox: readonly OutboxConfig[];
  readonly fallback: string | undefined;
  /** rateLimit (vigil-only): at most `count` notifications per `interval` ms for this receiver. */
  readonly rateLimit: { readonly count: number; readonly interval: number } | undefined;
}

/**
 * SlackConfig is a slack_configs entry. vigil talks to Slack's Web API (chat.postMessage and
 * chat.update) with a bot token: `http_config.authorization.credentials_file`, Alertmanager's
 * `app_token_file`, or vigil's `token_file` / `token_env`. `api_url` is the Web API base
 * (https://slack.com/api/); a chat.postMessage URL is taken as its base. Templates are Go text
 * templates over Alertmanager's notification data.
 */
export interface SlackConfig {
  readonly position: Position;
  readonly sendResolved: boolean;
  readonly apiURL: string;
  readonly token: SecretOrInline | undefined;
  readonly channel: string;
  readonly username: string | undefined;
  readonly iconEmoji: string | undefined;
  readonly iconURL: string | undefined;
  readonly linkNames: boolean;
  /** title and text, when set, replace vigil's Block Kit header and summary. */
  readonly title: string | undefined;
  readonly text: string | undefined;
  readonly timeout: number | undefined;
  /** updateMessage: chat.update the group's message when its state changes (default true). */
  readonly updateMessage: boolean;
  /** threadUpdates (vigil-only): resolves and repeats are also replied in the message's thread (default true). */
  readonly threadUpdates: boolean;
}

/** EmailConfig is an email_configs entry, global SMTP settings already applied. */
export interface EmailConfig {
  readonly position: Position;
  readonly sendResolved: boolean;
  readonly to: string;
  readonly from: string;
  readonly smarthost: HostPort;
  readonly hello: string;
  readonly authUsername: string | undefined;
  readonly authPassword: SecretOrInline | undefined;
  readonly authIdentity: string | undefined;
  readonly authSecret: SecretOrInline | undefined;
  readonly requireTLS: boolean;
  readonly tlsInsecureSkipVerify: boolean;
  /** html and text: templates for the two parts; undefined means vigil's defaults. */
  readonly html: string | undefined;
  readonly text: string | undefined;
  /** headers: templates; `Subject` overrides the default subject. */
  readonly headers: ReadonlyMap<string, string>;
}

/** WebhookConfig is a webhook_configs entry (Alertmanager's version 4 payload). */
export interface WebhookConfig {
  readonly position: Position;
  readonly sendResolved: boolean;
  readonly url: SecretOrInline;
  /** maxAlerts truncates the alerts in a payload (0 = all), counting the rest in truncatedAlerts. */
  readonly maxAlerts: number;
  readonly bearerToken: SecretOrInline | undefined;
  readonly timeout: number | undefined;
}

/** ConsoleConfig (vigil-only) prints readable lines to standard output: for the demo. */
export interface ConsoleConfig {
  readonly position: Position;
  readonly sendResolved: boolean;
}

/**
 * OutboxConfig (vigil-only) is an `outbox_configs` entry: each notification is rendered exactly as
 * an email_configs entry with the same `to`, `from`, `headers`, `html` and `text` would render it,
 * and written as one RFC 5322 message (`.eml`) into `directory` instead of being sent. For the
 * demo, and for seeing what on-call would read without a mail server.
 */
export interface OutboxConfig {
  readonly position: Position;
  readonly sendResolved: boolean;
  /** directory is absolute: a relative one is resolved against the alerting config's directory. */
  readonly directory: string;
  readonly to: string;
  readonly from: string;
  readonly html: string | undefined;
  readonly text: string | undefined;
  /** headers: templates, names canonicalised as in EmailConfig; `Subject` overrides the default subject. */
  readonly headers: ReadonlyMap<string, string>;
}

export interface InhibitRuleConfig {
  readonly position: Position;
  readonly sourceMatchers: readonly Matcher[];
  readonly targetMatchers: readonly Matcher[];
  readonly equal: readonly string[];
}

/**
 * TimeInterval is one entry of a named time interval; the name is active when any entry is.
 * Each list is of inclusive ranges; an empty list means any. Minutes of the day are [start, end)
 * as Alertmanager's `times`. days of month may be negative (from the month's end).
 */
export interface TimeInterval {
  readonly times: readonly { readonly startMinute: number; readonly endMinute: number }[];
  readonly weekdays: readonly Range[];
  readonly daysOfMonth: readonly Range[];
  readonly months: readonly Range[];
  readonly years: readonly Range[];
  /** location: an IANA time zone name (default UTC). */
  readonly location: string;
}

export interface Range {
  readonly begin: number;
  readonly end: number;
}
