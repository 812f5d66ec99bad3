import { describe, expect, it } from 'vitest';
import { MetadataSeen } from '../../../collectors/textparse/metadataseen.js';
import { mulberry32 } from '../../support/prng.js';

// MetadataSeen keeps few families in a filtered array and many in a Map; both must answer as a
// plain Map of name to bits does.

function replay(names: readonly string[], seed: number, steps: number): void {
  const rand = mulberry32(seed);
  const seen = new MetadataSeen();
  const model = new Map<string, number>();
  for (let i = 0; i < steps; i++) {
    // Mostly HELP then TYPE of a new family, as exporters write them; sometimes any earlier one.
    const name = rand() < 0.8 ? names[i % names.length]! : names[Math.floor(rand() * names.length)]!;
    // A fresh string each time, as a parser cuts it from the body.
    const fresh = ` ${name}`.slice(1);
    const bit = rand() < 0.5 ? 1 : 2;
    const before = model.get(name) ?? 0;
    model.set(name, before | bit);
    expect(seen.mark(fresh, bit), `step ${i}: ${name} bit ${bit}`).toBe((before & bit) === 0);
  }
}

describe('MetadataSeen', () => {
  it('tells the first HELP and TYPE of a family from a repeat, next to each other or far apart', () => {
    const seen = new MetadataSeen();
    expect(seen.mark('a', 1)).toBe(true);
    expect(seen.mark('a', 2)).toBe(true);
    expect(seen.mark('a', 1)).toBe(false);
    expect(seen.mark('b', 2)).toBe(true);
    expect(seen.mark('b', 2)).toBe(false);
    expect(seen.mark('a', 2)).toBe(false);
    expect(seen.mark('b', 1)).toBe(true);
    expect(seen.mark('ab', 1)).toBe(true);
  });

  it('agrees with a Map for a few families, for names that share the filter bit, and past the array limit', () => {
    const vllm = Array.from({ length: 60 }, (_, i) => `vllm:family_${i}_total`);
    replay(vllm, 1, 400);
    // Same length, same last two and middle characters: one filter bit for all of them.
    const colliding = Array.from({ length: 100 }, (_, i) => `${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}xx_mid_yy`);
    replay(colliding, 2, 600);
    const many = Array.from({ length: 1000 }, (_, i) => `node_family_${i}`);
    replay(many, 3, 5000);
  });
});
