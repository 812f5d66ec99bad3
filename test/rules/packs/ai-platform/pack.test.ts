import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseExpr } from '../../../../promql/parse.js';
import { loadRuleFiles } from '../../../../rules/load/loader.js';
import type { AlertingRule } from '../../../../rules/model.js';
import { sourcePackPaths } from '../../../../rules/packs/index.js';
import { loadRuleGroups } from '../../../../rules/unittest/load.js';
import { vigilCli } from '../../../support/cli.js';
import { checkRules, promtoolVersion, testRules } from '../../output/promtool.js';

// The default AI-platform pack (rules/packs/ai-platform/) and its runbooks (docs/runbooks/):
// it loads in vigil check without a problem next to the source packs whose ai: series it reads,
// compiles to rule files promtool accepts, every alert carries the labels and annotations
// on-call needs and a runbook link that resolves, and every alert has a unit test that fires it
// at the time its description promises, not a minute earlier, and keeps it quiet just short of
// its threshold: the same files pass on vigil's engine and on promtool 2.42 (which runs the
// compiled pack, put where the test files' rule_files point).

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const packDir = join(root, 'rules', 'packs', 'ai-platform');
const runbookDir = join(root, 'docs', 'runbooks');
const testDir = fileURLToPath(new URL('.', import.meta.url));
const packFiles = readdirSync(packDir).filter((f) => f.endsWith('.yaml')).sort();
const packPaths = packFiles.map((f) => join(packDir, f));
const testFiles = readdirSync(testDir).filter((f) => f.endsWith('.test.yml')).sort();

const RUNBOOK_BASE = 'https://github.com/vigil/vigil/blob/main/docs/runbooks/';
const RUNBOOKS = ['gpu-starvation.md', 'bad-rollout.md', 'queue-overload.md', 'cost-runaway.md', 'observability-gap.md', 'gpu-health.md', 'slo-burn.md'];
const SECTIONS = ['What fired', 'What it means', 'How to confirm', 'What to do', 'How to tune'];

/** The pack's alerting rules as vigil runs them: AlertRule documents and the compiled SLOs' alerts. */
const alerts: AlertingRule[] = loadRuleGroups(packPaths).groups.flatMap((g) => g.rules.filter((r): r is AlertingRule => r.kind === 'alerting'));
/** The AlertRule documents alone (not SLO output), by name. */
const alertRules: AlertingRule[] = loadRuleFiles(packPaths).ruleSet.groups.flatMap((g) => g.rules.filter((r): r is AlertingRule => r.kind === 'alerting'));

