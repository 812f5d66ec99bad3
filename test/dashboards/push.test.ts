import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { vigilCli } from '../support/cli.js';
import { freePort } from '../support/ports.js';

/**
 * A loopback fake of Grafana's classic HTTP API (no Grafana can run here): folders by uid,
 * POST /api/dashboards/db, Bearer service-account tokens. It answers as Grafana 11 does: 401
 * {"message":"Invalid API key"} for a bad token, 412 {"status":"version-mismatch"} for a
 * dashboard changed by someone else.
 */
const TOKEN = 'glsa_secret-token-1234567890';
const ENV = 'VIGIL_TEST_GRAFANA_TOKEN';

interface Posted {
  folderUid: string;
  overwrite: boolean;
  message: string;
  dashboard: { uid: string; id: unknown; title: string };
}

const folders = new Map<string, string>();
const posted: Posted[] = [];
/** conflicts are the uids the fake refuses with a 412, as if edited in the UI meanwhile. */
const conflicts = new Set<string>();
let server: Server;
let url: string;

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const text = await body(req);
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { message: 'Invalid API key' });
      const path = req.url ?? '';
      const folder = /^\/api\/folders\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && folder !== null) {
        const title = folders.get(decodeURIComponent(folder[1]!));
        return title === undefined ? send(404, { message: 'folder not found' }) : send(200, { uid: folder[1], title });
      }
      if (req.method === 'POST' && path === '/api/folders') {
        const f = JSON.parse(text) as { uid: string; title: string };
        folders.set(f.uid, f.title);
        return send(200, { id: folders.size, uid: f.uid, title: f.title });
      }
      if (req.method === 'POST' && path === '/api/dashboards/db') {
        const p = JSON.parse(text) as Posted;
        if (!folders.has(p.folderUid)) return send(400, { message: 'folder not found' });
        if (conflicts.has(p.dashboard.uid)) return send(412, { message: 'The dashboard has been changed by someone else', status: 'version-mismatch' });
        posted.push(p);
        return send(200, { id: posted.length, uid: p.dashboard.uid, url: `/d/${p.dashboard.uid}/x`, status: 'success', version: 3 });
      }
      return send(404, { message: 'Not found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  delete process.env[ENV];
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  folders.clear();
  posted.length = 0;
  conflicts.clear();
  process.env[ENV] = TOKEN;
});

const push = (...extra: string[]) => vigilCli(['dashboards', 'push', '--grafana-url', url, '--token-env', ENV, '--rules', 'rules/packs/ai-platform', ...extra]);

describe('vigil dashboards push', () => {
  it('creates the folders and posts every dashboard with overwrite', async () => {
    const r = await push();
    expect(r.code).toBe(0);
    expect([...folders.entries()]).toEqual([
      ['vigil-ai-platform', 'AI platform'],
      ['vigil-slos', 'SLOs'],
    ]);
    expect(posted).toHaveLength(10);
    expect(posted.every((p) => p.overwrite && p.dashboard.id === null)).toBe(true);
    expect(posted.find((p) => p.dashboard.uid === 'vigil-slo-overview')?.folderUid).toBe('vigil-slos');
    expect(posted.find((p) => p.dashboard.uid === 'vigil-gpu-fleet')?.folderUid).toBe('vigil-ai-platform');
    expect(r.stdout).toContain('pushed vigil-ai-platform-overview to folder "AI platform": version 3 /d/vigil-ai-platform-overview/x\n');
    expect(r.stderr).toContain('created folder "SLOs"\n');
    expect(r.stderr).toContain('pushing [10/10] slo-ai-queues-freshness\n');
    // A second push finds the folders and creates none.
    const again = await push();
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('created folder');
    expect(r.stdout + r.stderr + again.stdout + again.stderr).not.toContain(TOKEN);
  });

  it('reports a 412 version conflict in plain words, pushes the rest and exits 1', async () => {
    conflicts.add('vigil-cost');
    const r = await push();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'failed vigil-cost: Grafana refused dashboard "Cost" with a version conflict (412 Precondition Failed): the dashboard was changed in Grafana since it was last pushed (version mismatch) (Grafana says: The dashboard has been changed by someone else)\n',
    );
    expect(posted).toHaveLength(9);
    expect(r.stderr).toContain('dashboards push: 1 of 10 dashboards failed\n');
  });

  it('reports a 401 in plain words, stops, and never prints the token', async () => {
    process.env[ENV] = 'glsa_wrong-token';
    const r = await push('--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dashboards push: stopped: Grafana refused the token (401 Unauthorized): the service-account token is wrong, expired or revoked (Grafana says: Invalid API key)\n');
    expect(posted).toHaveLength(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ foldersCreated: [], results: [] });
    expect(r.stdout + r.stderr).not.toContain('glsa_wrong-token');
  });

  it('says what is missing: the token, the URL, a Grafana that does not answer', async () => {
    delete process.env[ENV];
    const noToken = await push();
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain(`no Grafana token: set the environment variable ${ENV}`);
    const noUrl = await vigilCli(['dashboards', 'push', '--rules', 'rules/packs/ai-platform']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('--grafana-url URL is required');
    process.env[ENV] = TOKEN;
    // A port just freed: nothing listens there.
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const closed = await vigilCli(['dashboards', 'push', '--grafana-url', nobody, '--token-env', ENV, '--rules', 'rules/packs/ai-platform']);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain(`stopped: cannot reach Grafana at ${nobody} for folder "AI platform": ECONNREFUSED`);
  });
});
