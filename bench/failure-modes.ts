import { formatDuration } from '../util/duration.js';
import { describeAlert, loadExampleScenario, loadFailureModeRules, type ModeResult, promiseText, type RowResult, runFailureMode } from './failure-assess.js';
import { FAILURE_MODES, STEADY } from './failure-matrix.js';
import { replayScenario } from './scenario-replay.js';

/**
 * `npm run bench -- failure-modes`: every scenario of the failure-mode matrix (failure-matrix.ts)
 * replayed through the source packs and the default pack on a virtual clock, and the steady
 * scenario over a week, which must fire nothing. There is no peer to race: the figure to compare
 * with is real time, so each replay says how many times faster than real time it ran (simulated
 * time over the CPU time of simulating, storing and evaluating it).
 */

/** RowFigures is one expected alert as the bench reports it (seconds from the scenario's start). */
export interface RowFigures {
  readonly scenario: string;
  readonly alert: string;
  readonly severity: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly onsetSeconds: number;
  readonly crossedSeconds: number | null;
  readonly firedSeconds: number | null;
  readonly detectionSeconds: number | null;
  readonly promised: string;
  readonly resolvedSeconds: number | null;
  readonly problems: readonly string[];
}

export interface ScenarioFigures {
  readonly scenario: string;
  readonly simulatedSeconds: number;
  readonly stepSeconds: number;
  readonly samples: number;
  readonly cpuSeconds: number;
  /** realTimeRatio: simulated time over CPU time. */
  readonly realTimeRatio: number;
  readonly alsoFired: readonly string[];
  /** ruleErrors: rules that failed to evaluate, as `group/rule: first error`. */
  readonly ruleErrors: readonly string[];
  readonly unexpected: readonly string[];
  readonly onHealthyComponents: readonly string[];
}

export interface SteadyFigures {
  readonly simulatedSeconds: number;
  readonly stepSeconds: number;
  readonly samples: number;
  readonly alertsFired: number;
  readonly pendingWithoutFiring: number;
  readonly fired: readonly string[];
  readonly ruleErrors: readonly string[];
  readonly cpuSeconds: number;
  readonly realTimeRatio: number;
}

export interface FailureModesResult {
  readonly rows: readonly RowFigures[];
  readonly scenarios: readonly ScenarioFigures[];
  readonly steady: SteadyFigures;
}

const seconds = (ms: number | undefined) => (ms === undefined ? null : ms / 1000);
const at = (ms: number | undefined) => (ms === undefined ? '–' : formatDuration(ms));

function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

function rowFigures(scenario: string, row: RowResult): RowFigures {
  const e = row.expectation;
  const lag = `crossing ≤ ${formatDuration(e.signalLagMs)} after onset`;
  return {
    scenario,
    alert: e.alert,
    severity: e.severity,
    labels: e.labels,
    onsetSeconds: row.onsetMs / 1000,
    crossedSeconds: seconds(row.crossingMs),
    firedSeconds: seconds(row.alert?.firedAtMs),
    detectionSeconds: seconds(row.detectionMs),
    promised: row.promise === undefined ? lag : `${lag}, fires ${promiseText(row.promise)}`,
    resolvedSeconds: seconds(row.alert?.resolvedAtMs),
    problems: row.problems,
  };
}

function resolvedText(row: RowResult): string {
  const r = row.expectation.resolve;
  const resolved = row.alert?.resolvedAtMs;
  if (!('after' in r)) return resolved === undefined ? '– (not checked)' : `${formatDuration(resolved)} (not checked)`;
  if (resolved === undefined) return `still firing (≤ ${formatDuration(r.withinMs)} after ${r.after})`;
  return `${formatDuration(resolved)}: ${formatDuration(resolved - row.recoveryMs!)} after ${r.after} (≤ ${formatDuration(r.withinMs)})`;
}

/** printTable prints rows of cells as a table with `|` between left-aligned columns. */
function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}

