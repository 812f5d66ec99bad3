/**
 * MetadataSeen records which kinds of metadata line (one bit per kind) a body has given for
 * each family name, so that a parser can warn about a second one.
 *
 * A body names each family once or twice in a row (HELP then TYPE), so a Map keyed by the name
 * would hash every name, a string cut from the body moments before, only to learn that it is new.
 * Up to LINEAR_LIMIT families are kept in an array instead, behind a filter of 1024 bits set by the
 * name's length and five of its characters: a name whose bit is clear is new without a look at
 * the others, and only one whose bit is set is searched for among them. Past the limit every name
 * moves to a Map, so a body with many families costs what a Map costs.
 */
export class MetadataSeen {
  /**
   * latest is the family of the latest call, with its bits in latestSeen, its filter bit, and its
   * place in names (-1 when not there); it is entered in the sets below when another name comes.
   */
  private latest = '';
  private latestSeen = 0;
  private latestBit = 0;
  private latestIndex = -1;
  private readonly names: string[] = [];
  private readonly seen: number[] = [];
  /**
   * filter holds 16 bits per element, so that every element stays a small integer. A typed array
   * of this size is allocated outside the heap, which costs as much as parsing a few lines.
   */
  private readonly filter: number[] = new Array<number>(FILTER_WORDS).fill(0);
  private map: Map<string, number> | undefined;

  /** mark records a metadata line of kind `bit` for family `name`, and tells whether it is the first such line. */
  mark(name: string, bit: number): boolean {
    let seen: number;
    if (name === this.latest) {
      seen = this.latestSeen;
    } else {
      if (this.latest !== '') this.store();
      seen = this.lookup(name);
      this.latest = name;
    }
    this.latestSeen = seen | bit;
    return (seen & bit) === 0;
  }

  private lookup(name: string): number {
    const map = this.map;
    if (map !== undefined) return map.get(name) ?? 0;
    const bit = filterBit(name);
    this.latestBit = bit;
    this.latestIndex = (this.filter[bit >> 4]! & (1 << (bit & 15))) === 0 ? -1 : this.names.indexOf(name);
    return this.latestIndex === -1 ? 0 : this.seen[this.latestIndex]!;
  }

  private store(): void {
    const map = this.map;
    if (map !== undefined) {
      map.set(this.latest, this.latestSeen);
      return;
    }
    if (this.latestIndex !== -1) {
      this.seen[this.latestIndex] = this.latestSeen;
      return;
    }
    const bit = this.latestBit;
    this.filter[bit >> 4]! |= 1 << (bit & 15);
    this.names.push(this.latest);
    this.seen.push(this.latestSeen);
    if (this.names.length > LINEAR_LIMIT) {
      this.map = new Map();
      for (let i = 0; i < this.names.length; i++) this.map.set(this.names[i]!, this.seen[i]!);
    }
  }
}

const FILTER_WORDS = 64;
const LINEAR_LIMIT = 128;

// filterBit spreads names over the filter by length and five characters; the names of one exporter
// share their first characters (`vllm:`, `DCGM_FI_DEV_`), so none of those is taken.
function filterBit(name: string): number {
  const n = name.length;
  let h = n;
  h = Math.imul(h ^ name.charCodeAt(n - 1), 0x9e3779b1);
  h = Math.imul(h ^ name.charCodeAt(n - 2), 0x9e3779b1);
  h = Math.imul(h ^ name.charCodeAt(n >> 1), 0x9e3779b1);
  h = Math.imul(h ^ name.charCodeAt((n * 3) >> 2), 0x9e3779b1);
  h = Math.imul(h ^ name.charCodeAt(n >> 2), 0x9e3779b1);
  return h >>> 22; // 1024 bits: FILTER_WORDS * 16
}