/** slug is the anchor GitHub gives a Markdown heading. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function headings(markdown: string): string[] {
  return [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1]!);
}

interface AlertAssertion {
  readonly group: string;
  readonly alertname: string;
  readonly evalMinutes: number;
  readonly firing: boolean;
}

/** assertions lists every alert_rule_test of every test file. */
function assertions(): AlertAssertion[] {
  const out: AlertAssertion[] = [];
  for (const f of testFiles) {
    const doc = parse(readFileSync(join(testDir, f), 'utf8')) as {
      tests: { name: string; alert_rule_test?: { eval_time: string; alertname: string; exp_alerts: unknown[] }[] }[];
    };
    for (const t of doc.tests) {
      for (const a of t.alert_rule_test ?? []) {
        const m = /^(\d+)m$/.exec(a.eval_time);
        if (m === null) throw new Error(`${f}: eval_time ${a.eval_time} is not in whole minutes`);
        out.push({ group: `${f}: ${t.name}`, alertname: a.alertname, evalMinutes: Number(m[1]), firing: a.exp_alerts.length > 0 });
      }
    }
  }
  return out;
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vigil-ai-platform-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * promtoolTree lays out a checkout for promtool: the compiled pack where the test files'
 * rule_files (../../../../rules/packs/ai-platform/<name>.yaml) point, and the test files.
 */
async function promtoolTree(name: string, pack: readonly string[], tests: Record<string, string>): Promise<string> {
  const tree = join(work, name);
  const compiled = join(tree, 'compiled');
  const res = await vigilCli(['compile', '--out', compiled, ...pack]);
  expect(res.code, res.stderr).toBe(0);
  const rules = join(tree, 'rules', 'packs', 'ai-platform');
  const tdir = join(tree, 'test', 'rules', 'packs', 'ai-platform');
  mkdirSync(rules, { recursive: true });
  mkdirSync(tdir, { recursive: true });
  for (const f of readdirSync(compiled)) copyFileSync(join(compiled, f), join(rules, f.replace(/\.rules\.yml$/, '.yaml')));
  for (const [f, text] of Object.entries(tests)) writeFileSync(join(tdir, f), text);
  return tdir;
}

describe('ai-platform pack', () => {
  it('vigil check: no errors and no warnings next to the source packs it reads', async () => {
    const res = await vigilCli(['check', '--json', ...sourcePackPaths(), packDir]);
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout) as { errors: unknown[]; warnings: unknown[] };
    expect(report).toEqual({ errors: [], warnings: [] });
    expect(res.stderr).toMatch(/4 SLOs; 0 errors, 0 warnings\n$/);
  });

  it('vigil check of the pack alone: no errors, and warnings only for ai: series the source packs record', async () => {
    const res = await vigilCli(['check', '--json', packDir]);
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout) as { errors: unknown[]; warnings: { message: string }[] };
    expect(report.errors).toEqual([]);
    const recorded = new Set(
      loadRuleFiles(sourcePackPaths()).ruleSet.groups.flatMap((g) => g.rules.flatMap((r) => (r.kind === 'recording' ? [r.record] : []))),
    );
    for (const w of report.warnings) {
      const m = /^"(ai:[^"]+)" is named like a recording rule, but no rule file checked here records it$/.exec(w.message);
      expect(m, w.message).not.toBeNull();
      expect(recorded.has(m![1]!), m![1]).toBe(true);
    }
  });

  it('holds the four SLOs and sixteen alert rules of the failure modes', () => {
    expect(packFiles).toEqual(['bad-rollout.yaml', 'cost-runaway.yaml', 'gpu-health.yaml', 'gpu-starvation.yaml', 'observability-gap.yaml', 'queue-overload.yaml', 'slos.yaml']);
    expect(loadRuleFiles(packPaths).ruleSet.slos.map((s) => `${s.service}/${s.name}`)).toEqual([
      'ai-inference/availability',
      'ai-inference/latency',
      'ai-inference/time-to-first-token',
      'ai-queues/freshness',
    ]);
    expect(alertRules.map((r) => r.alert)).toEqual([
      'ModelVersionErrorRegression',
      'ModelVersionLatencyRegression',
      'GPUAllocationRunaway',
      'InferenceRequestRateRunaway',
      'GPUMonthlyBudgetForecast',
      'GPUXidErrorCritical',
      'GPUXidError',
      'GPUTemperatureHigh',
      'GPUMemoryPressure',
      'GPUPodsPending',
      'GPUPoolSaturated',
      'GPUQuotaNearlyExhausted',
      'SLOBurnWithoutHealthSignal',
      'QueueBacklogGrowing',
      'QueueOldestMessageTooOld',
      'QueueNoConsumers',
    ]);
  });

  it('every alert has a severity (page, ticket or info), a team, a summary, a description and a runbook link that resolves', () => {
    expect(alerts.length).toBeGreaterThan(alertRules.length);
    for (const a of alerts) {
      const what = `${a.alert} ${JSON.stringify(a.labels)}`;
      expect(['page', 'ticket', 'info'], what).toContain(a.labels['severity']);
      expect(a.labels['team'], what).toMatch(/^[a-z-]+$|^\{\{ \$labels\.team \}\}$/);
      expect(a.annotations['summary'], what).toMatch(/\S/);
      expect(a.annotations['description'], what).toMatch(/\S/);
      const url = a.annotations['runbook_url'] ?? '';
      const m = /^https:\/\/github\.com\/vigil\/vigil\/blob\/main\/docs\/runbooks\/([a-z-]+\.md)#([a-z0-9-]+)$/.exec(url);
      expect(m, `${what}: ${url} is under ${RUNBOOK_BASE}`).not.toBeNull();
      const page = join(runbookDir, m![1]!);
      expect(existsSync(page), `${what}: ${page}`).toBe(true);
      expect(headings(readFileSync(page, 'utf8')).map(slug), `${what}: #${m![2]} in ${m![1]}`).toContain(m![2]);
    }
  });

  it('every alert rule waits a `for` and its description promises when it fires, in minutes after the onset, matching the `for`', () => {
    for (const a of alertRules) {
      expect(a.forMs, a.alert).toBeGreaterThan(0);
      const m = /This alert fires (\d+) to (\d+) minutes? after /.exec(a.annotations['description'] ?? '');
      expect(m, `${a.alert}: description promises a detection time`).not.toBeNull();
      expect(Number(m![1]) * 60_000, a.alert).toBe(a.forMs);
      expect(Number(m![2]), a.alert).toBe(Number(m![1]) + 1);
    }
  });

  it(`vigil compile writes Prometheus rule files that promtool ${promtoolVersion()} check rules accepts`, async () => {
    const out = join(work, 'compiled');
    const res = await vigilCli(['compile', '--out', out, packDir]);
    expect(res.code, res.stderr).toBe(0);
    const compiled = readdirSync(out).sort();
    expect(compiled).toEqual(packFiles.map((f) => `${basename(f, '.yaml')}.rules.yml`));
    checkRules(compiled.map((f) => join(out, f)));
    // The compiled alerts are the loaded ones, names and labels alike.
    const back = loadRuleGroups(compiled.map((f) => join(out, f))).groups.flatMap((g) => g.rules.filter((r): r is AlertingRule => r.kind === 'alerting'));
    expect(back.map((r) => [r.alert, r.labels, r.forMs])).toEqual(alerts.map((r) => [r.alert, r.labels, r.forMs]));
  });
});

