import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A loopback fake of the Kubernetes API server's pod endpoints, speaking the real wire format to
 * the real @kubernetes/client-node (and to client-go, inside Prometheus):
 *
 * - `GET /api/v1/pods` and `GET /api/v1/namespaces/{ns}/pods`: a `PodList` with
 *   `metadata.resourceVersion`, items in etcd key order (namespace, name), `labelSelector`
 *   (=, ==, !=, exists, !exists, in, notin) and `fieldSelector` (metadata.name,
 *   metadata.namespace, spec.nodeName, status.phase, status.podIP with =, ==, !=) filtering, and
 *   `limit` / `continue` paging from a snapshot;
 * - the same paths with `watch=1` or `watch=true`: newline-delimited `{type, object}` events after
 *   `resourceVersion` (replayed from history), BOOKMARKs on request when `allowWatchBookmarks`, and
 *   the API server's watch-cache rule that an object leaving a selector arrives as DELETED and one
 *   entering it as ADDED; a version older than the compaction point gets an ERROR event with a 410
 *   `Status` (reason Expired), as the real server sends it;
 * - `Authorization: Bearer <token>` checked when a token is set (401 `Status` otherwise);
 * - `GET /version`.
 *
 * Pods are stored as the API server would return them: defaulted protocol, uid, creation time
 * and a resourceVersion from one cluster-wide counter.
 */

/**
 * selfSignedCert makes a certificate for 127.0.0.1 with openssl (a P-256 key, valid one day). It is
 * its own CA: write `cert` as the client's ca.crt to trust the fake over https.
 */
export function selfSignedCert(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-kube-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** FakePod is a pod object as the fake stores and serves it (the JSON of a v1.Pod). */
export type FakePod = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
  };
  spec: {
    nodeName?: string;
    containers: FakeContainer[];
    initContainers?: FakeContainer[];
  };
  status: {
    phase?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    hostIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { name: string; containerID?: string; ready: boolean; restartCount: number; image: string; imageID: string }[];
    initContainerStatuses?: { name: string; containerID?: string; ready: boolean; restartCount: number; image: string; imageID: string }[];
  };
};

export interface FakeContainer {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
}

/** PodInput is what makePod needs; everything else gets a plausible default. */
export interface PodInput {
  readonly namespace: string;
  readonly name: string;
  /** ip is status.podIP; undefined for a pod that has none yet. */
  readonly ip?: string;
  readonly hostIP?: string;
  readonly node?: string;
  readonly phase?: string;
  readonly ready?: boolean;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  /** owner is the controller: `{kind: 'DaemonSet', name: 'dcgm-exporter'}`. */
  readonly owner?: { readonly kind: string; readonly name: string };
  readonly containers?: FakeContainer[];
  readonly initContainers?: FakeContainer[];
}

/** makePod builds a Running, Ready pod object with one container per `containers` entry (one `main` container by default). */
export function makePod(p: PodInput): FakePod {
  const containers = p.containers ?? [{ name: 'main', image: 'registry.example/main:1', ports: [{ name: 'metrics', containerPort: 8080 }] }];
  const statusOf = (c: FakeContainer, i: number) => ({
    name: c.name,
    containerID: `containerd://${p.name}-${c.name}-${i}`,
    ready: p.ready ?? true,
    restartCount: 0,
    image: c.image,
    imageID: `${c.image}@sha256:0`,
  });
  return {
    metadata: {
      name: p.name,
      namespace: p.namespace,
      ...(p.labels === undefined ? {} : { labels: { ...p.labels } }),
      ...(p.annotations === undefined ? {} : { annotations: { ...p.annotations } }),
      ...(p.owner === undefined
        ? {}
        : { ownerReferences: [{ apiVersion: 'apps/v1', kind: p.owner.kind, name: p.owner.name, uid: randomUUID(), controller: true, blockOwnerDeletion: true }] }),
    },
    spec: {
      ...(p.node === undefined ? {} : { nodeName: p.node }),
      containers,
      ...(p.initContainers === undefined ? {} : { initContainers: p.initContainers }),
    },
    status: {
      phase: p.phase ?? 'Running',
      ...(p.ip === undefined ? {} : { podIP: p.ip, podIPs: [{ ip: p.ip }] }),
      ...(p.hostIP === undefined ? {} : { hostIP: p.hostIP }),
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: p.ready === false ? 'False' : 'True' },
        { type: 'ContainersReady', status: p.ready === false ? 'False' : 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: containers.map(statusOf),
      ...(p.initContainers === undefined ? {} : { initContainerStatuses: p.initContainers.map(statusOf) }),
    },
  };
}

