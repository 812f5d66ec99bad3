import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAlertingConfig } from '../../../alerting/config/load.js';
import { buildRouteTree } from '../../../alerting/route/route.js';
import { parseLabelArgs } from '../../../alerting/route/routetest.js';
import { formatRouteTree } from '../../../alerting/route/tree.js';
import { vigilCli } from '../../support/cli.js';
import { mulberry32 } from '../../support/prng.js';
import { amtool, mapPool } from './amtool.js';
import { labelSets } from './labelsets.js';

// The oracle is amtool 0.25 (Debian package prometheus-alertmanager), which routes offline with
// `amtool config routes test --config.file=F labels...`: vigil route-test must print exactly
// what it prints on standard output, and exit with the same code.
const FIXTURES = 'test/alerting/fixtures/routing';
const CONFIGS = readdirSync(FIXTURES).filter((f) => f.endsWith('.yml')).sort();
const PER_CONFIG = 100;
const AMTOOL_PROCESSES = 3;

interface Case {
  readonly flags: string[];
  readonly labels: string[];
}

function load(file: string) {
  return loadAlertingConfig(file, readFileSync(file, 'utf8')).config;
}

/**
 * cases draws one config's label sets. One in ten also asks for --tree; one in ten passes
 * --verify.receivers, half the time with the list vigil computes and half with one receiver
 * name, so that both the match and the mismatch paths are judged by amtool.
 */
function cases(file: string, seed: number): Case[] {
  const config = load(file);
  const root = buildRouteTree(config);
  const names = config.receivers.map((r) => r.name);
  const rnd = mulberry32(seed ^ 0x5eed);
  return labelSets(config.route, PER_CONFIG, seed).map((labels, i) => {
    if (i % 10 === 3) return { flags: ['--tree'], labels };
    if (i % 10 === 7) {
      const computed = root.match(parseLabelArgs(labels)).map((r) => r.opts.receiver).join(',');
      const expected = rnd() < 0.5 ? computed : names[Math.floor(rnd() * names.length)]!;
      return { flags: [`--verify.receivers=${expected}`], labels };
    }
    return { flags: [], labels };
  });
}

function seedOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

describe('vigil route-test agrees with amtool 0.25 config routes test', () => {
  it('covers at least 10 configs and 1,000 label sets', () => {
    expect(CONFIGS.length).toBeGreaterThanOrEqual(10);
    expect(CONFIGS.length * PER_CONFIG).toBeGreaterThanOrEqual(1000);
  });

  it.each(CONFIGS)('%s: the routing tree prints as amtool config routes show prints it', async (name) => {
    const file = join(FIXTURES, name);
    const theirs = await amtool(['config', 'routes', 'show', `--config.file=${file}`]);
    expect(theirs.code).toBe(0);
    expect(`Routing tree:\n${formatRouteTree(buildRouteTree(load(file)))}\n`).toBe(theirs.stdout);
  });

  it.each(CONFIGS)(`%s: ${PER_CONFIG} generated label sets route to the same receivers, in order, duplicates kept`, async (name) => {
    const file = join(FIXTURES, name);
    const all = cases(file, seedOf(name));
    const theirs = await mapPool(all, AMTOOL_PROCESSES, (c) => amtool(['config', 'routes', 'test', `--config.file=${file}`, ...c.flags, ...c.labels]));
    const mismatches: unknown[] = [];
    for (const [i, c] of all.entries()) {
      const ours = await vigilCli(['route-test', '--config', file, ...c.flags, ...c.labels]);
      const amt = theirs[i]!;
      if (ours.stdout !== amt.stdout || ours.code !== amt.code) {
        mismatches.push({ args: [...c.flags, ...c.labels], amtool: { stdout: amt.stdout, code: amt.code }, vigil: { stdout: ours.stdout, code: ours.code } });
      }
    }
    expect(mismatches).toEqual([]);
    // The corpus must reach past the root and exercise both verify outcomes to prove anything.
    const rootLine = `${load(file).route.receiver}\n`;
    expect(theirs.filter((t) => t.stdout === rootLine).length).toBeLessThan(all.length * 0.8);
    expect(new Set(theirs.map((t) => t.code))).toEqual(new Set([0, 1]));
  });
});
