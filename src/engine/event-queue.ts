/**
 * The event queue of the discrete-event engine: a binary min-heap keyed by
 * (time, priority, sequence), so events at the same time run by priority and then in the order
 * they were scheduled — deterministic FIFO among ties, as in SimPy's `core.py` (which keys its
 * heap by `(time, priority, eid)`) and nexosim's `priority_queue.rs`.
 *
 * Struct-of-arrays storage (`Float64Array` time and tie key, `Int32Array` kind and target): no
 * object per event, so the queue neither allocates nor feeds the garbage collector in the hot
 * loop. Push and pop cost O(log n). The engine knows nothing of what an event means: `kind` and
 * `target` are small integers the model interprets.
 *
 * @example
 * const q = new EventQueue();
 * q.push(2, 0, 7, 1); q.push(1, 0, 7, 2);
 * q.pop(); // true; q.time === 1, q.target === 2
 */
export class EventQueue {
  private times: Float64Array;
  /** priority × 2^32 + sequence: one comparison orders ties by priority then FIFO. */
  private ties: Float64Array;
  private kinds: Int32Array;
  private targets: Int32Array;
  private n = 0;
  private seq = 0;

  /** Time of the event last popped. */
  time = 0;
  /** Kind of the event last popped. */
  kind = 0;
  /** Target of the event last popped. */
  target = 0;

  constructor(capacity = 256) {
    this.times = new Float64Array(capacity);
    this.ties = new Float64Array(capacity);
    this.kinds = new Int32Array(capacity);
    this.targets = new Int32Array(capacity);
  }

  /** Number of events waiting. */
  get size(): number {
    return this.n;
  }

  /** Time of the next event, `Infinity` when empty. */
  peekTime(): number {
    return this.n > 0 ? this.times[0]! : Number.POSITIVE_INFINITY;
  }

  /**
   * Schedule an event.
   * @param time when, in model time units (esmlab: seconds)
   * @param priority 0–1023; lower runs first among events at the same time
   * @param kind model-defined event kind
   * @param target model-defined target (a partition, a poller…)
   */
  push(time: number, priority: number, kind: number, target: number): void {
    if (this.n === this.times.length) this.grow();
    const tie = priority * 4294967296 + this.seq;
    this.seq = (this.seq + 1) % 4294967296;
    const times = this.times;
    const ties = this.ties;
    // sift up with a hole: move parents down until the new event's place is found
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && ties[parent]! < tie)) break;
      this.move(parent, i);
      i = parent;
    }
    times[i] = time;
    ties[i] = tie;
    this.kinds[i] = kind;
    this.targets[i] = target;
  }

  /** Remove the earliest event into `time`/`kind`/`target`; false when the queue is empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    const times = this.times;
    const ties = this.ties;
    this.time = times[0]!;
    this.kind = this.kinds[0]!;
    this.target = this.targets[0]!;
    const last = --this.n;
    if (last === 0) return true;
    const t = times[last]!;
    const tie = ties[last]!;
    const kind = this.kinds[last]!;
    const target = this.targets[last]!;
    // sift down with a hole from the root
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      const right = child + 1;
      if (
        right < last &&
        (times[right]! < times[child]! ||
          (times[right] === times[child] && ties[right]! < ties[child]!))
      ) {
        child = right;
      }
      const ct = times[child]!;
      if (t < ct || (t === ct && tie < ties[child]!)) break;
      this.move(child, i);
      i = child;
    }
    times[i] = t;
    ties[i] = tie;
    this.kinds[i] = kind;
    this.targets[i] = target;
    return true;
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.ties[to] = this.ties[from]!;
    this.kinds[to] = this.kinds[from]!;
    this.targets[to] = this.targets[from]!;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    times.set(this.times);
    const ties = new Float64Array(cap);
    ties.set(this.ties);
    const kinds = new Int32Array(cap);
    kinds.set(this.kinds);
    const targets = new Int32Array(cap);
    targets.set(this.targets);
    this.times = times;
    this.ties = ties;
    this.kinds = kinds;
    this.targets = targets;
  }
}