/** FakeRequest is one request the fake served, for assertions on what the client sent. */
export interface FakeRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly watch: boolean;
  readonly authorization: string | undefined;
  readonly status: number;
}

interface HistoryEvent {
  readonly rv: number;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly obj: FakePod;
  readonly prev: FakePod | undefined;
}

interface Watcher {
  readonly res: ServerResponse;
  readonly namespace: string | undefined;
  readonly match: (p: FakePod) => boolean;
  readonly bookmarks: boolean;
}

export interface KubeFakeOptions {
  /** token the fake requires as `Authorization: Bearer <token>`; none means no check. */
  readonly token?: string;
  /** tls serves https with this certificate and key (PEM). */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** port to listen on; a free one by default. */
  readonly port?: number;
}

export class KubeFake {
  readonly requests: FakeRequest[] = [];
  /** token is the bearer token required from now on (rotate it to test credential reloads); undefined means none. */
  token: string | undefined;
  private readonly pods = new Map<string, FakePod>();
  private history: HistoryEvent[] = [];
  private rv = 100;
  private compactedRv = 0;
  private readonly watchers = new Set<Watcher>();
  private readonly snapshots = new Map<string, { rv: number; items: FakePod[] }>();
  private readonly sockets = new Set<Socket>();
  private readonly failures: { status: number; watch: boolean | undefined }[] = [];
  private server: Server;
  private port = 0;

  private constructor(private readonly opts: KubeFakeOptions) {
    this.token = opts.token;
    this.server = this.makeServer();
  }

  static async start(opts: KubeFakeOptions = {}): Promise<KubeFake> {
    const fake = new KubeFake(opts);
    await fake.listen(opts.port ?? 0);
    return fake;
  }

  get url(): string {
    return `${this.opts.tls === undefined ? 'http' : 'https'}://127.0.0.1:${this.port}`;
  }

  get listeningPort(): number {
    return this.port;
  }

