import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, median } from './support.js';
import { NODE_FLAGS } from '../cli/node-flags.js';

/**
 * Alert routing and delivery, vigil against a real Alertmanager 0.25 (Debian's
 * prometheus-alertmanager) with the same routing config: 10,000 alerts in 500 groups are posted
 * to each (Alertmanager's v2 API, batches of 64 as Prometheus sends them), and both deliver to one
 * loopback webhook sink. Measured per process from /proc: CPU seconds (user + system) from the
 * first post until every group is delivered, and peak resident memory above the idle process.
 *
 * Each process then takes seven more batches of the same shape, each in new groups, so its CPU
 * is measured three ways: the first batch (a fresh process), the second, and batches 5 to 8
 * together (a long-running process). Only the last is the cost per alert of a vigil that has
 * been running: V8 compiles and optimizes the hot path during the first batches, a one-time cost
 * (the fresh batch's CPU minus a long-running batch's) that a Go binary does not pay; batches 5
 * to 8 include the major collections of a heap that has grown by 40,000 alerts.
 *
 * Last comes a burst: 10,000 alerts in BURST_GROUPS new groups, all made within the first few
 * posts, so their notifications come due at once, group_wait after the first post. Its figure is
 * how long after that the last one was delivered.
 */
const ALERTS = 10_000;
/** BATCHES: batches per process; the long-running figure is batches LONG_RUNNING_FROM..BATCHES. */
export const BATCHES = 8;
export const LONG_RUNNING_FROM = 5;
const GROUPS = 500;
const BURST_GROUPS = 2_000;
/** GROUP_WAIT_MS is the routing's group_wait (amConfig). */
const GROUP_WAIT_MS = 1_000;
const BATCH = 64;
const CLK_TCK = 100;

export interface AlertingBenchRound {
  peer: 'vigil' | 'alertmanager' | 'floor';
  deliveredMs: number;
  cpuSeconds: number;
  peakMemoryBytes: number;
  notifications: number;
  alertsDelivered: number;
  /** warm: the second batch, in new groups, in the same process: CPU and time only. */
  warm: BatchCost;
  /** longRunning: batches LONG_RUNNING_FROM..BATCHES together, the same way (CPU summed, time and notifications per batch). */
  longRunning: BatchCost & { batches: number };
  /**
   * burst: BURST_GROUPS notifications due at once: how many arrived, and how long after they came
   * due (group_wait after the first post) the last did. The floor waits no group_wait: its
   * clearedMs is from the first post.
   */
  burst: { notifications: number; clearedMs: number };
}

export interface BatchCost {
  deliveredMs: number;
  cpuSeconds: number;
  notifications: number;
}

export interface AlertingBenchResult {
  vigil: AlertingBenchRound;
  alertmanager: AlertingBenchRound;
  /** floor: a Node.js process doing the same I/O and nothing else (bench/alerting-floor.ts). */
  floor: AlertingBenchRound;
  /** floorCpuRatio: the floor's CPU per alert / Alertmanager's. */
  floorCpuRatio: number;
  /** ratios vigil / Alertmanager (median over rounds). */
  cpuRatio: number;
  /** warmCpuRatio: the same for the second batch (each process warmed up by the first). */
  warmCpuRatio: number;
  /** longRunningCpuRatio: the same for batches LONG_RUNNING_FROM..BATCHES (the target's figure). */
  longRunningCpuRatio: number;
  /** warmUpCpuSeconds: vigil's one-time cost, the fresh batch's CPU minus a long-running batch's (median). */
  warmUpCpuSeconds: number;
  memoryRatio: number;
  timeRatio: number;
  /** burstClearedMs: how long each took to clear the burst (median over rounds), and the ratio vigil / Alertmanager. */
  burstClearedMs: { vigil: number; alertmanager: number };
  burstRatio: number;
  rounds: number;
}

function amConfig(sinkURL: string, peer: string): string {
  return `route:
  receiver: sink
  group_by: [group]
  group_wait: ${GROUP_WAIT_MS / 1000}s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: sink
    webhook_configs:
      - url: ${sinkURL}/${peer}
        send_resolved: true
`;
}

/** Sink counts notifications and the alerts in them, per peer and group. */
class Sink {
  readonly groups = new Map<string, Map<string, number>>();
  readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { groupLabels: { group: string }; alerts: unknown[] };
      const peer = (req.url ?? '/').slice(1);
      let g = this.groups.get(peer);
      if (g === undefined) this.groups.set(peer, (g = new Map()));
      g.set(body.groupLabels.group, body.alerts.length);
      this.waiters = this.waiters.filter((w) => !w());
      res.writeHead(200).end();
    });
  });
  private waiters: (() => boolean)[] = [];

  constructor() {
    // Idle keep-alive connections stay open across batches: a peer that reuses one the sink has
    // just closed fails that POST and retries it, which is not what is measured.
    this.server.keepAliveTimeout = 120_000;
  }

  /** until resolves once every group of `peer` has been delivered with all its alerts. */
  until(peer: string, groups: number, alertsPerGroup: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        const g = this.groups.get(peer);
        if (g === undefined || g.size < groups) return false;
        for (const n of g.values()) if (n < alertsPerGroup) return false;
        resolve();
        return true;
      };
      if (!check()) this.waiters.push(check);
    });
  }
}

