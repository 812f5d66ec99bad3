import { describe, expect, it } from 'vitest';
import { loadAlertingConfig } from '../../../alerting/config/load.js';
import { parseConfig } from '../../../cli/config.js';
import { DeliveryError, deliveryFromEnv, demoAlertingYaml, demoIntervals, demoVigilYaml } from '../../../cli/demo/config.js';

describe('demoIntervals', () => {
  it('scrapes every 5s up to speed 10, then half a real second apart, at most every minute', () => {
    const scrape = (speed: number) => demoIntervals(speed).scrapeIntervalMs;
    expect([1, 10, 11, 30, 60, 120, 240].map(scrape)).toEqual([5_000, 5_000, 10_000, 15_000, 30_000, 60_000, 60_000]);
    expect(demoIntervals(30)).toEqual({ scrapeIntervalMs: 15_000, scrapeTimeoutMs: 15_000, evaluationIntervalMs: 15_000, walFsyncIntervalMs: 30_000 });
    expect(demoIntervals(1).walFsyncIntervalMs).toBe(1_000);
  });
});

describe('deliveryFromEnv', () => {
  it('is console and outbox only with nothing set, or set to empty', () => {
    expect(deliveryFromEnv({})).toEqual({ slack: undefined, email: undefined });
    expect(deliveryFromEnv({ SLACK_BOT_TOKEN: '', SMTP_SMARTHOST: '' })).toEqual({ slack: undefined, email: undefined });
    expect(deliveryFromEnv({ SLACK_CHANNEL: '#x', SMTP_TO: 'a@example.com' })).toEqual({ slack: undefined, email: undefined });
  });

  it('turns Slack on with a token, and email on with a smarthost, with their defaults', () => {
    expect(deliveryFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SMTP_SMARTHOST: 'mail.local:1025' })).toEqual({
      slack: { channel: '#vigil-demo', apiURL: undefined },
      email: { smarthost: 'mail.local:1025', from: 'vigil-demo@example.com', to: 'oncall@example.com' },
    });
    expect(
      deliveryFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_CHANNEL: '#ops', SLACK_API_URL: 'http://127.0.0.1:9/api/', SMTP_SMARTHOST: '[::1]:25', SMTP_FROM: 'a@example.org', SMTP_TO: 'b@example.org' }),
    ).toEqual({ slack: { channel: '#ops', apiURL: 'http://127.0.0.1:9/api/' }, email: { smarthost: '[::1]:25', from: 'a@example.org', to: 'b@example.org' } });
  });

  it('names the variable whose value it cannot use', () => {
    expect(() => deliveryFromEnv({ SMTP_SMARTHOST: 'mail.local' })).toThrow(new DeliveryError('SMTP_SMARTHOST: expected host:port, such as 127.0.0.1:1025, got "mail.local"'));
    expect(() => deliveryFromEnv({ SMTP_SMARTHOST: ':25' })).toThrow(/SMTP_SMARTHOST: expected host:port/);
    expect(() => deliveryFromEnv({ SLACK_BOT_TOKEN: 't', SLACK_API_URL: 'slack.com/api' })).toThrow(/^SLACK_API_URL: expected an http or https URL, got "slack.com\/api"$/);
  });
});

describe('demoAlertingYaml', () => {
  it('routes everything to the console and the outbox when nothing else is set', () => {
    const { config, warnings } = loadAlertingConfig('/run/demo/alerting.yaml', demoAlertingYaml({ outboxDir: '/run/demo/outbox', delivery: { slack: undefined, email: undefined } }));
    expect(warnings).toEqual([]);
    expect(config.route).toMatchObject({ receiver: 'demo', groupBy: ['alertname', 'namespace', 'model'], groupWait: 10_000, groupInterval: 300_000, repeatInterval: 4 * 3600_000, routes: [] });
    const [demo] = config.receivers;
    expect(config.receivers).toHaveLength(1);
    expect(demo!.console.map((c) => c.sendResolved)).toEqual([true]);
    expect(demo!.outbox).toMatchObject([{ directory: '/run/demo/outbox', sendResolved: true, to: 'oncall@example.com', from: 'vigil-demo@example.com' }]);
    expect([demo!.slack, demo!.email, demo!.webhook]).toEqual([[], [], []]);
  });

  it('adds Slack (token from the environment) and email when they are configured', () => {
    const delivery = deliveryFromEnv({ SLACK_BOT_TOKEN: 'xoxb-secret', SLACK_API_URL: 'http://127.0.0.1:9/api/', SMTP_SMARTHOST: '127.0.0.1:2525', SMTP_TO: 'ml@example.org' });
    const text = demoAlertingYaml({ outboxDir: '/run/demo/out box "1"', delivery });
    expect(text).not.toContain('xoxb-secret');
    const { config } = loadAlertingConfig('/run/demo/alerting.yaml', text);
    const [demo] = config.receivers;
    expect(demo!.outbox[0]).toMatchObject({ directory: '/run/demo/out box "1"', to: 'ml@example.org' });
    expect(demo!.slack).toMatchObject([{ channel: '#vigil-demo', apiURL: 'http://127.0.0.1:9/api/', token: { env: 'SLACK_BOT_TOKEN' } }]);
    expect(demo!.email).toMatchObject([{ to: 'ml@example.org', from: 'vigil-demo@example.com', smarthost: { host: '127.0.0.1', port: 2525 }, requireTLS: false, sendResolved: true }]);
  });
});

describe('demoVigilYaml', () => {
  it('is a vigil.yaml scraping the simulator’s targets with the demo’s intervals, rules and alerting config', () => {
    const text = demoVigilYaml({
      targets: [
        { job: 'vllm', url: 'http://127.0.0.1:4000/vllm/llama-3-70b/v1/metrics', labels: { instance: 'vllm-0:8000', namespace: 'inference', model: 'llama-3-70b', version: 'v1' } },
        { job: 'dcgm', url: 'http://127.0.0.1:4000/dcgm/gpu-node-a/metrics', labels: { instance: 'gpu-node-a:9400', node: 'gpu-node-a' } },
      ],
      intervals: demoIntervals(60),
      ruleFiles: ['/packs/sources/vllm.yaml', '/packs/ai-platform/bad-rollout.yaml'],
      alertingFile: '/run/demo/alerting.yaml',
      storagePath: '/run/demo/tsdb',
      listenAddress: '127.0.0.1:0',
    });
    const config = parseConfig('/run/demo/vigil.yaml', text);
    expect(config.global).toMatchObject({ scrapeIntervalMs: 30_000, scrapeTimeoutMs: 30_000, evaluationIntervalMs: 30_000 });
    expect(config.ruleFiles).toEqual(['/packs/sources/vllm.yaml', '/packs/ai-platform/bad-rollout.yaml']);
    expect(config.alertingConfigFile).toBe('/run/demo/alerting.yaml');
    expect(config.storage).toEqual({ path: '/run/demo/tsdb', retentionMs: 15 * 24 * 3600_000, walFsyncIntervalMs: 60_000 });
    expect(config.server.listenAddress).toBe('127.0.0.1:0');
    expect(config.scrapeConfigs.map((c) => c.jobName)).toEqual(['vllm', 'dcgm']);
    expect(config.scrapeConfigs[0]!.scrapeIntervalMs).toBe(30_000);
  });
});
