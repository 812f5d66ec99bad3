import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../../promql/api/bytes.js';

describe('ByteWriter', () => {
  it('keeps every byte across chunk boundaries, ASCII and UTF-8 alike', () => {
    const w = new ByteWriter(16);
    let want = '';
    for (let i = 0; i < 200; i++) {
      const ascii = `[${i},"${i / 7}"]`;
      const text = `"grün-✓-${'é'.repeat(i % 9)}-𝔘"`;
      w.ascii(ascii);
      w.text(text);
      want += ascii + text;
    }
    w.text('x'.repeat(100)); // larger than a chunk
    want += 'x'.repeat(100);
    expect(w.bytes().toString('utf8')).toBe(want);
  });

  it('gives an empty buffer when nothing was written', () => {
    expect(new ByteWriter().bytes().length).toBe(0);
  });
});
