/**
 * labelsFingerprint is Prometheus's model.Fingerprint of a label set (its LabelSet.Fingerprint),
 * as 16 hex digits: FNV-1a 64 over each name and value, sorted by name, as UTF-8, each followed by
 * the byte 0xff. Alertmanager names alerts by it in its API and webhook payloads. Labels caches
 * it (Labels.fingerprint); ASCII text is hashed without encoding it.
 */
export function labelsFingerprint(flat: readonly string[]): string {
  const h = { hi: 0xcbf29ce4, lo: 0x84222325 };
  for (let i = 0; i < flat.length; i++) {
    hashString(h, flat[i]!);
    step(h, 0xff);
  }
  return hex8(h.hi) + hex8(h.lo);
}

const encoder = new TextEncoder();

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
