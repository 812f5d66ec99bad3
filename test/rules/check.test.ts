import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRules } from '../../rules/check.js';
import { promtoolCheckRules } from './load/promtool.js';
import { formatIssue } from '../../util/yamlreader.js';

const VALID = 'test/rules/testdata/valid';

describe('checkRules', () => {
  it('finds nothing wrong in valid files, and counts what they hold', () => {
    const r = checkRules([`${VALID}/prometheus`, `${VALID}/vigil`]);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.files).toEqual([`${VALID}/prometheus/gpu.yml`, `${VALID}/prometheus/vllm.yml`, `${VALID}/vigil/alert-rules.yml`]);
    expect(r.ruleSet.groups.map((g) => g.name)).toEqual(['gpu', 'vllm-recording', 'vllm-alerts', 'queues', 'alert-rules']);
  });

  it('warns about a recording-rule name that no checked file records, and not once a file records it', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'vigil-check-'));
    writeFileSync(join(cwd, 'alerts.yml'), 'groups:\n- name: a\n  rules:\n  - alert: A\n    expr: ai:requests:rate5m > 10\n');
    writeFileSync(join(cwd, 'records.yml'), 'groups:\n- name: r\n  rules:\n  - record: ai:requests:rate5m\n    expr: sum(rate(vllm:request_success_total[5m]))\n');
    const alone = checkRules(['alerts.yml'], { cwd });
    expect(alone.warnings.map(formatIssue)).toEqual([
      'alerts.yml:5:11: groups[0].rules[0].expr: "ai:requests:rate5m" is named like a recording rule, but no rule file checked here records it',
    ]);
    expect(checkRules(['alerts.yml', 'records.yml'], { cwd }).warnings).toEqual([]);
    expect(checkRules(['alerts.yml'], { cwd, knownRecordings: ['ai:requests:rate5m'] }).warnings).toEqual([]);
  });

  it('warns about duplicate rules as promtool 2.42 lints them (same name and labels in one file)', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'vigil-dup-'));
    writeFileSync(
      join(cwd, 'dup.yml'),
      `groups:
- name: x
  rules:
  - record: a:b:c
    expr: up
  - record: a:b:c
    expr: up
    labels: {}
  - record: a:b:c
    expr: up
    labels: {shard: "2"}
- name: y
  rules:
  - alert: A
    expr: up == 0
  - alert: A
    expr: up == 1
`,
    );
    expect(checkRules(['dup.yml'], { cwd }).warnings.map(formatIssue)).toEqual([
      'dup.yml:6:5: groups[0].rules[1]: duplicate rule: "a:b:c" with the same labels is also defined at line 4; duplicates might cause inconsistency while recording expressions',
      'dup.yml:16:5: groups[1].rules[1]: duplicate rule: "A" with the same labels is also defined at line 14; duplicates might cause inconsistency while recording expressions',
    ]);
    const res = promtoolCheckRules(['dup.yml'], { cwd });
    expect(res.output).toContain('lint error 2 duplicate rule(s) found.');
  });

  it('orders errors and warnings by the order of the files, then by position', () => {
    const r = checkRules(['test/rules/testdata/broken/record-with-for.yml', 'test/rules/testdata/broken/bare-counter.yml', 'test/rules/testdata/broken/group-bad-interval.yml']);
    expect(r.errors.map((e) => `${e.file.split('/').pop()}:${e.line}:${e.column}`)).toEqual([
      'record-with-for.yml:6:14',
      'record-with-for.yml:7:26',
      'bare-counter.yml:13:65',
      'group-bad-interval.yml:3:15',
      'group-bad-interval.yml:4:19',
    ]);
    expect(r.warnings.map((e) => `${e.file.split('/').pop()}:${e.line}`)).toEqual(['bare-counter.yml:5', 'bare-counter.yml:10']);
  });
});
