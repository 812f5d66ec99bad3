/**
 * MetadataSeen records which kinds of metadata line (one bit per kind) a body has given for
 * each family name, so that a parser can warn about a second one.
 *
 * A body names each family once or twice in a row (HELP then TYPE), so a Map keyed by the name
 * would hash every name, a string cut from the body moments before, only to learn that it is new.
 * Up to LINEAR_LIMIT families are kept in an array instead, behind a filter of 1024 bits set by the
 * name's length and three of its characters: a name whose bit is clear is new without a look at
 * the others, and only one whose bit is set is searched for among them. Past the limit every name
 * moves to a Map, so a body with many families costs what a Map costs.
 */
export class MetadataSeen {
  /** latest is the family of the latest call, with its bits in latestSeen; not yet in the sets below. */
  private latest = '';
  private latestSeen = 0;
  private readonly names: string[] = [];
  private readonly seen: number[] = [];
  private readonly filter = new Int32Array(FILTER_WORDS);
  private map: Map<string, number> | undefined;

  /** mark records a metadata line of kind `bit` for family `name`, and tells whether it is the first such line. */
  mark(name: string, bit: number): boolean {
    let seen: number;
    if (name === this.latest) {
      seen = this.latestSeen;
    } else {
      if (this.latest !== '') this.store(this.latest, this.latestSeen);
      seen = this.lookup(name);
      this.latest = name;
    }
    this.latestSeen = seen | bit;
    return (seen & bit) === 0;
  }

  private lookup(name: string): number {
    if (this.map !== undefined) return this.map.get(name) ?? 0;
    const bit = filterBit(name);
    if ((this.filter[bit >> 5]! & (1 << (bit & 31))) === 0) return 0;
    const i = this.names.indexOf(name);
    return i === -1 ? 0 : this.seen[i]!;
  }

  private store(name: string, seen: number): void {
    if (this.map !== undefined) {
      this.map.set(name, seen);
      return;
    }
    const bit = filterBit(name);
    const word = bit >> 5;
    const mask = 1 << (bit & 31);
    if ((this.filter[word]! & mask) !== 0) {
      const i = this.names.indexOf(name);
      if (i !== -1) {
        this.seen[i] = seen;
        return;
      }
    }
    this.filter[word]! |= mask;
    this.names.push(name);
    this.seen.push(seen);
    if (this.names.length > LINEAR_LIMIT) {
      this.map = new Map();
      for (let i = 0; i < this.names.length; i++) this.map.set(this.names[i]!, this.seen[i]!);
    }
  }
}

const FILTER_WORDS = 32;
const LINEAR_LIMIT = 128;

// filterBit spreads names over the filter by length and three characters; names of one exporter
// share their first characters (`vllm:`, `DCGM_FI_DEV_`), so the last ones are taken.
function filterBit(name: string): number {
  const n = name.length;
  return (n * 97 + name.charCodeAt(n - 1) * 31 + name.charCodeAt(n - 2) * 7 + name.charCodeAt(n >> 1)) & (FILTER_WORDS * 32 - 1);
}
