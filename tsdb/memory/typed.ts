/** Helpers for the growable typed arrays behind the head's struct-of-arrays tables. */

type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

/** grown returns a copy of `arr` with room for `capacity` elements; new elements are `fill`. */
export function grown<T extends TypedArray>(arr: T, capacity: number, fill = 0): T {
  const ctor = arr.constructor as new (n: number) => T;
  const next = new ctor(capacity);
  next.set(arr as never);
  if (fill !== 0) next.fill(fill as never, arr.length);
  return next;
}

/** U32Stack is a growable stack of unsigned 32-bit integers (free lists). */
export class U32Stack {
  private items = new Uint32Array(16);
  private n = 0;

  get length(): number {
    return this.n;
  }

  push(v: number): void {
    if (this.n === this.items.length) this.items = grown(this.items, this.items.length * 2);
    this.items[this.n++] = v;
  }

  /** pop returns the top item, or -1 when empty. */
  pop(): number {
    return this.n === 0 ? -1 : this.items[--this.n]!;
  }

  clear(): void {
    this.n = 0;
  }
}
