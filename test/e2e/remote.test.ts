import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../cli/config.js';
import { scaledClock } from '../../cli/demo/clock.js';
import { demoRuleFiles } from '../../cli/demo/packs.js';
import { isolatedTelemetry } from '../../cli/telemetry.js';
import { startVigil, type Vigil } from '../../cli/vigil.js';
import { loadScenario } from '../../collectors/simulate/scenario.js';
import { scrapeConfigYaml, startSimulator, type Simulator } from '../../collectors/simulate/server.js';
import { nopLogger } from '../../util/log.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { startSlackFake, type SlackFake } from '../support/slack-fake.js';
import { startStampingProxy, type StampingProxy } from '../support/stamping-proxy.js';
import { ROLLOUT_FROM_THE_START } from '../support/scenarios.js';
import { waitFor } from '../support/wait.js';

// Remote mode end to end: a real Prometheus 2.42 (Debian package) scrapes the simulated platform
// (a bad rollout from the first second), vigil runs with storage.remote and no embedded store,
// evaluates the default rule pack (source packs + ai-platform) through Prometheus's query API,
// remote-writes what the rules record back into Prometheus, and pages the Slack Web API fake.
// Then Prometheus stops: the failed evaluations show in vigil's telemetry and on the rule, and the
// rule keeps the page firing instead of resolving it. Everything runs on one clock at 60x (scenario time): the
// simulator, the stamps on the samples Prometheus stores, vigil's rules and alerting.

const SPEED = 60;
const ALERT = 'ModelVersionErrorRegression';

const dir = mkdtempSync(join(tmpdir(), 'vigil-remote-e2e-'));
let prom: PrometheusServer | undefined;
let sim: Simulator | undefined;
let proxy: StampingProxy | undefined;
let slack: SlackFake | undefined;
let vigil: Vigil | undefined;
const savedToken = process.env['SLACK_BOT_TOKEN'];

afterAll(async () => {
  await vigil?.close();
  await prom?.stop();
  await proxy?.close();
  await sim?.close();
  await slack?.close();
  if (savedToken === undefined) delete process.env['SLACK_BOT_TOKEN'];
  else process.env['SLACK_BOT_TOKEN'] = savedToken;
  rmSync(dir, { recursive: true, force: true });
});

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${vigil!.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name + '{') || line.startsWith(name + ' ')) sum += Number(line.split(' ').at(-1));
  return sum;
}

interface ApiAlert {
  labels: Record<string, string>;
  state: string;
}

async function firing(): Promise<ApiAlert[]> {
  const body = (await (await fetch(`${vigil!.url}/api/v1/alerts`)).json()) as { data: { alerts: ApiAlert[] } };
  return body.data.alerts.filter((a) => a.labels['alertname'] === ALERT && a.state === 'firing');
}

