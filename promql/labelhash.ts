import type { Labels } from '../model/labels.js';
import { xxhash64 } from '../util/xxhash.js';

/**
 * labelsHash is Prometheus's labels.Hash() in its default build (stringlabels): XXH64, seed 0,
 * over the label set's packed form, where every name and value is preceded by its UTF-8 byte
 * length (one byte below 255; else 255 and three bytes little-endian). limit_ratio samples series
 * by this hash, so vigil must compute the very same number to pick the same series.
 *
 * BigInt arithmetic is slow next to the rest of the engine; it is only used by limit_ratio.
 */
export function labelsHash(ls: Labels): bigint {
  const parts: Uint8Array[] = [];
  let size = 0;
  const push = (s: string): void => {
    const b = encoder.encode(s);
    const n = b.length;
    const head = n < 255 ? Uint8Array.of(n) : Uint8Array.of(255, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff);
    parts.push(head, b);
    size += head.length + n;
  };
  ls.forEach((name, value) => {
    push(name);
    push(value);
  });
  const data = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return xxhash64(data);
}

const encoder = new TextEncoder();
