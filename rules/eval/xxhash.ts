/**
 * xxhash64 is xxHash64 with seed 0 over `bytes`, the hash Prometheus's `labels.Hash` uses. Rule
 * groups take their evaluation offset from it, so vigil slots a group at the same moment within
 * its interval as Prometheus would. BigInt arithmetic is slow but this runs once per group start.
 */
export function xxhash64(bytes: Uint8Array): bigint {
  const len = bytes.length;
  let p = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = u64(P1 + P2);
    let v2 = P2;
    let v3 = 0n;
    let v4 = u64(-P1);
    while (p + 32 <= len) {
      v1 = round(v1, read64(bytes, p));
      v2 = round(v2, read64(bytes, p + 8));
      v3 = round(v3, read64(bytes, p + 16));
      v4 = round(v4, read64(bytes, p + 24));
      p += 32;
    }
    h = u64(rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n));
    h = mergeRound(h, v1);
    h = mergeRound(h, v2);
    h = mergeRound(h, v3);
    h = mergeRound(h, v4);
  } else {
    h = P5;
  }
  h = u64(h + BigInt(len));
  while (p + 8 <= len) {
    h ^= round(0n, read64(bytes, p));
    h = u64(rotl(h, 27n) * P1 + P4);
    p += 8;
  }
  if (p + 4 <= len) {
    h ^= u64(BigInt(read32(bytes, p)) * P1);
    h = u64(rotl(h, 23n) * P2 + P3);
    p += 4;
  }
  while (p < len) {
    h ^= u64(BigInt(bytes[p]!) * P5);
    h = u64(rotl(h, 11n) * P1);
    p++;
  }
  h ^= h >> 33n;
  h = u64(h * P2);
  h ^= h >> 29n;
  h = u64(h * P3);
  h ^= h >> 32n;
  return h;
}

const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

function u64(x: bigint): bigint {
  return BigInt.asUintN(64, x);
}

function rotl(x: bigint, r: bigint): bigint {
  return u64((x << r) | (x >> (64n - r)));
}

function round(acc: bigint, input: bigint): bigint {
  return u64(rotl(u64(acc + u64(input * P2)), 31n) * P1);
}

function mergeRound(acc: bigint, val: bigint): bigint {
  return u64((acc ^ round(0n, val)) * P1 + P4);
}

function read64(b: Uint8Array, p: number): bigint {
  return BigInt(read32(b, p)) | (BigInt(read32(b, p + 4)) << 32n);
}

function read32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}
