import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAlertingConfig } from '../../../alerting/config/load.js';
import { amtool } from '../route/amtool.js';

// The oracle is `amtool check-config` 0.25 (Debian package prometheus-alertmanager): vigil's
// loader accepts what it accepts and rejects what it rejects. Each invalid fixture says, in its
// header, amtool's reason (`# amtool: ...`, so amtool is known to fail for the intended reason)
// and vigil's (`# vigil: LINE:COLUMN message`).
const ROUTING = 'test/alerting/fixtures/routing';
const INVALID = join(ROUTING, 'invalid');
const DIVERGENT = join(ROUTING, 'divergent');
const ymls = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();

async function amtoolCheck(file: string): Promise<{ ok: boolean; output: string }> {
  const r = await amtool(['check-config', file]);
  const output = r.stdout + r.stderr;
  if (!output.includes(`Checking '${file}'`)) throw new Error(`amtool did not check ${file}:\n${output}`);
  return { ok: r.code === 0 && output.includes('SUCCESS'), output };
}

function header(file: string, key: 'amtool' | 'vigil'): string {
  const line = readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`# ${key}: `));
  if (line === undefined) throw new Error(`${file} has no "# ${key}:" line`);
  return line.slice(key.length + 4);
}

describe('amtool check-config and vigil agree on what is a valid Alertmanager configuration', () => {
  it.each(ymls(ROUTING))('both accept %s', async (name) => {
    const file = join(ROUTING, name);
    const theirs = await amtoolCheck(file);
    expect(theirs.ok, theirs.output).toBe(true);
    const ours = checkAlertingConfig(file, readFileSync(file, 'utf8'));
    expect(ours.errors).toEqual([]);
    expect(ours.warnings).toEqual([]);
  });

  it('has at least 15 invalid configs', () => {
    expect(ymls(INVALID).length).toBeGreaterThanOrEqual(15);
  });

  it.each(ymls(INVALID))('both reject %s, vigil with the position', async (name) => {
    const file = join(INVALID, name);
    const theirs = await amtoolCheck(file);
    expect(theirs.ok).toBe(false);
    expect(theirs.output).toContain(header(file, 'amtool'));
    const ours = checkAlertingConfig(file, readFileSync(file, 'utf8'));
    expect(ours.config).toBeUndefined();
    expect(ours.errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([header(file, 'vigil')]);
  });
});

describe('where vigil and amtool 0.25 differ on purpose', () => {
  it("vigil reads its own keys, which amtool's strict YAML refuses", async () => {
    const file = join(DIVERGENT, 'vigil-only-keys.yml');
    const theirs = await amtoolCheck(file);
    expect(theirs.ok).toBe(false);
    expect(theirs.output).toContain('field external_url not found');
    const ours = checkAlertingConfig(file, readFileSync(file, 'utf8'));
    expect(ours.errors).toEqual([]);
    expect(ours.config!.receivers.map((r) => [r.name, r.fallback])).toEqual([
      ['slack', 'mail'],
      ['mail', 'console'],
      ['console', undefined],
    ]);
  });

  it.each([
    ['pagerduty.yml', 'pagerduty_configs is not supported by vigil'],
    ['slack-incoming-webhook.yml', 'Slack incoming webhooks are not supported by vigil'],
  ])('vigil refuses %s, which amtool accepts, naming what it does not support', async (name, message) => {
    const file = join(DIVERGENT, name);
    expect((await amtoolCheck(file)).ok).toBe(true);
    const ours = checkAlertingConfig(file, readFileSync(file, 'utf8'));
    expect(ours.errors.map((e) => e.message)).toContainEqual(expect.stringContaining(message));
    expect(JSON.stringify(ours.errors)).not.toContain('SECRET');
  });
});
