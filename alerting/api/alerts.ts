import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Labels } from '../../model/labels.js';
import type { Alerting } from '../service.js';
import { fingerprint } from '../fingerprint.js';
import { BodyTooLarge, readTextBody } from './body.js';
import { decodePostableAlerts } from './postable.js';

export interface AlertsAPIOptions {
  readonly alerting: Alerting;
  readonly now: () => number;
  readonly resolveTimeoutMs: number;
  /** bodyLimit: the largest POST body accepted, in bytes (default 8 MiB). */
  readonly bodyLimit?: number;
  /** rateLimit: per-source token bucket (alerts per second and burst); undefined for none. */
  readonly admit?: (source: string, alerts: number) => boolean;
  readonly silencedBy?: (labels: Labels, now: number) => string[];
  readonly inhibitedBy?: (labels: Labels, now: number) => string[];
  /** receiversOf names the receivers an alert routes to, for GET's `receivers`. */
  readonly receiversOf?: (labels: Labels) => string[];
}

/**
 * postAlerts is Alertmanager's `POST /api/v2/alerts`: Prometheus can use vigil as its
 * Alertmanager. Valid alerts are taken even when some in the batch are invalid; the answer is
 * then 400 with every problem, as Alertmanager answers.
 */
export function postAlertsHandler(o: AlertsAPIOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let text: string;
    let body: unknown;
    try {
      text = await readTextBody(req, o.bodyLimit ?? 8 << 20);
      body = JSON.parse(text);
    } catch (err) {
      if (err instanceof BodyTooLarge) return sendJSONString(res, 413, err.message);
      return sendJSONString(res, 400, `invalid JSON body: ${(err as Error).message}`);
    }
    const now = o.now();
    const { alerts, errors } = decodePostableAlerts(body, now, o.resolveTimeoutMs);
    const source = req.socket.remoteAddress ?? 'unknown';
    if (o.admit !== undefined && !o.admit(source, alerts.length)) {
      res.setHeader('Retry-After', '1');
      return sendJSONString(res, 429, `rate limit exceeded for ${source}`);
    }
    // The body is journaled as it came: a restart decodes it again (at this `now`).
    o.alerting.receive(alerts, { text, resolveTimeoutMs: o.resolveTimeoutMs });
    if (errors.length > 0) return sendJSONString(res, 400, errors.join('; '));
    res.writeHead(200).end();
  };
}

/** getAlertsHandler is Alertmanager's `GET /api/v2/alerts` (the GettableAlert shape). */
export function getAlertsHandler(o: AlertsAPIOptions) {
  return (_req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const now = o.now();
    const wantActive = url.searchParams.get('active') !== 'false';
    const wantSilenced = url.searchParams.get('silenced') !== 'false';
    const wantInhibited = url.searchParams.get('inhibited') !== 'false';
    const out: unknown[] = [];
    for (const a of o.alerting.store.values()) {
      if (a.endsAt <= now) continue;
      const silencedBy = o.silencedBy?.(a.labels, now) ?? [];
      const inhibitedBy = o.inhibitedBy?.(a.labels, now) ?? [];
      const suppressed = silencedBy.length > 0 || inhibitedBy.length > 0;
      if (!suppressed && !wantActive) continue;
      if (silencedBy.length > 0 && !wantSilenced) continue;
      if (inhibitedBy.length > 0 && !wantInhibited) continue;
      out.push({
        labels: a.labels.toRecord(),
        annotations: a.annotations.toRecord(),
        startsAt: new Date(a.startsAt).toISOString(),
        endsAt: new Date(a.endsAt).toISOString(),
        updatedAt: new Date(a.updatedAt).toISOString(),
        generatorURL: a.generatorURL,
        fingerprint: fingerprint(a.labels),
        receivers: (o.receiversOf?.(a.labels) ?? []).map((name) => ({ name })),
        status: { state: suppressed ? 'suppressed' : 'active', silencedBy, inhibitedBy },
      });
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(out));
  };
}

/**
 * statusHandler is `GET /api/v2/status`, enough for amtool and dashboards: no cluster (vigil runs
 * one instance), version, uptime, and the config as the names of its parts, never its secrets.
 */
export function statusHandler(o: { readonly started: number; readonly version: string; readonly configSummary: () => string }) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({
        cluster: { status: 'disabled', peers: [] },
        versionInfo: { version: o.version, branch: '', revision: '', buildUser: '', buildDate: '', goVersion: '' },
        config: { original: o.configSummary() },
        uptime: new Date(o.started).toISOString(),
      }),
    );
  };
}

/** Alertmanager answers API errors with a JSON string body. */
function sendJSONString(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(message));
}
