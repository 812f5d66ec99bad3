import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../alerting/fingerprint.js';
import { Labels } from '../../model/labels.js';
import { startAlertmanager, type AlertmanagerServer } from '../support/alertmanager.js';
import { mulberry32 } from '../support/prng.js';

const enc = new TextEncoder();

/** reference is FNV-1a 64 over name 0xff value 0xff ..., written with BigInt: slow and obvious. */
function reference(labels: Labels): string {
  let h = 0xcbf29ce484222325n;
  const step = (b: number) => (h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn);
  labels.forEach((n, v) => {
    for (const b of enc.encode(n)) step(b);
    step(0xff);
    for (const b of enc.encode(v)) step(b);
    step(0xff);
  });
  return h.toString(16).padStart(16, '0');
}

const SETS: Record<string, string>[] = [
  { alertname: 'GPUXidError' },
  { alertname: 'GPUXidError', gpu: '3', node: 'gpu-node-1' },
  { alertname: 'Ünïcödé', model: 'llama-3-70b', note: 'a "quoted" value, with commas' },
  { alertname: 'emoji', value: '🔥 burning' },
  { alertname: 'newline', value: 'a\nb' },
  { a: 'x', b: 'y', c: 'z', alertname: 'many', namespace: 'ml', severity: 'critical', team: 'inference' },
];

describe('fingerprint', () => {
  it('equals FNV-1a 64 computed the long way, for ASCII and non-ASCII label sets', () => {
    const rnd = mulberry32(7);
    const alphabet = ['a', 'Z', '_', '0', 'é', '✓', '𝄞', ' ', '"'];
    for (let i = 0; i < 500; i++) {
      const rec: Record<string, string> = {};
      for (let j = 0; j < 1 + Math.floor(rnd() * 5); j++) {
        let v = '';
        for (let k = 0; k < Math.floor(rnd() * 8); k++) v += alphabet[Math.floor(rnd() * alphabet.length)];
        rec[`l${j}`] = v;
      }
      const l = Labels.from(rec);
      expect(fingerprint(l)).toBe(reference(l));
    }
  });

  describe('against Alertmanager 0.25 (Debian prometheus-alertmanager)', () => {
    let am: AlertmanagerServer;
    beforeAll(async () => {
      am = await startAlertmanager();
    });
    afterAll(async () => {
      await am?.stop();
    });

    it('names alerts as Alertmanager does in GET /api/v2/alerts', async () => {
      const res = await fetch(`${am.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(SETS.map((labels) => ({ labels }))),
      });
      expect(res.status).toBe(200);
      const listed = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as { labels: Record<string, string>; fingerprint: string }[];
      expect(listed).toHaveLength(SETS.length);
      for (const a of listed) expect(fingerprint(Labels.from(a.labels))).toBe(a.fingerprint);
    });
  });
});