  /** openWatches is how many watch streams are open now. */
  get openWatches(): number {
    return this.watchers.size;
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  /** addPod creates a pod (API-server defaults applied) and tells the watchers; it returns the stored object. */
  addPod(pod: FakePod): FakePod {
    const key = keyOf(pod);
    if (this.pods.has(key)) throw new Error(`pod ${key} already exists`);
    const stored = defaulted(structuredClone(pod));
    stored.metadata.uid ??= randomUUID();
    stored.metadata.creationTimestamp ??= '2025-01-01T00:00:00Z';
    stored.metadata.resourceVersion = String(++this.rv);
    this.pods.set(key, stored);
    this.record({ rv: this.rv, type: 'ADDED', obj: stored, prev: undefined });
    return structuredClone(stored);
  }

  /** modifyPod changes a pod in place through `mutate` and tells the watchers. */
  modifyPod(namespace: string, name: string, mutate: (pod: FakePod) => void): FakePod {
    const key = `${namespace}/${name}`;
    const prev = this.pods.get(key);
    if (prev === undefined) throw new Error(`no pod ${key}`);
    const next = structuredClone(prev);
    mutate(next);
    defaulted(next);
    next.metadata.resourceVersion = String(++this.rv);
    this.pods.set(key, next);
    this.record({ rv: this.rv, type: 'MODIFIED', obj: next, prev });
    return structuredClone(next);
  }

  /** deletePod removes a pod; watchers get DELETED with its last state at the new resourceVersion. */
  deletePod(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const prev = this.pods.get(key);
    if (prev === undefined) throw new Error(`no pod ${key}`);
    this.pods.delete(key);
    const obj = structuredClone(prev);
    obj.metadata.resourceVersion = String(++this.rv);
    this.record({ rv: this.rv, type: 'DELETED', obj, prev });
  }

  /** bookmark sends a BOOKMARK at the current resourceVersion to every watcher that allowed them. */
  bookmark(): void {
    const event = { type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: String(this.rv), creationTimestamp: null } } };
    for (const w of this.watchers) if (w.bookmarks) send(w.res, event);
  }

  /**
   * forceGone compacts history at the current version: every open watch gets an ERROR 410 and is
   * closed, a watch resumed from any older version gets the same, and paging tokens expire.
   */
  forceGone(): void {
    this.compactedRv = this.rv;
    this.history = [];
    this.snapshots.clear();
    for (const w of [...this.watchers]) {
      send(w.res, { type: 'ERROR', object: goneStatus(Number.NaN, this.compactedRv) });
      this.endWatch(w);
    }
  }

  /** closeWatches ends every open watch stream normally, as the server does when a watch's timeoutSeconds passes. */
  closeWatches(): void {
    for (const w of [...this.watchers]) this.endWatch(w);
  }

  /** failNext makes the next request (a list, a watch, or either) answer with `status` and a Status body. */
  failNext(status: number, kind?: 'list' | 'watch'): void {
    this.failures.push({ status, watch: kind === undefined ? undefined : kind === 'watch' });
  }

  /** down stops listening and cuts every connection, as a crashed API server would. */
  async down(): Promise<void> {
    for (const w of [...this.watchers]) this.watchers.delete(w);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** up listens again on the same port. */
  async up(): Promise<void> {
    this.server = this.makeServer();
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.down();
  }

  private makeServer(): Server {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    const server = this.opts.tls === undefined ? createHttpServer(handler) : createHttpsServer({ cert: this.opts.tls.cert, key: this.opts.tls.key }, handler);
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    return server;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const watch = url.searchParams.get('watch') === '1' || url.searchParams.get('watch') === 'true';
    const answer = (status: number, body: unknown) => {
      this.requests.push({ path: url.pathname, query: url.searchParams, watch, authorization: req.headers.authorization, status });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return answer(405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));
    if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) {
      return answer(401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    if (url.pathname === '/version') return answer(200, { major: '1', minor: '29', gitVersion: 'v1.29.0', platform: 'linux/amd64' });
    const m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?pods$/.exec(url.pathname);
    if (m === null) return answer(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const failure = this.failures.findIndex((f) => f.watch === undefined || f.watch === watch);
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return answer(f!.status, status(f!.status, 'InternalError', `injected failure ${f!.status}`));
    }
    const namespace = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
    let match: (p: FakePod) => boolean;
    try {
      match = selectorMatcher(url.searchParams.get('labelSelector') ?? '', url.searchParams.get('fieldSelector') ?? '');
    } catch (err) {
      return answer(400, status(400, 'BadRequest', (err as Error).message));
    }
    const inScope = (p: FakePod) => (namespace === undefined || p.metadata.namespace === namespace) && match(p);
    if (!watch) return this.list(url.searchParams, inScope, answer);
    this.requests.push({ path: url.pathname, query: url.searchParams, watch, authorization: req.headers.authorization, status: 200 });
    this.watch(url.searchParams, namespace, match, inScope, res);
  }

  private list(q: URLSearchParams, inScope: (p: FakePod) => boolean, answer: (status: number, body: unknown) => void): void {
    const cont = q.get('continue');
    let snapshot: { rv: number; items: FakePod[] };
    let start = 0;
    if (cont !== null && cont !== '') {
      const [id, offset] = cont.split(':');
      const s = this.snapshots.get(id ?? '');
      if (s === undefined) {
        return answer(410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'));
      }
      snapshot = s;
      start = Number(offset);
    } else {
      const items = [...this.pods.values()].filter(inScope).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
      snapshot = { rv: this.rv, items: items.map((p) => structuredClone(p)) };
    }
    const limit = Number(q.get('limit') ?? '0');
    const end = limit > 0 ? Math.min(snapshot.items.length, start + limit) : snapshot.items.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(snapshot.rv) };
    if (end < snapshot.items.length) {
      const id = randomUUID();
      this.snapshots.set(id, snapshot);
      metadata['continue'] = `${id}:${end}`;
      metadata['remainingItemCount'] = snapshot.items.length - end;
    }
    answer(200, { kind: 'PodList', apiVersion: 'v1', metadata, items: snapshot.items.slice(start, end) });
  }

  private watch(q: URLSearchParams, namespace: string | undefined, match: (p: FakePod) => boolean, inScope: (p: FakePod) => boolean, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    const w: Watcher = { res, namespace, match, bookmarks: q.get('allowWatchBookmarks') === 'true' };
    const from = q.get('resourceVersion') ?? '';
    if (from === '' || from === '0') {
      // "Start at any version": the current state as synthetic ADDED events, then changes.
      for (const p of [...this.pods.values()].filter(inScope)) send(res, { type: 'ADDED', object: wire(p) });
    } else {
      const rv = Number(from);
      if (!Number.isFinite(rv) || rv < this.compactedRv) {
        send(res, { type: 'ERROR', object: goneStatus(rv, this.compactedRv) });
        res.end();
        return;
      }
      for (const e of this.history) if (e.rv > rv) this.deliver(w, e);
    }
    this.watchers.add(w);
    res.on('close', () => this.watchers.delete(w));
  }

  private record(e: HistoryEvent): void {
    this.history.push(e);
    for (const w of this.watchers) this.deliver(w, e);
  }

  /** deliver sends `e` to `w` as the API server's watch cache would, given w's namespace and selectors. */
  private deliver(w: Watcher, e: HistoryEvent): void {
    const inNs = (p: FakePod | undefined) => p !== undefined && (w.namespace === undefined || p.metadata.namespace === w.namespace);
    const cur = e.type !== 'DELETED' && inNs(e.obj) && w.match(e.obj);
    const old = e.prev !== undefined && inNs(e.prev) && w.match(e.prev);
    if (cur && !old) send(w.res, { type: 'ADDED', object: wire(e.obj) });
    else if (cur && old) send(w.res, { type: 'MODIFIED', object: wire(e.obj) });
    else if (!cur && old) {
      // Leaving the selector (or deleted): DELETED with the previous content at the event's version.
      const last = structuredClone(e.prev!);
      last.metadata.resourceVersion = String(e.rv);
      send(w.res, { type: 'DELETED', object: wire(last) });
    }
  }

  private endWatch(w: Watcher): void {
    this.watchers.delete(w);
    w.res.end();
  }
}

function keyOf(p: FakePod): string {
  return `${p.metadata.namespace}/${p.metadata.name}`;
}

/** defaulted applies the API server's defaults the discovery reads: container port protocol TCP. */
function defaulted(p: FakePod): FakePod {
  for (const c of [...p.spec.containers, ...(p.spec.initContainers ?? [])]) for (const port of c.ports ?? []) port.protocol ??= 'TCP';
  return p;
}

/** wire is an object as a watch event carries it: with kind and apiVersion (list items have neither). */
function wire(p: FakePod): FakePod {
  return { kind: 'Pod', apiVersion: 'v1', ...structuredClone(p) };
}

function send(res: ServerResponse, event: unknown): void {
  res.write(JSON.stringify(event) + '\n');
}

function status(code: number, reason: string, message: string): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function goneStatus(requested: number, oldest: number): unknown {
  const message = Number.isNaN(requested) ? `too old resource version: (${oldest})` : `too old resource version: ${requested} (${oldest})`;
  return status(410, 'Expired', message);
}

/** selectorMatcher implements the selector subset the tests use, independently of vigil's syntax checker. */
function selectorMatcher(labelSelector: string, fieldSelector: string): (p: FakePod) => boolean {
  const tests: ((p: FakePod) => boolean)[] = [];
  for (const req of splitOutsideParens(labelSelector)) {
    const r = req.trim();
    if (r === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^!\s*([\w./-]+)$/.exec(r))) {
      const k = m[1]!;
      tests.push((p) => p.metadata.labels?.[k] === undefined);
    } else if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(r))) {
      const [, k, op, v] = m as unknown as [string, string, string, string];
      tests.push((p) => (op === '!=' ? p.metadata.labels?.[k] !== v : p.metadata.labels?.[k] === v));
    } else if ((m = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(r))) {
      const [, k, op, list] = m as unknown as [string, string, string, string];
      const values = new Set(list.split(',').map((s) => s.trim()));
      tests.push((p) => {
        const v = p.metadata.labels?.[k];
        return op === 'in' ? v !== undefined && values.has(v) : v === undefined || !values.has(v);
      });
    } else if ((m = /^([\w./-]+)$/.exec(r))) {
      const k = m[1]!;
      tests.push((p) => p.metadata.labels?.[k] !== undefined);
    } else {
      throw new Error(`unable to parse requirement: ${JSON.stringify(r)}`);
    }
  }
  const fields: Record<string, (p: FakePod) => string> = {
    'metadata.name': (p) => p.metadata.name,
    'metadata.namespace': (p) => p.metadata.namespace,
    'spec.nodeName': (p) => p.spec.nodeName ?? '',
    'status.phase': (p) => p.status.phase ?? '',
    'status.podIP': (p) => p.status.podIP ?? '',
  };
  for (const term of fieldSelector.split(',')) {
    if (term === '') continue;
    const m = /^([\w.]+)(==|=|!=)(.*)$/.exec(term);
    if (m === null) throw new Error(`invalid selector: '${fieldSelector}'; can't understand '${term}'`);
    const [, k, op, v] = m as unknown as [string, string, string, string];
    const get = fields[k];
    if (get === undefined) throw new Error(`field label not supported: ${k}`);
    tests.push((p) => (op === '!=' ? get(p) !== v : get(p) === v));
  }
  return (p) => tests.every((t) => t(p));
}

function splitOutsideParens(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
