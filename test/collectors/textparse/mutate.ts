export const SPECIAL = ['{', '}', '"', '\\', '=', ',', '#', '\n', ' ', '\t', '\r', '\u0000', '# EOF\n', 'é', '\ud83e', 'NaN', '+Inf', 'e', '.', '-', '_total', '# HELP ', '# TYPE '];


/**
 * mutate damages a body the way a fuzzer would: character flips, insertions of the characters the
 * formats give meaning to, truncations, deletions, and duplicated or spliced lines.
 */
export function mutate(base: string, rand: () => number): string {
  const pick = (n: number): number => Math.floor(rand() * n);
  // Mostly an excerpt of a few lines, so that each case is cheap and mutations are dense.
  let body = base;
  if (rand() < 0.8) {
    const lines = base.split('\n');
    const start = pick(lines.length);
    body = lines.slice(start, start + 1 + pick(40)).join('\n') + (rand() < 0.9 ? '\n' : '');
    if (base.endsWith('# EOF\n') && rand() < 0.7) body += '# EOF\n';
  }
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    const at = pick(body.length + 1);
    switch (pick(6)) {
      case 0: {
        // Flip a character to a random code unit, mostly ASCII.
        const code = rand() < 0.9 ? pick(128) : pick(0x10000);
        body = body.slice(0, at) + String.fromCharCode(code) + body.slice(at + 1);
        break;
      }
      case 1:
        body = body.slice(0, at) + SPECIAL[pick(SPECIAL.length)]! + body.slice(at);
        break;
      case 2:
        body = body.slice(0, at);
        break;
      case 3:
        body = body.slice(0, at) + body.slice(at + 1 + pick(20));
        break;
      case 4: {
        // Duplicate a line elsewhere.
        const lines = body.split('\n');
        const line = lines[pick(lines.length)] ?? '';
        lines.splice(pick(lines.length + 1), 0, line);
        body = lines.join('\n');
        break;
      }
      default: {
        // Splice the tail of one line onto the head of another.
        const lines = body.split('\n');
        const i = pick(lines.length);
        const j = pick(lines.length);
        const a = lines[i] ?? '';
        const b = lines[j] ?? '';
        lines[i] = a.slice(0, pick(a.length + 1)) + b.slice(pick(b.length + 1));
        body = lines.join('\n');
      }
    }
  }
  return body;
}
