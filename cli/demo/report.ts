import { formatDuration } from '../../util/duration.js';
import type { ReplayAlert, ReplayResult } from './replay.js';

/**
 * formatReplay is `vigil demo --replay`'s text: a header, one line per firing (when it fired and
 * resolved, in seconds from the scenario's start, its name, severity, namespace and model, and the
 * scenario phase at each moment), the phases with their start times, and rules that failed.
 *
 *   fired     resolved  alert                 severity  namespace     model        phase (fired → resolved)
 *   1860s     5160s     GPUPodsPending        ticket    ml-training   -            training-job-starts → training-job-ends
 */
export function formatReplay(r: ReplayResult): string {
  const fired = r.alerts.length;
  const out = [
    `Replay of scenario ${r.scenario} (${formatDuration(r.durationSeconds * 1000)}): scraped every ${formatDuration(r.scrapeIntervalSeconds * 1000)}, ` +
      `${r.ruleGroups} rule groups evaluated at their own interval or every ${formatDuration(r.evaluationIntervalSeconds * 1000)}; ` +
      `${fired === 0 ? 'no alert fired' : fired === 1 ? '1 alert firing' : `${fired} alert firings`}.`,
    'Times are seconds from the start of the scenario.',
    '',
  ];
  if (fired > 0) {
    const rows = r.alerts.map((a) => [
      `${a.firedAtSeconds}s`,
      a.resolvedAtSeconds === undefined ? 'firing' : `${a.resolvedAtSeconds}s`,
      a.alertname + extraLabels(a),
      a.severity || '-',
      a.namespace || '-',
      a.model || '-',
      `${a.phaseAtFiring || '(before the first phase)'} → ${a.phaseAtResolve ?? 'still firing at the end'}`,
    ]);
    const header = ['fired', 'resolved', 'alert', 'severity', 'namespace', 'model', 'phase (fired → resolved)'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const line = (cells: string[]) => ('  ' + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).trimEnd();
    out.push(line(header), ...rows.map(line), '');
  }
  out.push('Phases:', ...r.phases.map((p) => `  ${`${p.atSeconds}s`.padEnd(8)}${p.name}`));
  if (r.ruleErrors.length > 0) {
    out.push('', 'Rules that failed to evaluate:');
    for (const e of r.ruleErrors) out.push(`  ${e.group} / ${e.rule}: ${e.count} times, first: ${e.firstError}`);
  }
  return out.join('\n') + '\n';
}

/** extraLabels names what tells two firings of one alert apart, besides namespace and model (SLO, tier, windows, queue, pool, ...). */
function extraLabels(a: ReplayAlert): string {
  const skip = new Set(['alertname', 'severity', 'namespace', 'model', 'team', 'service', 'slo_service']);
  const rest = Object.entries(a.labels).filter(([k]) => !skip.has(k));
  return rest.length === 0 ? '' : `{${rest.map(([k, v]) => `${k}=${v}`).join(' ')}}`;
}

/** jsonReplay is `vigil demo --replay --json`: the result as plain JSON (resolvedAtSeconds null while firing). */
export function jsonReplay(r: ReplayResult): unknown {
  return {
    scenario: r.scenario,
    file: r.file,
    durationSeconds: r.durationSeconds,
    scrapeIntervalSeconds: r.scrapeIntervalSeconds,
    evaluationIntervalSeconds: r.evaluationIntervalSeconds,
    ruleFiles: r.ruleFiles,
    phases: r.phases,
    alerts: r.alerts.map((a) => ({ ...a, resolvedAtSeconds: a.resolvedAtSeconds ?? null, phaseAtResolve: a.phaseAtResolve ?? null })),
    ruleErrors: r.ruleErrors,
  };
}
