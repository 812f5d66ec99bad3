import { templateData, type TemplateData } from '../../notify/data.js';
import type { Notification } from '../../notify/types.js';

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
  const json = JSON.stringify(m);
  return (GO_ESCAPED.test(json) ? json.replace(GO_ESCAPED_ALL, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : json) + '\n';
}

const GO_ESCAPED = /[<>&\u2028\u2029]/;
const GO_ESCAPED_ALL = /[<>&\u2028\u2029]/g;

/**
 * goTimeJSON is a time as Go's time.Time marshals to JSON (RFC 3339 with only the fraction
 * digits needed): `2024-01-01T00:00:00Z`, `2024-01-01T00:00:00.5Z`.
 */
export function goTimeJSON(rfc3339: string): string {
  return rfc3339.replace(/\.(\d*?)0*Z$/, (_m, digits: string) => (digits === '' ? 'Z' : `.${digits}Z`));
}
