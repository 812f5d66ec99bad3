import type { Labels } from '../model/labels.js';

const encoder = new TextEncoder();

/**
 * fingerprint is Prometheus's model.Fingerprint of a label set, as 16 hex digits: FNV-1a 64 over
 * each name and value (sorted by name), each followed by the byte 0xff. Alertmanager names alerts
 * by it in its API and webhook payloads, so vigil's ids are the same as Alertmanager's.
 */
export function fingerprint(labels: Labels): string {
  // FNV-1a 64 in two 32-bit halves: the prime 0x100000001b3 = 2^40 + 0x1b3.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  const step = (byte: number) => {
    lo = (lo ^ byte) >>> 0;
    const loMul = lo * 0x1b3;
    const carry = Math.floor(loMul / 0x100000000);
    const newLo = loMul >>> 0;
    hi = (hi * 0x1b3 + (lo << 8) + carry) >>> 0;
    lo = newLo;
  };
  labels.forEach((name, value) => {
    for (const b of encoder.encode(name)) step(b);
    step(0xff);
    for (const b of encoder.encode(value)) step(b);
    step(0xff);
  });
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
