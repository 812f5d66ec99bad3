import type { Appendable, Queryable } from '../../model/storage.js';
import { VirtualClock } from '../../util/clock.js';
import { formatIssue, type SourceIssue } from '../../util/yamlreader.js';
import { groupKey, type Group, RuleManager } from '../eval/index.js';
import type { QueryFn, RuleGroup } from '../model.js';
import { compareAlerts, compareSamples, expectedAlerts } from './compare.js';
import { alertFailureText, exprErrorText, exprFailureText, type LabelsAndAnnotations, ruleErrorText, type SampleLike } from './format.js';
import { SeriesLoader } from './series.js';
import type { TestGroup, UnitTestFile } from './testfile.js';

/**
 * UnitTestStore is the in-memory store one test group runs on: input series and rule results go
 * in, the engine reads them back. A fresh one per test group.
 */
export type UnitTestStore = Appendable & Queryable;

/**
 * UnitTestEnv is what the runner needs from outside rules/ (cli/ wires it): a fresh store per test
 * group, and a QueryFn over a store. `noStepSubqueryIntervalMs` is the default step of subqueries
 * written without one: promtool sets it to the file's evaluation_interval.
 */
export interface UnitTestEnv {
  newStore(): UnitTestStore;
  queryFn(store: Queryable, opts: { readonly noStepSubqueryIntervalMs: number }): QueryFn;
}

/** FailureKind says what failed: an alert or expression assertion, a query, a rule, or loading input. */
export type FailureKind = 'alert' | 'expr' | 'expr_error' | 'rule_error' | 'input';

/**
 * Failure is one failed assertion or error in a test group. `text` is promtool 2.42's message for
 * it, byte for byte where promtool has one.
 */
export interface Failure {
  readonly kind: FailureKind;
  readonly text: string;
  /** evalTimeMs: the assertion's eval_time, or the evaluation time of a failed rule. */
  readonly evalTimeMs: number;
  readonly alertname?: string;
  readonly expr?: string;
  readonly rule?: string;
  readonly error?: string;
  readonly expectedAlerts?: readonly LabelsAndAnnotations[];
  readonly gotAlerts?: readonly LabelsAndAnnotations[];
  readonly expectedSamples?: readonly SampleLike[];
  readonly gotSamples?: readonly SampleLike[];
  /** source: `file:line:column` of the assertion in the test file. */
  readonly source?: string;
}

/** GroupResult is one test group's outcome; `skipped` when --run filtered it out. */
export interface GroupResult {
  readonly index: number;
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'skipped';
  readonly failures: readonly Failure[];
  /** evaluations: how many times every rule group was evaluated. */
  readonly evaluations: number;
}

/** RunGroupOptions: the loaded rule groups (in evaluation order) and the file's settings. */
export interface RunGroupOptions {
  readonly env: UnitTestEnv;
  readonly ruleGroups: readonly RuleGroup[];
  readonly evaluationIntervalMs: number;
}

/**
 * orderRuleGroups puts the groups named in `group_eval_order` first in that order, as promtool's
 * orderedGroups does: a group not named sorts as if it were the first named one (promtool gives it
 * order 0); ties keep the order the rule files gave (promtool's is a Go map's, i.e. random).
 */