describe('ai-platform unit tests', () => {
  it('every test file is named after a pack file and reads it', () => {
    expect(testFiles.map((f) => f.replace('.test.yml', '.yaml'))).toEqual(packFiles);
    for (const f of testFiles) {
      const doc = parse(readFileSync(join(testDir, f), 'utf8')) as { rule_files: string[] };
      expect(doc.rule_files, f).toContain(`../../../../rules/packs/ai-platform/${f.replace('.test.yml', '.yaml')}`);
    }
  });

  it('fire every alert one minute after a quiet evaluation, and assert it quiet somewhere', () => {
    const all = assertions();
    const names = new Set([...alertRules.map((a) => a.alert), 'SLOErrorBudgetBurn', 'SLOErrorBudgetBurnNoData']);
    for (const name of names) {
      const mine = all.filter((a) => a.alertname === name);
      const onset = mine.some((f) => f.firing && mine.some((q) => !q.firing && q.group === f.group && q.evalMinutes === f.evalMinutes - 1));
      expect(onset, `${name}: a test group asserts nothing at t-1m and the alert at t`).toBe(true);
    }
  });

  it('pass on vigil’s engine (vigil test)', async () => {
    const res = await vigilCli(['test', ...testFiles.map((f) => join(testDir, f))]);
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(new RegExp(`\\n(\\d+) test groups passed, 0 failed, 0 skipped in ${testFiles.length} files\\n$`));
    expect(res.code).toBe(0);
  });

  it(`pass on promtool ${promtoolVersion()} (promtool test rules) against the compiled pack`, async () => {
    const tdir = await promtoolTree('promtool', [packDir], Object.fromEntries(testFiles.map((f) => [f, readFileSync(join(testDir, f), 'utf8')])));
    for (const f of testFiles) {
      const r = testRules([f], tdir);
      expect({ file: f, code: r.code, output: r.output }).toEqual({ file: f, code: 0, output: `Unit Testing:  ${f}\n  SUCCESS\n\n` });
    }
  });

  it('fail on both when a rule is loosened: bad-rollout without its minimum of 10 failed requests', async () => {
    const original = readFileSync(join(packDir, 'bad-rollout.yaml'), 'utf8');
    const loosened = original.replace('* 600 >= 10)', '* 600 >= 5)');
    expect(loosened).not.toBe(original);
    const broken = join(work, 'loosened');
    mkdirSync(join(broken, 'src'), { recursive: true });
    writeFileSync(join(broken, 'src', 'bad-rollout.yaml'), loosened);
    const tdir = await promtoolTree('loosened', [join(broken, 'src', 'bad-rollout.yaml')], {
      'bad-rollout.test.yml': readFileSync(join(testDir, 'bad-rollout.test.yml'), 'utf8'),
    });
    // vigil reads the loosened vigil/v1 file itself, at the same relative place.
    const vigilRules = join(tdir, '..', '..', '..', '..', 'rules', 'packs', 'ai-platform', 'bad-rollout.yaml');
    writeFileSync(vigilRules, loosened);
    const v = await vigilCli(['test', join(tdir, 'bad-rollout.test.yml')]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('alertname: ModelVersionErrorRegression, time: 40m');
    // promtool reads the compiled loosened file.
    const compiled = join(work, 'loosened', 'compiled', 'bad-rollout.rules.yml');
    copyFileSync(compiled, vigilRules);
    const p = testRules(['bad-rollout.test.yml'], tdir);
    expect(p.code).toBe(1);
    expect(p.output).toContain('alertname: ModelVersionErrorRegression, time: 40m');
  });
});

describe('runbooks', () => {
  it('each failure mode has a page saying what fired, what it means, how to confirm, what to do and how to tune', () => {
    expect(readdirSync(runbookDir).filter((f) => f.endsWith('.md')).sort()).toEqual([...RUNBOOKS].sort());
    for (const f of RUNBOOKS) {
      const text = readFileSync(join(runbookDir, f), 'utf8');
      const hs = headings(text);
      for (const s of SECTIONS) expect(hs.some((h) => h.startsWith(s)), `${f}: a "${s}" section`).toBe(true);
      expect(text, `${f}: PromQL to run`).toMatch(/```promql\n/);
    }
  });

  it('every alert of a page has its own section there', () => {
    for (const a of alertRules) {
      const page = /runbooks\/([a-z-]+\.md)#/.exec(a.annotations['runbook_url'] ?? '')![1]!;
      expect(headings(readFileSync(join(runbookDir, page), 'utf8')), a.alert).toContain(a.alert);
    }
  });

  it('the PromQL to run parses', () => {
    for (const f of RUNBOOKS) {
      const text = readFileSync(join(runbookDir, f), 'utf8');
      const blocks = [...text.matchAll(/```promql\n([\s\S]*?)```/g)].map((m) => m[1]!);
      expect(blocks.length, f).toBeGreaterThan(0);
      for (const block of blocks) {
        // One query per line; a line continues the query before it while parentheses are open, or
        // when it starts (or the line before ends) with a binary operator.
        const queries: string[] = [];
        let depth = 0;
        let continues = false;
        for (const line of block.split('\n')) {
          if (line.trim() === '') continue;
          if (queries.length > 0 && (depth > 0 || continues || /^\s*([/*+-]|and |or |unless )/.test(line))) queries[queries.length - 1] += '\n' + line;
          else queries.push(line);
          for (const c of line) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
          continues = /(\band|\bor|\bunless|[/*+-])\s*$/.test(line);
        }
        expect(depth, `${f}: parentheses balance`).toBe(0);
        for (const q of queries) expect(() => parseExpr(q), `${f}: ${q}`).not.toThrow();
      }
    }
  });
});
