import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRuleFiles } from '../../../rules/load/loader.js';
import { promtoolCheckRules } from './promtool.js';

// promtool 2.42 (Debian package prometheus) is the oracle for Prometheus's rule-file format.
const VALID = 'test/rules/testdata/valid/prometheus';
const BROKEN = 'test/rules/testdata/broken';

/** Prometheus-format broken files (no apiVersion) that promtool must reject too. */
const brokenPrometheusFiles = readdirSync(BROKEN)
  .filter((f) => f.endsWith('.yml') && !/^apiVersion:/m.test(readFileSync(join(BROKEN, f), 'utf8')))
  .sort();

/**
 * vigil is stricter than promtool on purpose here: Prometheus parses a rule's expression without
 * checking its type and fails only at evaluation ("rule result is not a vector or scalar").
 */
const VIGIL_STRICTER = ['promql-range-vector.yml', 'promql-string.yml'];

describe('promtool agrees with vigil', () => {
  it.each(readdirSync(VALID).sort())('accepts %s with as many rules as vigil loads', (name) => {
    const path = join(VALID, name);
    const mine = checkRuleFiles([path]);
    expect(mine.errors).toEqual([]);
    const rules = mine.ruleSet.groups.reduce((n, g) => n + g.rules.length, 0);
    const res = promtoolCheckRules([path]);
    expect(res.code, res.output).toBe(0);
    expect(res.rulesFound).toBe(rules);
  });

  it('rejects Prometheus 3 group fields that vigil reads (promtool 2.42 predates them)', () => {
    const path = 'test/rules/testdata/valid/prometheus3/queue.yml';
    expect(checkRuleFiles([path]).errors).toEqual([]);
    const res = promtoolCheckRules([path]);
    expect(res.code).toBe(1);
    expect(res.output).toContain('field query_offset not found in type rulefmt.RuleGroup');
    expect(res.output).toContain('field labels not found in type rulefmt.RuleGroup');
  });

  it('covers the Prometheus-format part of the broken corpus', () => {
    expect(brokenPrometheusFiles.length).toBeGreaterThanOrEqual(30);
  });

  it.each(brokenPrometheusFiles)('%s: promtool and vigil reject it alike', (name) => {
    const path = join(BROKEN, name);
    const mine = checkRuleFiles([path]);
    const res = promtoolCheckRules([path]);
    if (VIGIL_STRICTER.includes(name)) {
      expect(res.code).toBe(0);
      expect(mine.errors.every((e) => e.message.startsWith('rule result is not a vector or scalar'))).toBe(true);
      return;
    }
    expect(mine.errors.length).toBeGreaterThan(0);
    expect(res.code, res.output).toBe(1);
    // Where both name the same fault, they say it the same way: template errors word for word,
    // PromQL errors at the same line:column inside the expression.
    const theirs = (re: RegExp): string[] => [...res.output.matchAll(re)].map((m) => m[1]!).sort();
    const ours = (re: RegExp): string[] => mine.errors.flatMap((e) => [...e.message.matchAll(re)].map((m) => m[1]!)).sort();
    const template = /((?:annotation|label) "[^"]+": template: .*)$/gm;
    expect(ours(template)).toEqual(theirs(template));
    const promql = /could not parse expression: (\d+:\d+): /g;
    expect(ours(promql)).toEqual(theirs(promql));
  });
});

describe('promtoolCheckRules', () => {
  it('fails when promtool loads no rule, though promtool says SUCCESS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-promtool-'));
    writeFileSync(join(dir, 'empty.yml'), 'groups: []\n');
    expect(() => promtoolCheckRules(['empty.yml'], { cwd: dir })).toThrow('promtool loaded 0 rules');
  });

  it('sums the rules found over several files', () => {
    expect(promtoolCheckRules(readdirSync(VALID).map((f) => join(VALID, f))).rulesFound).toBe(9);
  });
});
