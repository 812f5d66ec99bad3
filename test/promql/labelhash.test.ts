import { describe, expect, it } from 'vitest';
import { Labels } from '../../model/labels.js';
import { labelsHash } from '../../promql/labelhash.js';
import { xxhash64 } from '../../util/xxhash.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('xxhash64', () => {
  it('matches the XXH64 reference values (seed 0)', () => {
    expect(xxhash64(bytes(''))).toBe(0xef46db3751d8e999n);
    expect(xxhash64(bytes('a'))).toBe(0xd24ec4f1a98c6e5bn);
    expect(xxhash64(bytes('abc'))).toBe(0x44bc2cf5ad770999n);
    expect(xxhash64(bytes('Nobody inspects the spammish repetition'))).toBe(0xfbcea83c8a378bf1n);
  });
});

describe('labelsHash', () => {
  it('hashes the length-prefixed packed form of Prometheus\'s stringlabels', () => {
    expect(labelsHash(Labels.from({ a: 'b' }))).toBe(xxhash64(Uint8Array.of(1, 97, 1, 98)));
    expect(labelsHash(Labels.EMPTY)).toBe(xxhash64(new Uint8Array(0)));
    const long = 'x'.repeat(300);
    const packed = new Uint8Array([1, 97, 255, 300 & 0xff, 300 >> 8, 0, ...bytes(long)]);
    expect(labelsHash(Labels.from({ a: long }))).toBe(xxhash64(packed));
    // Names and values are UTF-8.
    expect(labelsHash(Labels.from({ é: 'ü' }))).toBe(xxhash64(Uint8Array.of(2, 0xc3, 0xa9, 2, 0xc3, 0xbc)));
  });
});
