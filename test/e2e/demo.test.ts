import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { startSlackFake, type SlackFake } from '../support/slack-fake.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { ROLLOUT_FROM_THE_START } from '../support/scenarios.js';
import { waitFor } from '../support/wait.js';

// `vigil demo` as a child process (the compiled build) at 60x, on a scenario that is a bad rollout
// from the first second: the page of rules/packs/ai-platform/bad-rollout.yaml
// (ModelVersionErrorRegression, llama-3-70b v2) reaches the Slack Web API fake, the SMTP sink
// (smtp-server 3.21), the outbox and the console; SIGTERM stops the demo with exit 0.

const MAIN = resolve('dist/cli/main.js');
const ALERT = 'ModelVersionErrorRegression';
const dir = mkdtempSync(join(tmpdir(), 'vigil-demo-e2e-'));
let slack: SlackFake | undefined;
let smtp: SmtpSink | undefined;
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await slack?.close();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('vigil demo', () => {
  it('delivers the bad-rollout page to Slack, email, the outbox and the console, and stops on SIGTERM with exit 0', async () => {
    slack = await startSlackFake({ channels: ['vigil-demo'] });
    smtp = await SmtpSink.start();
    const scenario = join(dir, 'rollout.yaml');
    writeFileSync(scenario, ROLLOUT_FROM_THE_START);
    const data = join(dir, 'run');
    const started = Date.now();
    child = spawn(process.execPath, [MAIN, 'demo', '--scenario', scenario, '--speed', '60', '--listen', '127.0.0.1:0', '--data', data], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        SLACK_BOT_TOKEN: slack.token,
        SLACK_API_URL: slack.url,
        SLACK_CHANNEL: '#vigil-demo',
        SMTP_SMARTHOST: `127.0.0.1:${smtp.port}`,
        SMTP_TO: 'ml-oncall@example.com',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | string>((r) => child!.once('exit', (code, signal) => r(code ?? signal ?? 'unknown')));
    const context = () => `stdout:\n${stdout}\nstderr:\n${stderr}`;

    const url = await waitFor('the endpoints', 20_000, () => /query API +(http:\/\/\S+)\/api\/v1\/query/.exec(stdout)?.[1], context);
    expect(stdout).toContain(`  slack      #vigil-demo via ${slack.url}\n`);
    expect(stdout).toContain(`  email      to ml-oncall@example.com via 127.0.0.1:${smtp.port}\n`);
    expect(stdout).toMatch(/rules +9 source packs and the ai-platform pack \(\d+ files\)/);
    // The phase line is a write of its own after the header: it may come in the pipe's next chunk.
    await waitFor('the first phase line', 10_000, () => /\d\d:\d\d:\d\dZ phase 1\/1 bad-rollout \(\+0s\)\n/.test(stdout) || undefined, context);
    expect((await fetch(`${url}/-/ready`)).status).toBe(200);

    // Slack: the page is posted to the channel with the alert's name and model.
    const posted = await waitFor('the page on Slack', 45_000, () => slack!.messages('#vigil-demo').find((m) => JSON.stringify(m).includes(ALERT)), context);
    const message = JSON.stringify(posted);
    expect(message).toContain('llama-3-70b');
    expect(message).toContain('v2');
    expect(slack.requestsTo('chat.postMessage')[0]!.authorization).toBe(`Bearer ${slack.token}`);

    // Email: the same page, with Alertmanager's subject, to SMTP_TO.
    const mail = await waitFor('the page by email', 15_000, () => smtp!.messages.find((m) => m.mail.subject?.includes(ALERT)), context);
    expect(mail.mail.subject).toMatch(new RegExp(`^\\[FIRING:1\\] ${ALERT} llama-3-70b inference `));
    expect(mail.envelope.to).toEqual(['ml-oncall@example.com']);

    // The outbox holds the same mail as a file, and the console printed the page.
    const eml = readdirSync(join(data, 'outbox')).find((f) => f.includes(`-firing-${ALERT}-`));
    expect(eml, readdirSync(join(data, 'outbox')).join('\n')).toBeDefined();
    const written = await simpleParser(readFileSync(join(data, 'outbox', eml!)));
    expect(written.subject).toBe(mail.mail.subject);
    expect(stdout).toMatch(new RegExp(`FIRING \\[demo\\] ${ALERT}\\{model="llama-3-70b",namespace="inference",severity="page",team="ml-serving",version="v2"\\}`));

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('vigil demo: SIGTERM: stopping');
    expect(stderr).toContain(`vigil demo: stopped; the run's data, config and outbox stay in ${data}`);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