function procStats(pid: number): { cpuSeconds: number; rss: number; hwm: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { cpuSeconds: cpu, rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready`);
}

function alertsBody(from: number, to: number, startsAt: string, batch: string, groups: number): string {
  const out = [];
  for (let i = from; i < to; i++) {
    out.push({
      labels: { alertname: 'GPUXidError', group: `${batch}${i % groups}`, gpu: String(i), namespace: 'ml', severity: 'critical' },
      annotations: { summary: `GPU ${i} reported an XID error`, runbook_url: 'https://runbooks.example/gpu-xid' },
      startsAt,
      generatorURL: 'http://prometheus.example/graph',
    });
  }
  return JSON.stringify(out);
}

async function runPeer(peer: 'vigil' | 'alertmanager' | 'floor', sink: Sink, sinkURL: string, dir: string): Promise<AlertingBenchRound> {
  const port = await freePort();
  const amFile = join(dir, `${peer}-am.yml`);
  writeFileSync(amFile, amConfig(sinkURL, peer));
  let child: ChildProcess;
  if (peer === 'alertmanager') {
    const clusterPort = await freePort();
    child = spawn('prometheus-alertmanager', [
      `--config.file=${amFile}`, `--storage.path=${join(dir, 'am-data')}`, `--web.listen-address=127.0.0.1:${port}`,
      `--cluster.listen-address=`, `--cluster.advertise-address=127.0.0.1:${clusterPort}`, '--log.level=warn',
    ], { stdio: ['ignore', 'ignore', 'inherit'] });
  } else if (peer === 'floor') {
    // vigil runs with the Node.js options its launchers pass (cli/node-flags.ts), and so does the floor.
    child = spawn(process.execPath, [...NODE_FLAGS, 'dist/bench/alerting-floor.js', String(port), `${sinkURL}/${peer}`, String(ALERTS)], { stdio: ['ignore', 'ignore', 'inherit'] });
  } else {
    const cfg = join(dir, 'vigil.yaml');
    writeFileSync(cfg, `alerting:\n  config_file: ${amFile}\nstorage:\n  embedded:\n    path: ${join(dir, 'vigil-data')}\nserver:\n  listen_address: 127.0.0.1:${port}\n`);
    child = spawn(process.execPath, [...NODE_FLAGS, 'dist/cli/main.js', 'run', '--config', cfg, '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitReady(`${base}/-/ready`, child);
    await new Promise((r) => setTimeout(r, 500));
    const idle = procStats(child.pid!);
    const first = await postAndDeliver(peer, sink, base, child.pid!, 'g');
    const g = sink.groups.get(peer)!;
    const notifications = g.size;
    const alertsDelivered = [...g.values()].reduce((a, b) => a + b, 0);
    const peak = procStats(child.pid!).hwm;
    const later: BatchCost[] = [];
    for (let b = 2; b <= BATCHES; b++) {
      sink.groups.delete(peer);
      later.push({ ...(await postAndDeliver(peer, sink, base, child.pid!, `b${b}-`)), notifications: sink.groups.get(peer)!.size });
    }
    const long = later.slice(LONG_RUNNING_FROM - 2);
    sink.groups.delete(peer);
    const burst = await postAndDeliver(peer, sink, base, child.pid!, 'burst-', BURST_GROUPS);
    return {
      peer,
      deliveredMs: first.deliveredMs,
      cpuSeconds: first.cpuSeconds,
      peakMemoryBytes: Math.max(0, peak - idle.rss),
      notifications,
      alertsDelivered,
      warm: later[0]!,
      longRunning: {
        batches: long.length,
        cpuSeconds: long.reduce((a, b) => a + b.cpuSeconds, 0),
        deliveredMs: median(long.map((b) => b.deliveredMs)),
        notifications: Math.min(...long.map((b) => b.notifications)),
      },
      burst: { notifications: sink.groups.get(peer)!.size, clearedMs: burst.deliveredMs - (peer === 'floor' ? 0 : GROUP_WAIT_MS) },
    };
  } finally {
    child.kill('SIGKILL');
    sink.groups.delete(peer);
  }
}

/** postAndDeliver posts ALERTS alerts in `groups` new groups (named `<batch><n>`) and waits until the sink has them all. */
async function postAndDeliver(peer: string, sink: Sink, base: string, pid: number, batch: string, groups = GROUPS): Promise<{ deliveredMs: number; cpuSeconds: number }> {
  const before = procStats(pid);
  const t0 = performance.now();
  const startsAt = new Date().toISOString();
  const delivered = sink.until(peer, groups, ALERTS / groups);
  for (let i = 0; i < ALERTS; i += BATCH) {
    const r = await fetch(`${base}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: alertsBody(i, Math.min(ALERTS, i + BATCH), startsAt, batch, groups) });
    if (!r.ok) throw new Error(`${peer}: POST /api/v2/alerts answered ${r.status}: ${await r.text()}`);
  }
  await delivered;
  const deliveredMs = performance.now() - t0;
  return { deliveredMs, cpuSeconds: procStats(pid).cpuSeconds - before.cpuSeconds };
}

