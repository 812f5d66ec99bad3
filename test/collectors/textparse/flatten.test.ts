import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flattenString } from '../../../collectors/textparse/index.js';

const flattenModule = fileURLToPath(new URL('../../../collectors/textparse/flatten.ts', import.meta.url));

// Keeps 100 slices of each of five 10 MB bodies, drops the bodies, and reports the heap after GC.
const SCRIPT = `
const { flattenString } = await import(${JSON.stringify(flattenModule)});
const keep = [];
for (let b = 0; b < 5; b++) {
  let body = 'abcdefghij'.repeat(1e6) + String(b);
  body.charCodeAt(0);
  for (let i = 0; i < 100; i++) {
    const slice = body.slice(i * 1000, i * 1000 + 40);
    keep.push(process.argv.includes('--flatten') ? flattenString(slice) : slice);
  }
  body = null;
}
globalThis.gc(); globalThis.gc();
console.log(JSON.stringify({ heap: process.memoryUsage().heapUsed, kept: keep.length }));
`;

function retainedHeap(flatten: boolean): number {
  const args = ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', SCRIPT, '--', ...(flatten ? ['--flatten'] : [])];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', cwd: process.cwd() });
  return (JSON.parse(out) as { heap: number }).heap;
}

describe('flattenString', () => {
  it('returns an equal string', () => {
    for (const s of ['', 'short', 'x'.repeat(13), 'DCGM_FI_DRIVER_VERSION="550.90.07"'.slice(3), '🦙 ünïcödé label value of some length']) {
      expect(flattenString(s)).toBe(s);
    }
  });

  it('lets the body that a kept slice came from be garbage-collected', () => {
    // Without flattening, 40-character slices keep their 10 MB parents (50 MB in all) alive.
    const sliced = retainedHeap(false);
    const flattened = retainedHeap(true);
    expect(sliced - flattened).toBeGreaterThan(30e6);
  });
});
