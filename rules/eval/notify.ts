import { LabelsBuilder } from '../../model/labels.js';
import type { Alert } from '../model.js';
import type { ActiveAlert } from './alert.js';

/**
 * toNotifierAlert is what Prometheus's rules manager and notifier make of an alert to send:
 * startsAt is when it fired, endsAt its resolution time or, while active, its validUntil; the
 * external labels are added where the alert does not set them; generatorURL links to the
 * expression's table view under the external URL.
 */
export function toNotifierAlert(a: ActiveAlert, expr: string, externalURL: string, externalLabels: Readonly<Record<string, string>>): Alert {
  let labels = a.labels;
  const names = Object.keys(externalLabels);
  if (names.length > 0) {
    const b = new LabelsBuilder(labels);
    for (const n of names) if (!labels.has(n)) b.set(n, externalLabels[n]!);
    labels = b.labels();
  }
  return {
    labels,
    annotations: a.annotations,
    startsAt: a.firedAt ?? a.activeAt,
    endsAt: a.resolvedAt ?? a.validUntil ?? a.activeAt,
    generatorURL: externalURL + tableLinkForExpression(expr),
  };
}

/** tableLinkForExpression is Prometheus's strutil.TableLinkForExpression: `/graph?g0.expr=...&g0.tab=1`. */
export function tableLinkForExpression(expr: string): string {
  return `/graph?g0.expr=${goQueryEscape(expr)}&g0.tab=1`;
}

/** graphLinkForExpression is Prometheus's strutil.GraphLinkForExpression: `/graph?g0.expr=...&g0.tab=0`. */
export function graphLinkForExpression(expr: string): string {
  return `/graph?g0.expr=${goQueryEscape(expr)}&g0.tab=0`;
}

/**
 * goQueryEscape is Go's url.QueryEscape: UTF-8 bytes, letters, digits and `-_.~` kept, space as `+`,
 * everything else `%XX` in upper case.
 */
export function goQueryEscape(s: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
