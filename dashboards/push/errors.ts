/**
 * GrafanaError is a failed Grafana API call, told in plain words. `fatal` says that every further
 * call would fail the same way (a bad token, Grafana unreachable), so a push stops at once.
 * Messages never hold the token: it is not part of any URL or body the error quotes.
 */
export class GrafanaError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly fatal: boolean,
  ) {
    super(message);
    this.name = 'GrafanaError';
  }
}

/** grafanaMessage is what Grafana said, from its JSON error body ({message, status}). */
function grafanaMessage(body: string): { message: string; status: string } {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; status?: unknown };
    return { message: typeof parsed.message === 'string' ? parsed.message : '', status: typeof parsed.status === 'string' ? parsed.status : '' };
  } catch {
    return { message: body.trim().slice(0, 200), status: '' };
  }
}

/**
 * describeFailure turns an HTTP error response of `what` (such as `dashboard "SLOs"`) into a
 * GrafanaError that says what happened and what to do.
 */
export function describeFailure(what: string, status: number, body: string): GrafanaError {
  const g = grafanaMessage(body);
  const said = g.message === '' ? '' : ` (Grafana says: ${g.message})`;
  switch (status) {
    case 401:
      return new GrafanaError(`Grafana refused the token (401 Unauthorized): the service-account token is wrong, expired or revoked${said}`, status, true);
    case 403:
      return new GrafanaError(`Grafana denied ${what} (403 Forbidden): the service account needs the Editor role, or write access to the folder${said}`, status, true);
    case 404:
      return new GrafanaError(`Grafana has no such folder or endpoint for ${what} (404 Not Found): check --grafana-url points at Grafana itself${said}`, status, false);
    case 412: {
      const why =
        g.status === 'name-exists'
          ? 'another dashboard with the same title already exists in the folder'
          : g.status === 'plugin-dashboard'
            ? 'a plugin owns a dashboard with this uid'
            : 'the dashboard was changed in Grafana since it was last pushed (version mismatch)';
      return new GrafanaError(`Grafana refused ${what} with a version conflict (412 Precondition Failed): ${why}${said}`, status, false);
    }
    case 400:
      return new GrafanaError(`Grafana rejected ${what} as invalid (400 Bad Request)${said}`, status, false);
    default:
      return new GrafanaError(`Grafana failed ${what} (HTTP ${status})${said}`, status, status >= 500);
  }
}
