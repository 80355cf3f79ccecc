/**
 * Growable typed-array containers for the simulator's hot paths: no per-item objects, amortised
 * O(1) append, memory proportional to what is held (not to what passed through).
 */

/** An append-only `Float64Array` that doubles when full. */
export class F64Vector {
  private data: Float64Array;
  length = 0;

  constructor(capacity = 64) {
    this.data = new Float64Array(Math.max(1, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(this.length * 2);
    this.data[this.length++] = value;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  /** Make index `i` addressable, filling new cells with `fill`. */
  ensureLength(length: number, fill: number): void {
    if (length <= this.length) return;
    if (length > this.data.length) this.reserve(Math.max(length, this.data.length * 2));
    this.data.fill(fill, this.length, length);
    this.length = length;
  }

  /** A copy of the first `length` values. */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }

  private reserve(capacity: number): void {
    const next = new Float64Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

/** A FIFO ring buffer of numbers (`Float64Array`), growing by doubling. */
export class F64Deque {
  private data: Float64Array;
  private head = 0;
  length = 0;

  constructor(capacity = 16) {
    // power of two so the index wraps with a mask
    let cap = 16;
    while (cap < capacity) cap *= 2;
    this.data = new Float64Array(cap);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[(this.head + this.length) & (this.data.length - 1)] = value;
    this.length++;
  }

  /** The i-th value from the front (0 = oldest). */
  at(i: number): number {
    return this.data[(this.head + i) & (this.data.length - 1)]!;
  }

  /** Remove and return the oldest value. */
  shift(): number {
    const v = this.data[this.head]!;
    this.head = (this.head + 1) & (this.data.length - 1);
    this.length--;
    return v;
  }

  /** Drop the `n` oldest values. */
  drop(n: number): void {
    this.head = (this.head + n) & (this.data.length - 1);
    this.length -= n;
  }

  private grow(): void {
    const next = new Float64Array(this.data.length * 2);
    for (let i = 0; i < this.length; i++) next[i] = this.at(i);
    this.data = next;
    this.head = 0;
  }
}
