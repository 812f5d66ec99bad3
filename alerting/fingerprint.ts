import type { Labels } from '../model/labels.js';

const encoder = new TextEncoder();

/**
 * fingerprint is Prometheus's model.Fingerprint of a label set, as 16 hex digits: FNV-1a 64 over
 * each name and value (sorted by name) as UTF-8, each followed by the byte 0xff. Alertmanager
 * names alerts by it in its API and webhook payloads, so vigil's ids are the same as
 * Alertmanager's. It runs once per received alert, so ASCII text is hashed without encoding it.
 */
export function fingerprint(labels: Labels): string {
  const h = { hi: 0xcbf29ce4, lo: 0x84222325 };
  labels.forEach((name, value) => {
    hashString(h, name);
    step(h, 0xff);
    hashString(h, value);
    step(h, 0xff);
  });
  return hex8(h.hi) + hex8(h.lo);
}

interface State {
  hi: number;
  lo: number;
}

function hashString(h: State, s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      for (const b of encoder.encode(s.slice(i))) step(h, b);
      return;
    }
    step(h, c);
  }
}

/** step is one FNV-1a round in two 32-bit halves: the prime 0x100000001b3 is 2^40 + 0x1b3. */
function step(h: State, byte: number): void {
  const lo = (h.lo ^ byte) >>> 0;
  const loMul = lo * 0x1b3;
  const carry = Math.floor(loMul / 0x100000000);
  h.hi = (h.hi * 0x1b3 + ((lo << 8) >>> 0) + carry) >>> 0;
  h.lo = loMul >>> 0;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
