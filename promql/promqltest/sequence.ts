/**
 * Sequence is the expansion of a series' points in the test-script notation (`0+10x5 _ stale`):
 * one slot per step, each a float, a gap (`_`), a staleness marker or a native-histogram literal.
 * Kinds and values are parallel arrays; a staleness marker is a kind, never a NaN payload to carry.
 */
export const POINT_FLOAT = 0;
export const POINT_OMITTED = 1;
export const POINT_STALE = 2;
export const POINT_HISTOGRAM = 3;
export type PointKind = typeof POINT_FLOAT | typeof POINT_OMITTED | typeof POINT_STALE | typeof POINT_HISTOGRAM;

export class Sequence {
  /** kinds[i] is a PointKind. */
  readonly kinds: readonly PointKind[];
  /** values[i] is the float at slot i (0 for the other kinds, as test.go's zero SequenceValue). */
  readonly values: readonly number[];
  /** histograms holds the literal text of each POINT_HISTOGRAM slot, by slot index. */
  readonly histograms: ReadonlyMap<number, string>;

  constructor(kinds: PointKind[], values: number[], histograms: Map<number, string>) {
    this.kinds = kinds;
    this.values = values;
    this.histograms = histograms;
  }

  get length(): number {
    return this.kinds.length;
  }

  /** hasHistograms says whether any slot is a native-histogram sample. */
  get hasHistograms(): boolean {
    return this.histograms.size > 0;
  }

  /** toString renders the expanded points, `_` for gaps: `1 2 _ stale`. */
  toString(): string {
    const out: string[] = [];
    for (let i = 0; i < this.kinds.length; i++) out.push(pointString(this, i));
    return out.join(' ');
  }
}

/** pointString renders slot i the way the script notation spells it. */
export function pointString(seq: Sequence, i: number): string {
  switch (seq.kinds[i]) {
    case POINT_OMITTED:
      return '_';
    case POINT_STALE:
      return 'stale';
    case POINT_HISTOGRAM:
      return seq.histograms.get(i) ?? '{{}}';
    default: {
      const v = seq.values[i]!;
      if (Number.isNaN(v)) return 'NaN';
      if (v === Infinity) return '+Inf';
      if (v === -Infinity) return '-Inf';
      return String(v);
    }
  }
}

/** SequenceBuilder appends slots; build() freezes them. */
export class SequenceBuilder {
  private readonly kinds: PointKind[] = [];
  private readonly values: number[] = [];
  private readonly histograms = new Map<number, string>();

  float(v: number): void {
    this.kinds.push(POINT_FLOAT);
    this.values.push(v);
  }

  omitted(): void {
    this.kinds.push(POINT_OMITTED);
    this.values.push(0);
  }

  stale(): void {
    this.kinds.push(POINT_STALE);
    this.values.push(0);
  }

  histogram(text: string): void {
    this.histograms.set(this.kinds.length, text);
    this.kinds.push(POINT_HISTOGRAM);
    this.values.push(0);
  }

  build(): Sequence {
    return new Sequence(this.kinds, this.values, this.histograms);
  }
}