describe('vigil with storage.remote against Prometheus 2.42', () => {
  it('pages from the default pack through the remote API, and keeps the page while Prometheus is down', async () => {
    // The scenario starts 55 minutes ago, so its time stays behind Prometheus's wall clock (its own
    // `up` series): everything stamped in scenario time is in order and in the head's bounds.
    const clock = scaledClock(SPEED, Date.now() - 55 * 60_000);
    const scenarioFile = join(dir, 'rollout.yaml');
    writeFileSync(scenarioFile, ROLLOUT_FROM_THE_START);
    sim = await startSimulator({ scenario: await loadScenario(scenarioFile), clock });
    proxy = await startStampingProxy(sim.url, clock);
    const targets = sim.targets.map((t) => ({ ...t, url: proxy!.url + new URL(t.url).pathname }));
    prom = await startPrometheus(`global:\n  scrape_interval: 500ms\n  scrape_timeout: 400ms\n${scrapeConfigYaml(targets)}`, {
      args: ['--web.enable-remote-write-receiver'],
    });

    slack = await startSlackFake({ channels: ['alerts'] });
    process.env['SLACK_BOT_TOKEN'] = slack.token;
    const { sources, aiPlatform } = demoRuleFiles();
    writeFileSync(
      join(dir, 'alerting.yaml'),
      `route:
  receiver: oncall
  group_by: [alertname, namespace, model]
  group_wait: 10s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: oncall
    slack_configs:
      - channel: '#alerts'
        token_env: SLACK_BOT_TOKEN
        api_url: ${JSON.stringify(slack.url)}
        send_resolved: true
`,
    );
    writeFileSync(
      join(dir, 'vigil.yaml'),
      `global:
  evaluation_interval: 30s
rule_files: ${JSON.stringify([...sources, ...aiPlatform])}
alerting:
  config_file: alerting.yaml
storage:
  remote:
    url: ${prom.url}
    write_url: ${prom.url}/api/v1/write
    timeout: 30s
    retries: 2
    path: state
`,
    );
    vigil = await startVigil({ config: loadConfig(join(dir, 'vigil.yaml')), logger: nopLogger, telemetry: isolatedTelemetry(), clock, listenAddress: '127.0.0.1:0' });
    expect(vigil.db).toBeUndefined();

    // The page reaches Slack: the rules ran on Prometheus's data, recording rules included.
    const page = await waitFor('the page on Slack', 90_000, () => slack!.messages('#alerts').find((m) => JSON.stringify(m).includes(ALERT)));
    expect(JSON.stringify(page)).toContain('llama-3-70b');
    expect(JSON.stringify(page)).toContain('v2');
    expect(JSON.stringify(page)).toContain('FIRING');
    // What vigil recorded was remote-written: Prometheus holds the vocabulary and ALERTS.
    const recorded = await prom.api<{ result: unknown[] }>('/api/v1/query', { query: 'ai:requests:rate5m', time: String(clock.now() / 1000) });
    expect(recorded.result.length).toBeGreaterThan(0);
    const alerts = await prom.api<{ result: { metric: Record<string, string> }[] }>('/api/v1/query', {
      query: `ALERTS{alertname="${ALERT}",alertstate="firing"}`,
      time: String(clock.now() / 1000),
    });
    expect(alerts.result.map((r) => r.metric['version'])).toEqual(['v2']);
    // No samples were stored locally: the data directory holds alerting state only.
    expect(existsSync(join(dir, 'state', 'wal'))).toBe(false);
    expect(existsSync(join(dir, 'state', 'alerting.db'))).toBe(true);
    expect(await metric('vigil_rule_evaluation_failures_total')).toBe(0);

    // Prometheus goes away.
    await prom.stop();
    prom = undefined;
    await waitFor('failed evaluations in telemetry', 30_000, async () => ((await metric('vigil_rule_evaluation_failures_total')) > 0 ? true : undefined));
    // Twenty scenario minutes of outage: far past the alert's endsAt (4 evaluation intervals).
    await clock.sleep(20 * 60_000);
    const failures = await metric('vigil_rule_evaluation_failures_total');
    expect(failures).toBeGreaterThan(100);
    const rules = (await (await fetch(`${vigil.url}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] };
    };
    const rule = rules.data.groups.flatMap((g) => g.rules).find((r) => r.name === ALERT)!;
    expect(rule.health).toBe('err');
    expect(rule.lastError).toMatch(/ECONNREFUSED/);
    // The rule keeps its alert state: the page is still firing in vigil, not resolved by the outage.
    expect((await firing()).map((a) => a.labels['version'])).toEqual(['v2']);
    expect(slack.messages('#alerts').filter((m) => JSON.stringify(m).includes(ALERT))).toHaveLength(1);
    // ... and on Slack: the rule kept sending its alert, so the router never resolved the page
    // (no message edited to RESOLVED, no resolution in its thread).
    const onSlack = slack.messages('#alerts').find((m) => JSON.stringify(m).includes(ALERT))!;
    expect(JSON.stringify(onSlack)).toContain('FIRING');
    expect(JSON.stringify(onSlack)).not.toContain('RESOLVED');
    expect(slack.requestsTo('chat.update').filter((r) => JSON.stringify(r.args).includes(ALERT))).toEqual([]);
  }, 180_000);
});