export async function benchFailureModes(opts: { print: boolean; steadyDurationMs?: number }): Promise<FailureModesResult> {
  const groups = loadFailureModeRules();
  const results: ModeResult[] = [];
  for (const mode of FAILURE_MODES) {
    if (opts.print) process.stdout.write(`replaying ${mode.scenario} (${formatDuration(mode.durationMs)} every ${formatDuration(mode.stepMs)})...\n`);
    results.push(await runFailureMode(mode, groups));
  }

  const rows = results.flatMap((r) => r.rows.map((row) => rowFigures(r.mode.scenario, row)));
  const scenarios = results.map(
    (r): ScenarioFigures => ({
      scenario: r.mode.scenario,
      simulatedSeconds: r.replay.durationMs / 1000,
      stepSeconds: r.mode.stepMs / 1000,
      samples: r.replay.samples,
      cpuSeconds: r.replay.cpuMs / 1000,
      realTimeRatio: r.replay.durationMs / r.replay.cpuMs,
      alsoFired: r.allowed.map((a) => describeAlert(a.alert)),
      ruleErrors: r.replay.ruleErrors.map((e) => `${e.group}/${e.rule}: ${e.firstError}`),
      unexpected: r.unexpected.map(describeAlert),
      onHealthyComponents: r.loud.map((l) => `${describeAlert(l.alert)}: ${l.quiet.why}`),
    }),
  );

  const steadyDurationMs = opts.steadyDurationMs ?? STEADY.durationMs;
  if (opts.print) process.stdout.write(`replaying steady (${formatDuration(steadyDurationMs)} every ${formatDuration(STEADY.stepMs)})...\n`);
  const steadyReplay = await replayScenario({ scenario: await loadExampleScenario(STEADY.scenario), groups, stepMs: STEADY.stepMs, durationMs: steadyDurationMs });
  const steady: SteadyFigures = {
    simulatedSeconds: steadyReplay.durationMs / 1000,
    stepSeconds: STEADY.stepMs / 1000,
    samples: steadyReplay.samples,
    alertsFired: steadyReplay.alerts.length,
    pendingWithoutFiring: steadyReplay.pendingOnly,
    fired: steadyReplay.alerts.map(describeAlert),
    ruleErrors: steadyReplay.ruleErrors.map((e) => `${e.group}/${e.rule}: ${e.firstError}`),
    cpuSeconds: steadyReplay.cpuMs / 1000,
    realTimeRatio: steadyReplay.durationMs / steadyReplay.cpuMs,
  };

  if (opts.print) {
    console.log('');
    printTable(
      ['scenario', 'alert', 'labels', 'onset', 'crossed', 'fired at', 'detection time', 'promised', 'resolved', 'ok'],
      results.flatMap((r) =>
        r.rows.map((row) => [
          r.mode.scenario,
          `${row.expectation.alert} (${row.expectation.severity})`,
          labelText(row.expectation.labels),
          `${formatDuration(row.onsetMs)} ${row.expectation.onset}`,
          at(row.crossingMs),
          at(row.alert?.firedAtMs),
          at(row.detectionMs),
          rowFigures(r.mode.scenario, row).promised,
          resolvedText(row),
          row.problems.length === 0 ? 'yes' : `NO: ${row.problems.join('; ')}`,
        ]),
      ),
    );
    console.log('');
    for (const s of scenarios) {
      console.log(
        `${s.scenario}: ${formatDuration(s.simulatedSeconds * 1000)} every ${s.stepSeconds}s, ${s.samples} samples, ${s.cpuSeconds.toFixed(1)} s CPU (${Math.round(s.realTimeRatio)}x real time); ` +
          `${s.alsoFired.length} allowed consequences fired, ${s.unexpected.length} unexpected, ${s.onHealthyComponents.length} on a healthy component`,
      );
      for (const e of s.ruleErrors) console.log(`  rule error: ${e}`);
      for (const u of s.unexpected) console.log(`  unexpected: ${u}`);
      for (const l of s.onHealthyComponents) console.log(`  on a healthy component: ${l}`);
    }
    console.log(
      `\nsteady, ${formatDuration(steady.simulatedSeconds * 1000)} every ${steady.stepSeconds}s: alerts fired: ${steady.alertsFired} ` +
        `(pending without firing: ${steady.pendingWithoutFiring}); ${steady.samples} samples, ${steady.cpuSeconds.toFixed(1)} s CPU (${Math.round(steady.realTimeRatio)}x real time)`,
    );
    for (const f of steady.fired) console.log(`  fired: ${f}`);
    for (const e of steady.ruleErrors) console.log(`  rule error: ${e}`);
  }
  return { rows, scenarios, steady };
}
