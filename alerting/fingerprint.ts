import type { Labels } from '../model/labels.js';

const encoder = new TextEncoder();

/**
 * fingerprint is Prometheus's model.Fingerprint of a label set, as 16 hex digits: FNV-1a 64 over
 * each name and value (sorted by name) as UTF-8, each followed by the byte 0xff. Alertmanager
 * names alerts by it in its API and webhook payloads, so vigil's ids are the same as
 * Alertmanager's. It runs once per received alert, so ASCII text is hashed without encoding it.
 */
export function fingerprint(labels: Labels): string {
  // Label sets are immutable and shared by every version of an alert, so one hash serves them all.
  const cached = cache.get(labels);
  if (cached !== undefined) return cached;
  const h = { hi: 0xcbf29ce4, lo: 0x84222325 };
  labels.forEach((name, value) => {
    hashString(h, name);
    step(h, 0xff);
    hashString(h, value);
    step(h, 0xff);
  });
  const fp = hex8(h.hi) + hex8(h.lo);
  cache.set(labels, fp);
  return fp;
}

const cache = new WeakMap<Labels, string>();

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

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(n: number): string {
  return HEX[n >>> 24]! + HEX[(n >>> 16) & 0xff]! + HEX[(n >>> 8) & 0xff]! + HEX[n & 0xff]!;
}