export function orderRuleGroups(groups: readonly RuleGroup[], order: readonly string[]): RuleGroup[] {
  const rank = new Map(order.map((name, i) => [name, i]));
  return groups
    .map((g, i) => ({ g, i, r: rank.get(g.name) ?? 0 }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.g);
}

/** maxEvalTime is the latest eval_time of any assertion in the group (0 when none). */
function maxEvalTime(tg: TestGroup): number {
  let max = 0;
  for (const a of tg.alertRuleTests) max = Math.max(max, a.evalTimeMs);
  for (const p of tg.promqlExprTests) max = Math.max(max, p.evalTimeMs);
  return max;
}

function where(s: { file: string; line: number; column: number }): string {
  return `${s.file}:${s.line}:${s.column}`;
}

/**
 * runTestGroup runs one test group as promtool 2.42 does: the input series go into a fresh store
 * from t=0 at the group's interval, lazily (samples up to t before evaluating at t); every rule
 * group is evaluated, in order, at every evaluation_interval tick from 0 up to the latest eval_time
 * (a group's own interval is ignored); the firing alerts of an alert_rule_test are compared after
 * the evaluation at the last tick at or before its eval_time; a rule that fails to evaluate ends
 * the group; then each promql_expr_test is queried at its exact eval_time.
 */
export async function runTestGroup(tg: TestGroup, opts: RunGroupOptions): Promise<GroupResult> {
  const { env, evaluationIntervalMs: interval } = opts;
  const store = env.newStore();
  const queryFn = env.queryFn(store, { noStepSubqueryIntervalMs: interval });
  const clock = new VirtualClock(0);
  const manager = new RuleManager({
    groups: opts.ruleGroups,
    queryFn,
    appendable: store,
    notify: () => {},
    clock,
    externalLabels: tg.externalLabels,
    externalURL: tg.externalURL,
    evaluationIntervalMs: interval,
    // Alerts are "restored" from the start so ALERTS is written at once, as promtool does.
    restore: false,
  });
  const groups: Group[] = opts.ruleGroups.map((rg) => manager.group(groupKey(rg.source?.file ?? '', rg.name))!);
  const loader = new SeriesLoader(tg.inputSeries);
  const failures: Failure[] = [];
  const done = (evaluations: number): GroupResult => ({
    index: tg.index,
    name: tg.name,
    status: failures.length === 0 ? 'pass' : 'fail',
    failures,
    evaluations,
  });

  const alertTimes = [...new Set(tg.alertRuleTests.map((a) => a.evalTimeMs))].sort((a, b) => a - b);
  let nextAlertTime = 0;
  const maxt = maxEvalTime(tg);
  let evaluations = 0;
  for (let ts = 0; ts <= maxt; ts += interval) {
    await clock.advanceTo(ts);
    const refused = loader.appendTill(store, ts);
    if (refused !== undefined) {
      // promtool skips the evaluation at this tick when the input cannot be stored, and goes on.
      failures.push({ kind: 'input', text: `    input series: ${refused}`, evalTimeMs: ts, error: refused });
      continue;
    }
    const evalErrors: Failure[] = [];
    for (const g of groups) {
      await manager.evalGroupAt(g, ts);
      for (const r of g.rules) {
        const err = r.status.lastError;
        if (err !== undefined) evalErrors.push({ kind: 'rule_error', text: ruleErrorText(r.name, ts, err), evalTimeMs: ts, rule: r.name, error: err });
      }
    }
    evaluations++;
    failures.push(...evalErrors);
    if (evalErrors.length > 0) return done(evaluations);

    for (; nextAlertTime < alertTimes.length; nextAlertTime++) {
      const t = alertTimes[nextAlertTime]!;
      if (!(ts <= t && t < ts + interval)) break;
      const got = firingAlerts(groups);
      for (const tc of tg.alertRuleTests) {
        if (tc.evalTimeMs !== t) continue;
        const cmp = compareAlerts(expectedAlerts(tc.alertname, tc.expAlerts), got.get(tc.alertname) ?? []);
        if (cmp.equal) continue;
        failures.push({
          kind: 'alert',
          text: alertFailureText(tg.name, tc.alertname, t, cmp.exp, cmp.got),
          evalTimeMs: t,
          alertname: tc.alertname,
          expectedAlerts: cmp.exp,
          gotAlerts: cmp.got,
          source: where(tc.source),
        });
      }
    }
  }

  for (const tc of tg.promqlExprTests) {
    let got: SampleLike[];
    try {
      got = (await queryFn(tc.expr, tc.evalTimeMs)).map((s) => ({ labels: s.metric, value: s.v }));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      failures.push({ kind: 'expr_error', text: exprErrorText(tc.expr, tc.evalTimeMs, message), evalTimeMs: tc.evalTimeMs, expr: tc.expr, error: message, source: where(tc.source) });
      continue;
    }
    const cmp = compareSamples(tc.expSamples, got);
    if (cmp.equal) continue;
    failures.push({
      kind: 'expr',
      text: exprFailureText(tc.expr, tc.evalTimeMs, cmp.exp, cmp.got),
      evalTimeMs: tc.evalTimeMs,
      expr: tc.expr,
      expectedSamples: cmp.exp,
      gotSamples: cmp.got,
      source: where(tc.source),
    });
  }
  return done(evaluations);
}

/** firingAlerts gathers the firing alerts of every alerting rule by alert name (one name may have several rules). */
function firingAlerts(groups: readonly Group[]): Map<string, LabelsAndAnnotations[]> {
  const out = new Map<string, LabelsAndAnnotations[]>();
  for (const g of groups) {
    for (const rule of g.alertingRules()) {
      const list = out.get(rule.name) ?? [];
      for (const a of rule.activeAlerts()) if (a.state === 'firing') list.push({ labels: a.labels, annotations: a.annotations });
      out.set(rule.name, list);
    }
  }
  return out;
}

/** FileResult is one test file's outcome: `error` when it could not run at all (bad file, bad rules). */
export interface FileResult {
  readonly file: string;
  readonly status: 'pass' | 'fail' | 'error';
  /** error lists what stopped the file from running, one message per line (file:line:column first). */
  readonly error?: string;
  readonly warnings: readonly string[];
  readonly groups: readonly GroupResult[];
}

/** RuleLoader loads rule files (already expanded to paths) into groups; it throws on bad files. */
export type RuleLoader = (files: readonly string[]) => Promise<{ groups: readonly RuleGroup[]; warnings: readonly string[] }>;

/** RunFileOptions: how to run a parsed test file. */
export interface RunFileOptions {
  readonly env: UnitTestEnv;
  readonly loadRules: RuleLoader;
  /** expandPattern resolves one rule_files pattern to files (Go's filepath.Glob); undefined: malformed. */
  readonly expandPattern: (pattern: string) => string[] | undefined;
  /** run, when given, selects test groups whose name one of the expressions matches (promtool's --run). */
  readonly run?: readonly RegExp[];
  /** onGroup is called as each test group finishes (progress). */
  readonly onGroup?: (g: GroupResult) => void;
}

/**
 * runTestFile runs every test group of a parsed file. Unlike promtool 2.42, a `rule_files` pattern
 * that matches nothing is an error, not a warning followed by a run with no rules (a run that then
 * passes every `exp_alerts: []`).
 */
export async function runTestFile(tf: UnitTestFile, opts: RunFileOptions): Promise<FileResult> {
  const problems: string[] = [];
  const files: string[] = [];
  for (const rf of tf.ruleFiles) {
    const matches = opts.expandPattern(rf.pattern);
    const at = where(rf.source);
    if (matches === undefined) problems.push(`${at}: ${rf.source.path}: ${JSON.stringify(rf.written)}: syntax error in pattern`);
    else if (matches.length === 0) problems.push(`${at}: ${rf.source.path}: no file matches pattern ${JSON.stringify(rf.written)} (looked for ${rf.pattern})`);
    else for (const m of matches) if (!files.includes(m)) files.push(m);
  }
  if (problems.length > 0) return { file: tf.file, status: 'error', error: problems.join('\n'), warnings: [], groups: [] };
  let loaded;
  try {
    loaded = await opts.loadRules(files);
  } catch (err) {
    return { file: tf.file, status: 'error', error: err instanceof Error ? err.message : String(err), warnings: [], groups: [] };
  }
  const ruleGroups = orderRuleGroups(loaded.groups, tf.groupEvalOrder);
  const warnings = [...loaded.warnings];
  const names = new Set(loaded.groups.map((g) => g.name));
  // promtool 2.42 says nothing; a name that orders nothing is almost always a typo.
  for (const name of tf.groupEvalOrder) if (!names.has(name)) warnings.push(`${tf.file}: group_eval_order names ${JSON.stringify(name)}, which no rule file defines`);
  const results: GroupResult[] = [];
  for (const tg of tf.tests) {
    let result: GroupResult;
    if (opts.run !== undefined && !opts.run.some((re) => re.test(tg.name))) {
      result = { index: tg.index, name: tg.name, status: 'skipped', failures: [], evaluations: 0 };
    } else {
      result = await runTestGroup(tg, { env: opts.env, ruleGroups, evaluationIntervalMs: tf.evaluationIntervalMs });
    }
    results.push(result);
    opts.onGroup?.(result);
  }
  return {
    file: tf.file,
    status: results.some((r) => r.status === 'fail') ? 'fail' : 'pass',
    warnings,
    groups: results,
  };
}

/** issueLines renders SourceIssues one per line, `file:line:column: path: message`. */
export function issueLines(issues: readonly SourceIssue[]): string {
  return issues.map(formatIssue).join('\n');
}
