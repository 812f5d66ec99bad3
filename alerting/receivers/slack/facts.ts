import type { Alert } from '../../types.js';
import { number3, percent } from './format.js';
import { escape } from './mrkdwn.js';

/**
 * What a message says about one alert, read from its labels and annotations: the severity, the
 * scope it hits (cluster, namespace, model), the SLO it burns and the links to act on it. The
 * names are the ones vigil's rules put on alerts (rules/slo: `slo`, `service`, `tier`,
 * `long_window`, `short_window`, `burn_rate`, annotation `runbook_url`), Sloth's (`sloth_slo`,
 * `sloth_service`) and the usual Prometheus conventions (`severity`, `summary`, `description`).
 */

/** Fact is one line item about an alert, as escaped mrkdwn; a group shows the facts all its alerts share once. */
export interface Fact {
  readonly key: string;
  readonly mrkdwn: string;
}

/** FACT_LABELS are the labels facts show, so an alert's other labels are the ones that tell it apart. */
export const FACT_LABELS: ReadonlySet<string> = new Set([
  'alertname',
  'severity',
  'cluster',
  'namespace',
  'model',
  'slo',
  'service',
  'sloth_slo',
  'sloth_service',
  'sloth_id',
  'sloth_severity',
  'tier',
  'long_window',
  'short_window',
  'window',
  'burn_rate',
]);

const SCOPE: readonly (readonly [string, string])[] = [
  ['cluster', 'Cluster'],
  ['namespace', 'Namespace'],
  ['model', 'Model'],
];

/** facts lists what is known about the alert, in a fixed order: severity, scope, SLO. */
export function facts(a: Alert): Fact[] {
  const out: Fact[] = [];
  const sev = severity(a);
  if (sev !== undefined) out.push({ key: 'severity', mrkdwn: `*Severity* ${severityMarker(sev)} ${escape(sev)}` });
  for (const [label, title] of SCOPE) {
    const v = a.labels.get(label);
    if (v !== '') out.push({ key: label, mrkdwn: `*${title}* ${escape(v)}` });
  }
  out.push(...sloFacts(a));
  return out;
}

function sloFacts(a: Alert): Fact[] {
  const out: Fact[] = [];
  const slo = a.labels.get('slo') || a.labels.get('sloth_slo');
  const service = a.labels.get('service') || a.labels.get('sloth_service');
  if (slo !== '') {
    const tier = a.labels.get('tier');
    const name = service === '' ? slo : `${service} / ${slo}`;
    out.push({ key: 'slo', mrkdwn: `*SLO* ${escape(name)}${tier === '' ? '' : ` (${escape(tier)})`}` });
  }
  const observed = a.annotations.get('burn_rate');
  const threshold = a.labels.get('burn_rate');
  const long = a.labels.get('long_window') || a.labels.get('window');
  const short = a.labels.get('short_window');
  if (observed !== '' || threshold !== '') {
    let text = observed !== '' ? `${escape(number3(observed))}x` : `over ${escape(number3(threshold))}x`;
    if (long !== '') text += ` over ${escape(long)}${short === '' ? '' : ` and ${escape(short)}`}`;
    if (observed !== '' && threshold !== '') text += ` (threshold ${escape(number3(threshold))}x)`;
    out.push({ key: 'burn_rate', mrkdwn: `*Burn rate* ${text}` });
  }
  const budget = a.annotations.get('budget_remaining') || a.annotations.get('error_budget_remaining');
  if (budget !== '') out.push({ key: 'budget', mrkdwn: `*Budget left* ${escape(percent(budget))}` });
  return out;
}

/** summary is the alert's `summary` annotation, else its `description`, else undefined (raw text). */
export function summary(a: Alert): string | undefined {
  return a.annotations.get('summary') || a.annotations.get('description') || undefined;
}

/** severity is the `severity` label, else Sloth's `sloth_severity`. */
export function severity(a: Alert): string | undefined {
  return a.labels.get('severity') || a.labels.get('sloth_severity') || undefined;
}

/** Links are where a reader goes next, as raw URLs (made safe where they are rendered). */
export interface Links {
  readonly runbook: string | undefined;
  readonly dashboard: string | undefined;
  readonly source: string | undefined;
}

export function links(a: Alert): Links {
  return {
    runbook: a.annotations.get('runbook_url') || a.annotations.get('runbook') || undefined,
    dashboard: a.annotations.get('dashboard_url') || a.annotations.get('dashboard') || undefined,
    source: a.generatorURL || undefined,
  };
}

const RANKS: Readonly<Record<string, number>> = {
  critical: 3,
  page: 3,
  error: 3,
  high: 3,
  warning: 2,
  warn: 2,
  ticket: 2,
  medium: 2,
  info: 1,
  low: 1,
  none: 0,
};

/** severityRank orders severities: 3 for critical/page, 2 for warning/ticket, 1 for info, 0 otherwise. */
export function severityRank(sev: string | undefined): number {
  return sev === undefined ? 0 : (RANKS[sev.toLowerCase()] ?? 0);
}

/** severityMarker is the emoji that stands for a severity: red, orange, blue, or a siren when unknown. */
export function severityMarker(sev: string | undefined): string {
  switch (severityRank(sev)) {
    case 3:
      return ':red_circle:';
    case 2:
      return ':large_orange_circle:';
    case 1:
      return ':large_blue_circle:';
    default:
      return ':rotating_light:';
  }
}