export async function benchAlerting(opts: { print: boolean; rounds?: number }): Promise<AlertingBenchResult> {
  const sink = new Sink();
  await new Promise<void>((r) => sink.server.listen(0, '127.0.0.1', r));
  const sinkURL = `http://127.0.0.1:${(sink.server.address() as { port: number }).port}`;
  const rounds: { vigil: AlertingBenchRound; alertmanager: AlertingBenchRound; floor: AlertingBenchRound }[] = [];
  try {
    for (let i = 0; i < (opts.rounds ?? 3); i++) {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-alerting-'));
      try {
        const alertmanager = await runPeer('alertmanager', sink, sinkURL, dir);
        const vigil = await runPeer('vigil', sink, sinkURL, dir);
        const floor = await runPeer('floor', sink, sinkURL, dir);
        rounds.push({ vigil, alertmanager, floor });
        if (opts.print) {
          for (const r of [vigil, alertmanager, floor]) {
            console.log(
              `  ${r.peer.padEnd(12)} delivered ${r.notifications} notifications (${r.alertsDelivered} alerts) in ${r.deliveredMs.toFixed(0)} ms; ` +
                `CPU ${(r.cpuSeconds * 1e6 / ALERTS).toFixed(1)} us/alert; peak memory ${(r.peakMemoryBytes / ALERTS / 1024).toFixed(2)} KiB/alert; ` +
                `second batch: ${r.warm.notifications} notifications in ${r.warm.deliveredMs.toFixed(0)} ms, CPU ${(r.warm.cpuSeconds * 1e6 / ALERTS).toFixed(1)} us/alert; ` +
                `batches ${LONG_RUNNING_FROM}-${BATCHES}: ${r.longRunning.notifications} notifications each in ${r.longRunning.deliveredMs.toFixed(0)} ms (median), ` +
                `CPU ${(r.longRunning.cpuSeconds * 1e6 / (ALERTS * r.longRunning.batches)).toFixed(1)} us/alert; ` +
                `burst: ${r.burst.notifications} notifications due at once, the last delivered ${r.burst.clearedMs.toFixed(0)} ms after ${r.peer === 'floor' ? 'the first post' : 'they came due'}`,
            );
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    sink.server.close();
  }
  const ratio = (f: (r: AlertingBenchRound) => number) => median(rounds.map((r) => f(r.vigil) / Math.max(1e-9, f(r.alertmanager))));
  const pick = (peer: 'vigil' | 'alertmanager' | 'floor'): AlertingBenchRound => {
    const rs = rounds.map((r) => r[peer]).sort((a, b) => a.cpuSeconds - b.cpuSeconds);
    return rs[rs.length >> 1]!;
  };
  return {
    vigil: pick('vigil'),
    alertmanager: pick('alertmanager'),
    floor: pick('floor'),
    floorCpuRatio: median(rounds.map((r) => r.floor.cpuSeconds / Math.max(1e-9, r.alertmanager.cpuSeconds))),
    cpuRatio: ratio((r) => r.cpuSeconds),
    warmCpuRatio: ratio((r) => r.warm.cpuSeconds),
    longRunningCpuRatio: ratio((r) => r.longRunning.cpuSeconds),
    warmUpCpuSeconds: median(rounds.map((r) => r.vigil.cpuSeconds - r.vigil.longRunning.cpuSeconds / r.vigil.longRunning.batches)),
    memoryRatio: ratio((r) => r.peakMemoryBytes),
    timeRatio: ratio((r) => r.deliveredMs),
    burstClearedMs: { vigil: median(rounds.map((r) => r.vigil.burst.clearedMs)), alertmanager: median(rounds.map((r) => r.alertmanager.burst.clearedMs)) },
    burstRatio: ratio((r) => r.burst.clearedMs),
    rounds: rounds.length,
  };
}
