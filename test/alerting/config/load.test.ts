import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAlertingConfig } from '../../../alerting/config/load.js';
import { formatIssue, SourceError } from '../../../util/yamlreader.js';

const load = (text: string) => loadAlertingConfig('am.yml', text);

/** errorsOf returns the formatted issues a config is rejected with. */
function errorsOf(text: string): string[] {
  try {
    load(text);
  } catch (err) {
    if (err instanceof SourceError) return err.issues.map(formatIssue);
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

const MINIMAL = 'route:\n  receiver: a\nreceivers:\n  - name: a\n';

describe('loadAlertingConfig', () => {
  it('applies Alertmanager defaults to global', () => {
    const { config, warnings } = load(MINIMAL);
    expect(warnings).toEqual([]);
    expect(config.global).toMatchObject({ resolveTimeout: 300_000, smtpHello: 'localhost', smtpRequireTLS: true, slackApiURL: undefined });
    expect(config.route.receiver).toBe('a');
    expect(config.receivers.map((r) => r.name)).toEqual(['a']);
  });

  it('keeps where each part starts', () => {
    const { config } = load(MINIMAL);
    expect(config.route.position).toEqual({ line: 2, column: 3 });
    expect(config.receivers[0]!.position).toEqual({ line: 4, column: 5 });
  });

  it('merges match, match_re and matchers and sorts them; match_re is anchored as Alertmanager keeps it', () => {
    const { config } = load(`route:
  receiver: a
  routes:
    - receiver: a
      matchers: ['zone="eu"', '{team=~"ml-.*", env!=dev}']
      match: {team: ml}
      match_re: {model: 'llama|mistral'}
receivers: [{name: a}]
`);
    expect(config.route.routes[0]!.matchers.map(String)).toEqual(['env!="dev"', 'model=~"^(?:llama|mistral)$"', 'team="ml"', 'team=~"ml-.*"', 'zone="eu"']);
  });

  it('reads group_by: absent or [] inherits, [...] is every label', () => {
    const { config } = load(`route:
  receiver: a
  group_by: [cluster, alertname]
  routes:
    - {receiver: a, group_by: []}
    - {receiver: a, group_by: ['...']}
    - {receiver: a}
receivers: [{name: a}]
`);
    expect(config.route.groupBy).toEqual(['cluster', 'alertname']);
    expect(config.route.routes.map((r) => r.groupBy)).toEqual([undefined, ['...'], undefined]);
  });

  it('reads yes/no as booleans where yaml.v2 does, unquoted only', () => {
    const ok = load('route:\n  receiver: a\n  routes: [{receiver: a, continue: yes}]\nreceivers: [{name: a}]\n');
    expect(ok.config.route.routes[0]!.continue).toBe(true);
    expect(errorsOf("route:\n  receiver: a\n  routes: [{receiver: a, continue: 'yes'}]\nreceivers: [{name: a}]\n")).toEqual([
      'am.yml:3:36: route.routes[0].continue: got "yes", expected true or false',
    ]);
  });

  it('reports every problem with file:line:column and field path, not just the first', () => {
    expect(
      errorsOf(`route:
  receiver: missing
  group_interval: 0s
  routes:
    - matchers: ['a-b="x"']
      group_by: [a, a]
receivers:
  - name: r
  - name: r
`),
    ).toEqual([
      'am.yml:2:13: route.receiver: undefined receiver "missing" used in route',
      'am.yml:3:19: route.group_interval: group_interval cannot be zero',
      'am.yml:5:18: route.routes[0].matchers[0]: bad matcher format: a-b="x"',
      'am.yml:6:21: route.routes[0].group_by[1]: duplicated label "a" in group_by',
      'am.yml:9:11: receivers[1].name: notification config name "r" is not unique',
    ]);
  });

  it('refuses an empty file and a file without a route', () => {
    expect(errorsOf('')).toEqual(['am.yml:1:1: no route provided in config']);
    expect(errorsOf('receivers: [{name: a}]\n')).toEqual(['am.yml:1:1: route: no routes provided']);
  });

  it('refuses unknown keys, suggesting the likely one', () => {
    expect(errorsOf('route:\n  receiver: a\n  group_wiat: 1m\nreceivers: [{name: a}]\n')).toEqual([
      'am.yml:3:3: route.group_wiat: unknown field "group_wiat" (did you mean "group_wait"?)',
    ]);
  });

  it('refuses integrations vigil does not have, by name', () => {
    expect(errorsOf('route: {receiver: p}\nreceivers:\n  - name: p\n    opsgenie_configs: [{api_key_file: /k}]\n')).toEqual([
      'am.yml:4:23: receivers[0].opsgenie_configs: opsgenie_configs is not supported by vigil: it delivers to slack_configs, email_configs, webhook_configs and console_configs',
    ]);
  });
});

describe('receivers', () => {
  it('email: global SMTP settings fill the entry, as in Alertmanager; send_resolved defaults to false', () => {
    const { config } = load(`global:
  smtp_from: am@example.com
  smtp_smarthost: '[::1]:2525'
  smtp_auth_username: am
  smtp_auth_password_file: secrets/smtp
  smtp_require_tls: false
route: {receiver: mail}
receivers:
  - name: mail
    email_configs:
      - to: sre@example.com
        headers: {subject: Hi, x-team: ml}
      - to: b@example.com
        hello: mx.example.com
        require_tls: true
        auth_password_env: OWN_PASSWORD
`);
    const [a, b] = config.receivers[0]!.email;
    expect(a).toMatchObject({ to: 'sre@example.com', from: 'am@example.com', smarthost: { host: '::1', port: 2525 }, hello: 'localhost', requireTLS: false, sendResolved: false });
    expect(a!.authPassword).toEqual({ file: join(process.cwd(), 'secrets/smtp') });
    expect([...a!.headers]).toEqual([['Subject', 'Hi'], ['X-Team', 'ml']]);
    expect(b).toMatchObject({ hello: 'mx.example.com', requireTLS: true, authUsername: 'am', authPassword: { env: 'OWN_PASSWORD' } });
  });

  it('webhook: send_resolved defaults to true; the bearer credential comes from http_config', () => {
    const { config } = load(`route: {receiver: hook}
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:9/hook
        max_alerts: 5
        http_config: {authorization: {credentials_env: HOOK_TOKEN}}
      - url_file: /run/secrets/hook-url
`);
    const [a, b] = config.receivers[0]!.webhook;
    expect(a).toMatchObject({ sendResolved: true, url: { inline: 'http://127.0.0.1:9/hook' }, maxAlerts: 5, bearerToken: { env: 'HOOK_TOKEN' } });
    expect(b).toMatchObject({ url: { file: '/run/secrets/hook-url' }, maxAlerts: 0, bearerToken: undefined });
  });

  it('slack: a chat.postMessage api_url is taken as the Web API base; defaults as Alertmanager and vigil', () => {
    const { config } = load(`global:
  http_config: {authorization: {credentials_file: /run/secrets/bot}}
route: {receiver: chat}
receivers:
  - name: chat
    slack_configs:
      - api_url: https://slack.com/api/chat.postMessage
        channel: '#alerts'
      - token_env: SLACK_TOKEN
        channel: C0123
        update_message: false
        link_names: true
        api_url: http://127.0.0.1:3000/api
`);
    const [a, b] = config.receivers[0]!.slack;
    expect(a).toMatchObject({ apiURL: 'https://slack.com/api/', token: { file: '/run/secrets/bot' }, sendResolved: true, updateMessage: true, threadUpdates: true });
    expect(b).toMatchObject({ apiURL: 'http://127.0.0.1:3000/api/', token: { env: 'SLACK_TOKEN' }, updateMessage: false, sendResolved: false, linkNames: true });
  });

  it('slack: a token from vigil or Slack-app keys makes api_url default to https://slack.com/api/', () => {
    const { config } = load('route: {receiver: c}\nreceivers:\n  - name: c\n    slack_configs: [{app_token_file: /t, channel: x}]\n');
    expect(config.receivers[0]!.slack[0]).toMatchObject({ apiURL: 'https://slack.com/api/', token: { file: '/t' } });
  });

  it('slack: refuses an incoming webhook URL without showing it, and asks for a token and a channel', () => {
    const errors = errorsOf(`route: {receiver: c}
receivers:
  - name: c
    slack_configs:
      - api_url: https://hooks.slack.com/services/T0/B0/SECRETPART
`);
    expect(errors.join('\n')).not.toContain('SECRETPART');
    expect(errors).toEqual([
      expect.stringMatching(/^am\.yml:5:9: receivers\[0\]\.slack_configs\[0\]: field "channel" is required/),
      expect.stringMatching(/^am\.yml:5:9: receivers\[0\]\.slack_configs\[0\]: a bot token is required/),
      expect.stringMatching(/^am\.yml:5:18: receivers\[0\]\.slack_configs\[0\]\.api_url: Slack incoming webhooks are not supported by vigil/),
    ]);
  });

  it('slack: api_url_file is read when the config loads (it is an address in vigil)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-am-'));
    writeFileSync(join(dir, 'url'), 'http://127.0.0.1:4000/api/chat.postMessage\n');
    const { config } = loadAlertingConfig(join(dir, 'am.yml'), 'route: {receiver: c}\nreceivers:\n  - name: c\n    slack_configs: [{api_url_file: url, token_file: tok, channel: x}]\n');
    expect(config.receivers[0]!.slack[0]).toMatchObject({ apiURL: 'http://127.0.0.1:4000/api/', token: { file: join(dir, 'tok') } });
  });

  it('warns about inline secrets without ever showing them', () => {
    const { warnings } = load(`global:
  smtp_auth_password: hunter2-global
route: {receiver: r}
receivers:
  - name: r
    email_configs: [{to: a@b, from: c@d, smarthost: 'h:25', auth_secret: hunter2-secret}]
    webhook_configs: [{url: 'http://h/x', http_config: {bearer_token: hunter2-bearer}}]
    slack_configs: [{channel: x, app_token: hunter2-app}]
`);
    const text = warnings.map(formatIssue).join('\n');
    expect(text).not.toMatch(/hunter2/);
    expect(warnings.map((w) => `${w.line}:${w.column} ${w.path}`)).toEqual([
      '2:23 global.smtp_auth_password',
      '6:74 receivers[0].email_configs[0].auth_secret',
      '7:71 receivers[0].webhook_configs[0].http_config.bearer_token',
      '8:45 receivers[0].slack_configs[0].app_token',
    ]);
    expect(warnings[0]!.message).toBe('a secret written in the config file: put it in a file (smtp_auth_password_file) or an environment variable (smtp_auth_password_env)');
  });

  it('never shows a secret in an error either', () => {
    const errors = errorsOf(`route: {receiver: r}
receivers:
  - name: r
    webhook_configs: [{url: 'ftp://user:hunter2@h/x'}]
    email_configs: [{to: a@b, from: c@d, smarthost: 'h:25', auth_password: hunter2, auth_password_file: /p}]
`);
    expect(errors.join('\n')).not.toMatch(/hunter2/);
    expect(errors).toHaveLength(2);
  });

  it('reads the vigil-only receiver keys: fallback, rate_limit, console_configs', () => {
    const { config } = load(`route: {receiver: a}
receivers:
  - name: a
    fallback: b
    rate_limit: {count: 10, interval: 1m}
  - name: b
    console_configs: [{}, {send_resolved: false}]
`);
    expect(config.receivers[0]).toMatchObject({ fallback: 'b', rateLimit: { count: 10, interval: 60_000 } });
    expect(config.receivers[1]!.console.map((c) => c.sendResolved)).toEqual([true, false]);
  });

  it('refuses a fallback to an unknown receiver and a fallback loop', () => {
    expect(errorsOf('route: {receiver: a}\nreceivers:\n  - {name: a, fallback: z}\n')).toEqual([
      'am.yml:3:25: receivers[0].fallback: undefined receiver "z" used as fallback',
    ]);
    expect(errorsOf('route: {receiver: a}\nreceivers:\n  - {name: a, fallback: b}\n  - {name: b, fallback: a}\n')).toEqual([
      'am.yml:3:25: receivers[0].fallback: fallback loop: a -> b -> a',
      'am.yml:4:25: receivers[1].fallback: fallback loop: b -> a -> b',
    ]);
  });

  it('warns about Slack attachment settings vigil has no place for, after checking them', () => {
    const { warnings } = load("route: {receiver: c}\nreceivers:\n  - name: c\n    slack_configs: [{token_env: T, channel: x, color: danger}]\n");
    expect(warnings.map((w) => w.message)).toEqual(['ignored: vigil renders Slack messages with Block Kit, which has no place for color']);
  });
});

describe('inhibit_rules', () => {
  it('merges the legacy maps with the matchers per side', () => {
    const { config } = load(`route: {receiver: a}
receivers: [{name: a}]
inhibit_rules:
  - source_match: {severity: critical}
    source_matchers: [alertname!=Watchdog]
    target_match_re: {severity: warning|info}
    equal: [cluster]
`);
    const rule = config.inhibitRules[0]!;
    expect(rule.sourceMatchers.map(String)).toEqual(['severity="critical"', 'alertname!="Watchdog"']);
    expect(rule.targetMatchers.map(String)).toEqual(['severity=~"^(?:warning|info)$"']);
    expect(rule.equal).toEqual(['cluster']);
  });
});
