import { describeFailure, GrafanaError } from './errors.js';

/** FolderRef is a Grafana folder: its uid and title. */
export interface FolderRef {
  readonly uid: string;
  readonly title: string;
}

/** SavedDashboard is Grafana's answer to POST /api/dashboards/db. */
export interface SavedDashboard {
  readonly uid: string;
  readonly url: string;
  readonly version: number;
  readonly status: string;
}

/**
 * GrafanaClient speaks the classic HTTP API of Grafana (9 and later) with a service-account token
 * as Bearer credentials. The token is held here and sent only in the Authorization header.
 */
export class GrafanaClient {
  private readonly base: string;

  constructor(
    url: string,
    private readonly token: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  private async call(what: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}${path}`, {
        method,
        headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new GrafanaError(`cannot reach Grafana at ${this.base} for ${what}: ${cause?.code ?? cause?.message ?? (err as Error).message}`, undefined, true);
    }
    return { status: res.status, text: await res.text() };
  }

  /** ensureFolder creates the folder unless a folder with its uid exists; returns whether it created it. */
  async ensureFolder(folder: FolderRef): Promise<boolean> {
    const what = `folder ${JSON.stringify(folder.title)}`;
    const got = await this.call(what, 'GET', `/api/folders/${encodeURIComponent(folder.uid)}`);
    if (got.status === 200) return false;
    if (got.status !== 404) throw describeFailure(what, got.status, got.text);
    const made = await this.call(what, 'POST', '/api/folders', { uid: folder.uid, title: folder.title });
    // 409: a folder of that title exists under another uid; the dashboards could not name it.
    if (made.status === 200) return true;
    throw describeFailure(what, made.status, made.text);
  }

  /** saveDashboard posts a classic dashboard into a folder, overwriting what has its uid. */
  async saveDashboard(dashboard: Record<string, unknown>, folderUid: string, message: string): Promise<SavedDashboard> {
    const what = `dashboard ${JSON.stringify(dashboard['title'] ?? dashboard['uid'])}`;
    // id null: Grafana finds the dashboard by uid, whatever its numeric id is in this instance.
    const res = await this.call(what, 'POST', '/api/dashboards/db', { dashboard: { ...dashboard, id: null }, folderUid, message, overwrite: true });
    if (res.status !== 200) throw describeFailure(what, res.status, res.text);
    const body = JSON.parse(res.text) as Partial<SavedDashboard>;
    return { uid: String(body.uid ?? dashboard['uid']), url: String(body.url ?? ''), version: Number(body.version ?? 0), status: String(body.status ?? 'success') };
  }
}
