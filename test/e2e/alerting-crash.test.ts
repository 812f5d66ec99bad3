import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startVigilProcess, type VigilProcess } from '../support/vigil-process.js';

/**
 * SIGKILL between a send and its record: the webhook sink receives a notification and kills vigil
 * before answering, so vigil never records it as delivered. After a restart on the same data
 * directory every notification arrives, none is lost, and each arrives at most twice
 * (at-least-once: the README says why).
 */
describe('alerting crash recovery', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-alerting-crash-'));
  let vigil: VigilProcess | undefined;
  const received: string[] = [];
  let onFirst: (() => void) | undefined;
  const sink = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { groupLabels: { alertname: string } };
      received.push(body.groupLabels.alertname);
      const kill = onFirst;
      onFirst = undefined;
      if (kill !== undefined) return kill(); // never answered: vigil dies waiting
      res.writeHead(200).end();
    });
  });
  afterAll(async () => {
    vigil?.child.kill('SIGKILL');
    sink.closeAllConnections();
    await new Promise((r) => sink.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing and sends each notification at most twice across SIGKILL', async () => {
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const sinkURL = `http://127.0.0.1:${(sink.address() as { port: number }).port}/hook`;
    writeFileSync(
      join(dir, 'am.yml'),
      `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1h
  routes:
    - matchers: [alertname="Late"]
      group_wait: 4s
receivers:
  - name: hook
    webhook_configs: [{url: '${sinkURL}'}]
`,
    );
    writeFileSync(join(dir, 'vigil.yaml'), `alerting: {config_file: am.yml}\nstorage: {embedded: {path: data}}\n`);
    vigil = await startVigilProcess(join(dir, 'vigil.yaml'));
    const killed = new Promise<void>((resolve) => {
      onFirst = () => {
        vigil!.child.kill('SIGKILL');
        resolve();
      };
    });
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    const alerts = ['A', 'B', 'C', 'Late'].map((name) => ({ labels: { alertname: name, severity: 'page' }, endsAt }));
    const post = await fetch(`${vigil.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(alerts) });
    expect(post.status).toBe(200);
    await killed;
    expect(await vigil.exited).toBe('SIGKILL');
    const beforeRestart = [...received];
    expect(beforeRestart).not.toContain('Late');

    vigil = await startVigilProcess(join(dir, 'vigil.yaml'));
    const deadline = Date.now() + 20_000;
    while (!['A', 'B', 'C', 'Late'].every((n) => received.includes(n)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1500)); // room for any duplicate beyond the first delivery
    const counts = Object.fromEntries(['A', 'B', 'C', 'Late'].map((n) => [n, received.filter((x) => x === n).length]));
    // Nothing lost: every group arrives, the Late one rebuilt from the alerts stored before the kill.
    for (const n of ['A', 'B', 'C', 'Late']) expect(counts[n]).toBeGreaterThanOrEqual(1);
    // At most one duplicate, and only of what was in flight at the kill.
    for (const n of ['A', 'B', 'C', 'Late']) expect(counts[n]).toBeLessThanOrEqual(beforeRestart.includes(n) ? 2 : 1);
    expect(counts['Late']).toBe(1);
    // The notification whose answer never came was sent again: its duplicate is the price of never losing it.
    expect(counts[beforeRestart[0]!]).toBe(2);
  });
});
