import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sourcePackDir, sourcePackPaths } from '../../rules/packs/index.js';

/** DemoRules are the rule files the demo evaluates, by kind. */
export interface DemoRules {
  /** sources: every source pack (rules/packs/sources/), mapping exporters onto the ai: vocabulary. */
  readonly sources: readonly string[];
  /** aiPlatform: the ai-platform pack's files (SLOs and alerts per failure mode), possibly none. */
  readonly aiPlatform: readonly string[];
}

/**
 * demoRuleFiles lists the rule files the demo loads: the source packs, then every `*.yaml` in
 * rules/packs/ai-platform/ but `*.test.yaml`, as the directory is when called (sorted by name),
 * so the demo evaluates whatever the pack holds at start, and still runs, without alerts, from a
 * checkout that has none.
 */
export function demoRuleFiles(): DemoRules {
  const dir = join(dirname(sourcePackDir()), 'ai-platform');
  const aiPlatform = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'))
        .sort()
        .map((f) => join(dir, f))
    : [];
  return { sources: sourcePackPaths(), aiPlatform };
}

/**
 * examplePath is a path under the checkout's examples/ (default scenarios live there): from the
 * compiled dist/cli/demo/ and from the sources alike, examples/ sits next to rules/packs/.
 */
export function examplePath(...parts: string[]): string {
  return join(dirname(dirname(dirname(sourcePackDir()))), 'examples', ...parts);
}
