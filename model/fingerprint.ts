/**
 * labelsFingerprint is Prometheus's model.Fingerprint of a label set (its LabelSet.Fingerprint),
 * as 16 hex digits: FNV-1a 64 over each name and value, sorted by name, as UTF-8, each followed by
 * the byte 0xff. Alertmanager names alerts by it in its API and webhook payloads. Labels caches
 * it (Labels.fingerprint).
 *
 * ASCII text is hashed from its char codes. A set with any other character is hashed again from
 * its UTF-8 bytes, each byte written as one latin1 character, by the same loop.
 */
export function labelsFingerprint(flat: readonly string[]): string {
  return fnv1a(flat, false) ?? fnv1a(flat.map(utf8AsLatin1), true)!;
}

/**
 * fnv1a hashes the strings' char codes, or answers undefined at the first one over 0x7f unless
 * `bytes` says they are bytes. The 64-bit state is four 16-bit limbs (h0 lowest), so every step
 * is small-integer arithmetic. One round: h0 ^= byte, then a multiply by the prime 2^40 + 0x1b3,
 * whose limbs are 0x1b3, 0, 0x100, 0: each limb times 0x1b3, plus the limb two below times 0x100,
 * with the carries passed up and the overflow past 64 bits dropped.
 */
function fnv1a(strings: readonly string[], bytes: boolean): string | undefined {
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i]!;
    for (let j = 0; j <= s.length; j++) {
      let c = 0xff; // the separator after each string
      if (j < s.length) {
        c = s.charCodeAt(j);
        if (c > 0x7f && !bytes) return undefined;
      }
      h0 ^= c;
      const t0 = h0 * 0x1b3;
      const t1 = h1 * 0x1b3 + (t0 >>> 16);
      const t2 = h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
      const t3 = h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16);
      h0 = t0 & 0xffff;
      h1 = t1 & 0xffff;
      h2 = t2 & 0xffff;
      h3 = t3 & 0xffff;
    }
  }
  // One call makes one flat string: concatenated pieces would leave a cons string behind every
  // stored fingerprint (it is a map key, so it gets flattened, and the wrapper stays).
  const d = HEX_DIGIT;
  return String.fromCharCode(
    d[h3 >>> 12]!, d[(h3 >>> 8) & 15]!, d[(h3 >>> 4) & 15]!, d[h3 & 15]!,
    d[h2 >>> 12]!, d[(h2 >>> 8) & 15]!, d[(h2 >>> 4) & 15]!, d[h2 & 15]!,
    d[h1 >>> 12]!, d[(h1 >>> 8) & 15]!, d[(h1 >>> 4) & 15]!, d[h1 & 15]!,
    d[h0 >>> 12]!, d[(h0 >>> 8) & 15]!, d[(h0 >>> 4) & 15]!, d[h0 & 15]!,
  );
}

function utf8AsLatin1(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** HEX_DIGIT[n] is the char code of n's lowercase hex digit. */
const HEX_DIGIT: readonly number[] = Array.from({ length: 16 }, (_, i) => i.toString(16).charCodeAt(0));

