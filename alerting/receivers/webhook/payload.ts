import type { Labels } from '../../../model/labels.js';
import { fingerprint } from '../../fingerprint.js';
import { templateData, type TemplateData } from '../../notify/data.js';
import type { Notification } from '../../notify/types.js';
import { isResolvedAt, type Alert } from '../../types.js';

/**
 * WebhookMessage is Alertmanager's webhook body, version 4: the notification's template data plus
 * the protocol version, the group key and how many alerts maxAlerts left out. Property order is
 * Alertmanager's (the template data first), so the JSON reads the same.
 */
export interface WebhookMessage extends TemplateData {
  readonly version: '4';
  readonly truncatedAlerts: number;
}

/**
 * webhookMessage builds the body for one notification. With `maxAlerts > 0`, only the first
 * maxAlerts alerts are sent and the rest counted in truncatedAlerts; as in Alertmanager the
 * alerts are cut first, so status and the common labels describe the alerts sent.
 */
export function webhookMessage(n: Notification, maxAlerts: number): WebhookMessage {
  const cut = maxAlerts > 0 && n.alerts.length > maxAlerts;
  const data = templateData(cut ? { ...n, alerts: n.alerts.slice(0, maxAlerts) } : n);
  return {
    receiver: data.receiver,
    status: data.status,
    alerts: data.alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: goTimeJSON(a.startsAt),
      endsAt: goTimeJSON(a.endsAt),
      generatorURL: a.generatorURL,
      fingerprint: a.fingerprint,
    })),
    groupLabels: data.groupLabels,
    commonLabels: data.commonLabels,
    commonAnnotations: data.commonAnnotations,
    externalURL: data.externalURL,
    version: '4',
    groupKey: data.groupKey,
    truncatedAlerts: cut ? n.alerts.length - maxAlerts : 0,
  };
}

/**
 * encodeWebhookMessage is the body as Go's json.Encoder writes it: map keys sorted, `<`, `>`,
 * `&`, U+2028 and U+2029 escaped as \u00XX, and a final newline.
 */
export function encodeWebhookMessage(m: WebhookMessage): string {
  // Label and annotation records come from sorted label sets, so their keys are already in
  // Go's map order (names cannot start with a digit, so JavaScript keeps insertion order).
  return goJSON(m) + '\n';
}

const GO_ESCAPED = /[<>&\u2028\u2029]/;
const GO_ESCAPED_ALL = /[<>&\u2028\u2029]/g;

/**
 * webhookBody is encodeWebhookMessage(webhookMessage(n, maxAlerts)), byte for byte, written
 * straight from the alerts: a group's flush is the alerting path's hottest loop, and the
 * intermediate objects (template data, then the message) cost more than the JSON itself. The
 * pieces are collected and joined once, which makes one flat string; concatenating them would
 * leave a tree of partial strings behind, flattened again when the body is sent. Nothing is cached
 * per label set: a WeakMap of thousands of live label sets costs the garbage collector more
 * (ephemerons are traced at every collection) than writing the JSON again.
 */
export function webhookBody(n: Notification, maxAlerts: number): string {
  const cut = maxAlerts > 0 && n.alerts.length > maxAlerts;
  const alerts = cut ? n.alerts.slice(0, maxAlerts) : n.alerts;
  const times = new GoTimes();
  const firing = anyFiring(alerts, n.now);
  const out: string[] = ['{"receiver":', stringJSON(n.receiver), ',"status":"', firing ? 'firing' : 'resolved', '","alerts":['];
  for (let i = 0; i < alerts.length; i++) {
    const a = alerts[i]!;
    const resolved = isResolvedAt(a, n.now);
    out.push(i === 0 ? '{"status":"' : ',{"status":"', resolved ? 'resolved' : 'firing', '","labels":');
    labelsJSON(out, a.labels);
    out.push(',"annotations":');
    labelsJSON(out, a.annotations);
    out.push(
      ',"startsAt":"', times.format(a.startsAt),
      '","endsAt":"', resolved ? times.format(a.endsAt) : GO_ZERO_TIME,
      '","generatorURL":', stringJSON(a.generatorURL),
      ',"fingerprint":"', fingerprint(a.labels), '"}',
    );
  }
  out.push('],"groupLabels":');
  labelsJSON(out, n.groupLabels);
  out.push(',"commonLabels":');
  commonJSON(out, alerts, labelsOf);
  out.push(',"commonAnnotations":');
  commonJSON(out, alerts, annotationsOf);
  out.push(
    ',"externalURL":', stringJSON(n.externalURL),
    ',"version":"4","groupKey":', stringJSON(n.groupKey),
    ',"truncatedAlerts":', String(cut ? n.alerts.length - maxAlerts : 0), '}\n',
  );
  return out.join('');
}

