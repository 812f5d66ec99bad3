import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadScenario, type Scenario } from '../collectors/simulate/index.js';
import type { RuleGroup } from '../rules/model.js';
import { sourcePackDir, sourcePackPaths } from '../rules/packs/index.js';
import { loadRuleGroups } from '../rules/unittest/load.js';
import { formatDuration } from '../util/duration.js';
import type { Allowance, Expectation, FailureMode, LabelMatch, Quiet } from './failure-matrix.js';
import { type ReplayedAlert, type ReplayResult, replayScenario } from './scenario-replay.js';

/** DEFAULT_INTERVAL_MS: the evaluation interval of a group that sets none (runBacktest's default). */
const DEFAULT_INTERVAL_MS = 60_000;

/** repoRoot is the checkout holding rules/ and examples/ (from the sources or from dist/). */
export function repoRoot(): string {
  return dirname(dirname(dirname(sourcePackDir())));
}

/** failureModeRuleFiles: every source pack, then the default pack's files by name, as `vigil demo` runs them. */
export function failureModeRuleFiles(): string[] {
  const dir = join(dirname(sourcePackDir()), 'ai-platform');
  const pack = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  return [...sourcePackPaths(), ...pack.map((f) => join(dir, f))];
}

/** loadFailureModeRules loads failureModeRuleFiles (SLOs compiled); throws on a loader warning, a pack to fix first. */
export function loadFailureModeRules(): readonly RuleGroup[] {
  const loaded = loadRuleGroups(failureModeRuleFiles());
  if (loaded.warnings.length > 0) throw new Error(`the rule packs load with warnings:\n${loaded.warnings.join('\n')}`);
  return loaded.groups;
}

/** loadExampleScenario loads examples/scenarios/<name>.yaml. */
export function loadExampleScenario(name: string): Promise<Scenario> {
  return loadScenario(join(repoRoot(), 'examples', 'scenarios', `${name}.yaml`));
}

/** matches says whether an alert's labels carry every label of `want`. */
export function matches(labels: Readonly<Record<string, string>>, want: LabelMatch): boolean {
  return Object.entries(want).every(([k, v]) => labels[k] === v);
}

/** RulePromise is a rule's own: it fires `forMs` to `forMs + intervalMs` after its condition first holds. */
export interface RulePromise {
  readonly forMs: number;
  readonly intervalMs: number;
}

/**
 * rulePromise finds the alerting rule that produced an alert (its name, and every label the rule
 * sets that is not a template, such as an SLO tier's `long_window`) and returns its promise.
 */
export function rulePromise(groups: readonly RuleGroup[], alert: Readonly<Record<string, string>>): RulePromise | undefined {
  for (const g of groups) {
    for (const r of g.rules) {
      if (r.kind !== 'alerting' || r.alert !== alert['alertname']) continue;
      const fixed = Object.entries(r.labels).filter(([, v]) => !v.includes('{{'));
      if (fixed.every(([k, v]) => alert[k] === v)) return { forMs: r.forMs, intervalMs: g.intervalMs || DEFAULT_INTERVAL_MS };
    }
  }
  return undefined;
}

/** RowResult is one expectation as the replay met it; times in ms from the scenario's start. */
export interface RowResult {
  readonly expectation: Expectation;
  readonly onsetMs: number;
  /** alert: the first firing of the expected alert at or after the onset, if any. */
  readonly alert: ReplayedAlert | undefined;
  /** crossingMs: when its condition first held (its pending time, or its firing time without `for`). */
  readonly crossingMs: number | undefined;
  readonly promise: RulePromise | undefined;
  /** detectionMs: firing time minus onset. */
  readonly detectionMs: number | undefined;
  /** recoveryMs: the start of the phase after which it must resolve, when checked. */
  readonly recoveryMs: number | undefined;
  /** problems: each way the row breaks the matrix, in words; empty when it holds. */
  readonly problems: readonly string[];
}

/** ModeResult is a scenario's whole assessment. */
export interface ModeResult {
  readonly mode: FailureMode;
  readonly replay: ReplayResult;
  readonly rows: readonly RowResult[];
  /** unexpected: alerts that fired and are neither expected nor allowed. */
  readonly unexpected: readonly ReplayedAlert[];
  /** loud: alerts that fired on a component that must stay quiet. */
  readonly loud: readonly { readonly alert: ReplayedAlert; readonly quiet: Quiet }[];
  /** allowed: the alerts that fired as allowed consequences, with the allowance that covers each. */
  readonly allowed: readonly { readonly alert: ReplayedAlert; readonly allowance: Allowance }[];
}

/** phaseStart is the `at` of a scenario's phase; throws for a name the scenario does not have. */
export function phaseStart(scenario: Scenario, name: string): number {
  const phase = scenario.phases.find((p) => p.name === name);
  if (phase === undefined) throw new Error(`scenario ${scenario.name} has no phase ${JSON.stringify(name)} (phases: ${scenario.phases.map((p) => p.name).join(', ')})`);
  return phase.atMs;
}

