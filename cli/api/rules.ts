import type { IncomingMessage, ServerResponse } from 'node:http';
import { alertsAPIResponse, rulesAPIResponse, type RuleManager } from '../../rules/eval/index.js';
import { sendJSON } from '../server.js';

/** rulesHandler serves Prometheus's GET /api/v1/rules (`type=alert|record` filters). */
export function rulesHandler(manager: () => RuleManager | undefined) {
  return (_req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const m = manager();
    const type = url.searchParams.get('type') ?? '';
    if (type !== '' && type !== 'alert' && type !== 'record') {
      return sendJSON(res, 400, { status: 'error', errorType: 'bad_data', error: `not supported value "${type}"` });
    }
    const filter = type === '' ? undefined : (type as 'alert' | 'record');
    sendJSON(res, 200, { status: 'success', data: rulesAPIResponse(m?.groups() ?? [], filter) });
  };
}

/** alertsHandler serves Prometheus's GET /api/v1/alerts: every pending and firing alert. */
export function alertsHandler(manager: () => RuleManager | undefined) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    const m = manager();
    sendJSON(res, 200, { status: 'success', data: alertsAPIResponse(m?.groups() ?? []) });
  };
}