/** anyFiring says whether any of the alerts is firing at `now` (the group's status then is firing). */
function anyFiring(alerts: readonly Alert[], now: number): boolean {
  for (let i = 0; i < alerts.length; i++) if (!isResolvedAt(alerts[i]!, now)) return true;
  return false;
}

const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** goJSON is a JSON value as Go's encoder writes it (HTML characters and U+2028/9 escaped). */
function goJSON(v: unknown): string {
  const json = JSON.stringify(v);
  return GO_ESCAPED.test(json) ? json.replace(GO_ESCAPED_ALL, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : json;
}

/**
 * labelsJSON writes a label set as a JSON object, names in order (they come sorted). Names are
 * valid label names, which JSON writes as they are; a value with nothing to escape is quoted as it is.
 */
function labelsJSON(out: string[], labels: Labels): void {
  const flat = labels.toFlat();
  if (flat.length === 0) {
    out.push('{}');
    return;
  }
  for (let i = 0; i < flat.length; i += 2) out.push(i === 0 ? '{"' : ',"', flat[i]!, '":', stringJSON(flat[i + 1]!));
  out.push('}');
}

/** stringJSON is a string as Go's encoder writes it; most need no escaping and are quoted as they are. */
function stringJSON(v: string): string {
  return PLAIN.test(v) ? '"' + v + '"' : goJSON(v);
}

/** PLAIN: printable ASCII that neither JSON nor Go's encoder escapes. */
const PLAIN = /^[\x20\x21\x23-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e]*$/;

const labelsOf = (a: Alert): Labels => a.labels;
const annotationsOf = (a: Alert): Labels => a.annotations;

/** commonJSON writes the pairs every alert's set shares (CommonLabels / CommonAnnotations) as JSON. */
function commonJSON(out: string[], alerts: readonly Alert[], set: (a: Alert) => Labels): void {
  if (alerts.length === 0) {
    out.push('{}');
    return;
  }
  const first = set(alerts[0]!);
  const flat = first.toFlat();
  const keep: boolean[] = new Array<boolean>(flat.length >> 1).fill(true);
  for (let i = 1; i < alerts.length; i++) {
    const other = set(alerts[i]!);
    if (other === first) continue;
    const o = other.toFlat();
    for (let j = 0; j < keep.length; j++) {
      if (!keep[j]) continue;
      // A group's label sets mostly have the same names: look at the same place first.
      const name = flat[2 * j]!;
      const value = o[2 * j] === name ? o[2 * j + 1] : other.get(name);
      if (value !== flat[2 * j + 1]) keep[j] = false;
    }
  }
  let opened = false;
  for (let j = 0; j < keep.length; j++) {
    if (!keep[j]) continue;
    out.push(opened ? ',"' : '{"', flat[2 * j]!, '":', stringJSON(flat[2 * j + 1]!));
    opened = true;
  }
  out.push(opened ? '}' : '{}');
}

/** GoTimes formats ms times as goTimeJSON does, remembering the last: a group's alerts often share one. */
class GoTimes {
  private lastMs = Number.NaN;
  private lastText = '';

  format(ms: number): string {
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastText = goTimeJSON(new Date(ms).toISOString());
    }
    return this.lastText;
  }
}

/**
 * goTimeJSON is a time as Go's time.Time marshals to JSON (RFC 3339 with only the fraction
 * digits needed): `2024-01-01T00:00:00Z`, `2024-01-01T00:00:00.5Z`.
 */
export function goTimeJSON(rfc3339: string): string {
  return rfc3339.replace(/\.(\d*?)0*Z$/, (_m, digits: string) => (digits === '' ? 'Z' : `.${digits}Z`));
}