function isExpected(e: Expectation, a: ReplayedAlert): boolean {
  return a.alertname === e.alert && a.labels['severity'] === e.severity && matches(a.labels, e.labels);
}

/**
 * assessFailureMode holds a replay against the matrix. For each expectation, the first firing of
 * the alert (name, severity and the component's labels) at or after the onset is the detection;
 * the row's problems say where it breaks the matrix: it never fired, fired before the onset,
 * crossed later than the signal lag allows, fired outside its rule's promise after crossing, or
 * did not resolve after the recovery phase within the time allowed (or resolved before it).
 */
export function assessFailureMode(mode: FailureMode, scenario: Scenario, groups: readonly RuleGroup[], replay: ReplayResult): ModeResult {
  const rows = mode.expected.map((e): RowResult => {
    const onsetMs = phaseStart(scenario, e.onset);
    const problems: string[] = [];
    const all = replay.alerts.filter((a) => isExpected(e, a));
    for (const early of all.filter((a) => a.firedAtMs < onsetMs)) problems.push(`fired at ${formatDuration(early.firedAtMs)}, before the onset`);
    const alert = all.find((a) => a.firedAtMs >= onsetMs);
    const recoveryMs = 'after' in e.resolve ? phaseStart(scenario, e.resolve.after) : undefined;
    if (alert === undefined) {
      problems.push('did not fire');
      return { expectation: e, onsetMs, alert, crossingMs: undefined, promise: undefined, detectionMs: undefined, recoveryMs, problems };
    }
    const crossingMs = alert.pendingAtMs ?? alert.firedAtMs;
    const promise = rulePromise(groups, alert.labels);
    if (promise === undefined) problems.push('no rule of the packs produces it');
    if (crossingMs < onsetMs) problems.push(`its condition held from ${formatDuration(crossingMs)}, before the onset`);
    if (crossingMs - onsetMs > e.signalLagMs) problems.push(`crossed ${formatDuration(crossingMs - onsetMs)} after the onset, more than the ${formatDuration(e.signalLagMs)} allowed`);
    const afterCrossing = alert.firedAtMs - crossingMs;
    if (promise !== undefined && (afterCrossing < promise.forMs || afterCrossing > promise.forMs + promise.intervalMs)) {
      problems.push(`fired ${formatDuration(afterCrossing)} after crossing, outside its promise of ${promiseText(promise)}`);
    }
    if (recoveryMs !== undefined && 'after' in e.resolve) {
      const resolved = alert.resolvedAtMs;
      if (resolved === undefined) problems.push(`still firing at the end, ${formatDuration(replay.durationMs - recoveryMs)} after ${e.resolve.after}`);
      else if (resolved < recoveryMs) problems.push(`resolved at ${formatDuration(resolved)}, before ${e.resolve.after}`);
      else if (resolved - recoveryMs > e.resolve.withinMs) problems.push(`resolved ${formatDuration(resolved - recoveryMs)} after ${e.resolve.after}, more than the ${formatDuration(e.resolve.withinMs)} allowed`);
    }
    return { expectation: e, onsetMs, alert, crossingMs, promise, detectionMs: alert.firedAtMs - onsetMs, recoveryMs, problems };
  });

  const unexpected: ReplayedAlert[] = [];
  const allowed: { alert: ReplayedAlert; allowance: Allowance }[] = [];
  const loud: { alert: ReplayedAlert; quiet: Quiet }[] = [];
  for (const a of replay.alerts) {
    for (const q of mode.quiet) if (matches(a.labels, q.labels)) loud.push({ alert: a, quiet: q });
    if (mode.expected.some((e) => isExpected(e, a))) continue;
    const allowance = mode.allowed.find((al) => a.alertname === al.alert && matches(a.labels, al.labels));
    if (allowance === undefined) unexpected.push(a);
    else allowed.push({ alert: a, allowance });
  }
  return { mode, replay, rows, unexpected, loud, allowed };
}

/** runFailureMode loads a mode's scenario, replays it through the packs and assesses it. */
export async function runFailureMode(mode: FailureMode, groups: readonly RuleGroup[] = loadFailureModeRules()): Promise<ModeResult> {
  const scenario = await loadExampleScenario(mode.scenario);
  const replay = await replayScenario({ scenario, groups, stepMs: mode.stepMs, durationMs: mode.durationMs });
  return assessFailureMode(mode, scenario, groups, replay);
}

/** promiseText: "10m–11m after crossing", or "0s–1m after crossing" without `for`. */
export function promiseText(p: RulePromise): string {
  return `${formatDuration(p.forMs)}–${formatDuration(p.forMs + p.intervalMs)} after crossing`;
}

/** describeAlert: `Name{k="v", ...}` without alertname, for messages. */
export function describeAlert(a: ReplayedAlert): string {
  const labels = Object.entries(a.labels)
    .filter(([k]) => k !== 'alertname')
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${a.alertname}{${labels.join(', ')}} fired at ${formatDuration(a.firedAtMs)}`;
}
