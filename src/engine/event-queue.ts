/**
 * The event queue of the discrete-event engine, ordered by (time, priority, sequence): events
 * at the same time run by priority, then in the order they were scheduled — deterministic FIFO
 * among ties, as in SimPy's `core.py` (which keys its heap by `(time, priority, eid)`) and
 * nexosim's `priority_queue.rs`.
 *
 * Two structures hold the events, and `pop` takes the smaller head of the two:
 * - a FIFO lane per event kind: an event whose key is not below the last one appended to its
 *   kind's lane is appended there in O(1) (a model's completions with a constant duration,
 *   wake-ups at successive arrivals — the common case is monotone per kind);
 * - a binary min-heap for the rest, O(log n).
 * Each lane is sorted by construction, so the order is exactly a single heap's. This is the
 * classic two-tier trick of network simulators for monotone timer streams.
 *
 * Struct-of-arrays storage (`Float64Array` time and tie key, an `Int32Array` payload packing
 * kind and target): no object per event, so the queue neither allocates nor feeds the garbage
 * collector in the hot loop. The engine knows nothing of what an event means: `kind` and
 * `target` are small integers the model interprets.
 *
 * @example
 * const q = new EventQueue();
 * q.push(2, 0, 7, 1); q.push(1, 0, 7, 2);
 * q.pop(); // true; q.time === 1, q.target === 2
 */
export class EventQueue {
  private heapTimes: Float64Array;
  /** priority × 2^40 + sequence (exact in a double below 2^53): orders ties by priority, then FIFO. */
  private heapTies: Float64Array;
  /** target × 16 + kind */
  private heapPayloads: Int32Array;
  private n = 0;
  private seq = 0;
  private readonly lanes: Lane[] = [];
  /** Kinds whose lane has ever been used, so pop scans only those. */
  private laneCount = 0;
  private total = 0;

  /** Time of the event last popped. */
  time = 0;
  /** Kind of the event last popped. */
  kind = 0;
  /** Target of the event last popped. */
  target = 0;

  constructor(capacity = 256) {
    this.heapTimes = new Float64Array(capacity);
    this.heapTies = new Float64Array(capacity);
    this.heapPayloads = new Int32Array(capacity);
  }

  /** Number of events waiting. */
  get size(): number {
    return this.total;
  }

  /** Time of the next event, `Infinity` when empty. */
  peekTime(): number {
    let best = this.n > 0 ? this.heapTimes[0]! : Number.POSITIVE_INFINITY;
    for (let k = 0; k < this.laneCount; k++) {
      const lane = this.lanes[k]!;
      if (lane.length > 0 && lane.headTime() < best) best = lane.headTime();
    }
    return best;
  }

  /**
   * Schedule an event.
   * @param time when, in model time units (esmlab: seconds)
   * @param priority 0–4095; lower runs first among events at the same time (sequence numbers stay
   *   exact for 2^40 events)
   * @param kind model-defined event kind, 0–15
   * @param target model-defined target (a partition, a poller…), 0 to 2^27 − 1
   */
  push(time: number, priority: number, kind: number, target: number): void {
    const tie = priority * 1099511627776 + this.seq++;
    this.total++;
    while (this.laneCount <= kind) this.lanes[this.laneCount++] = new Lane();
    const lane = this.lanes[kind]!;
    if (lane.accepts(time, tie)) {
      lane.append(time, tie, target);
      return;
    }
    this.heapPush(time, tie, target * 16 + kind);
  }

  /** Remove the earliest event into `time`/`kind`/`target`; false when the queue is empty. */
  pop(): boolean {
    if (this.total === 0) return false;
    this.total--;
    // the smallest head among the heap and the lanes
    let bestLane = -1;
    let bestTime = this.n > 0 ? this.heapTimes[0]! : Number.POSITIVE_INFINITY;
    let bestTie = this.n > 0 ? this.heapTies[0]! : Number.POSITIVE_INFINITY;
    for (let k = 0; k < this.laneCount; k++) {
      const lane = this.lanes[k]!;
      if (lane.length === 0) continue;
      const t = lane.headTime();
      if (t < bestTime || (t === bestTime && lane.headTie() < bestTie)) {
        bestLane = k;
        bestTime = t;
        bestTie = lane.headTie();
      }
    }
    if (bestLane >= 0) {
      this.time = bestTime;
      this.kind = bestLane;
      this.target = this.lanes[bestLane]!.shift();
      return true;
    }
    this.heapPop();
    return true;
  }

  private heapPush(time: number, tie: number, payload: number): void {
    if (this.n === this.heapTimes.length) this.grow();
    const times = this.heapTimes;
    const ties = this.heapTies;
    const payloads = this.heapPayloads;
    // sift up with a hole: move parents down until the new event's place is found
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && ties[parent]! < tie)) break;
      times[i] = pt;
      ties[i] = ties[parent]!;
      payloads[i] = payloads[parent]!;
      i = parent;
    }
    times[i] = time;
    ties[i] = tie;
    payloads[i] = payload;
  }

  private heapPop(): void {
    const times = this.heapTimes;
    const ties = this.heapTies;
    const payloads = this.heapPayloads;
    this.time = times[0]!;
    const top = payloads[0]!;
    this.kind = top & 15;
    this.target = top >> 4;
    const last = --this.n;
    if (last === 0) return;
    const t = times[last]!;
    const tie = ties[last]!;
    const payload = payloads[last]!;
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
      times[i] = ct;
      ties[i] = ties[child]!;
      payloads[i] = payloads[child]!;
      i = child;
    }
    times[i] = t;
    ties[i] = tie;
    payloads[i] = payload;
  }

  private grow(): void {
    const cap = this.heapTimes.length * 2;
    const times = new Float64Array(cap);
    times.set(this.heapTimes);
    const ties = new Float64Array(cap);
    ties.set(this.heapTies);
    const payloads = new Int32Array(cap);
    payloads.set(this.heapPayloads);
    this.heapTimes = times;
    this.heapTies = ties;
    this.heapPayloads = payloads;
  }
}

/** A FIFO ring of events whose keys only grow. */
class Lane {
  private times = new Float64Array(64);
  private ties = new Float64Array(64);
  private targets = new Int32Array(64);
  private head = 0;
  private lastTime = Number.NEGATIVE_INFINITY;
  private lastTie = Number.NEGATIVE_INFINITY;
  length = 0;

  /** True when the ring is empty or (time, tie) is above the last key appended: it stays sorted. */
  accepts(time: number, tie: number): boolean {
    return (
      this.length === 0 || time > this.lastTime || (time === this.lastTime && tie > this.lastTie)
    );
  }

  append(time: number, tie: number, target: number): void {
    if (this.length === this.times.length) this.grow();
    const i = (this.head + this.length) & (this.times.length - 1);
    this.times[i] = time;
    this.ties[i] = tie;
    this.targets[i] = target;
    this.length++;
    this.lastTime = time;
    this.lastTie = tie;
  }

  headTime(): number {
    return this.times[this.head]!;
  }

  headTie(): number {
    return this.ties[this.head]!;
  }

  shift(): number {
    const target = this.targets[this.head]!;
    this.head = (this.head + 1) & (this.times.length - 1);
    this.length--;
    return target;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    const ties = new Float64Array(cap);
    const targets = new Int32Array(cap);
    for (let j = 0; j < this.length; j++) {
      const i = (this.head + j) & (this.times.length - 1);
      times[j] = this.times[i]!;
      ties[j] = this.ties[i]!;
      targets[j] = this.targets[i]!;
    }
    this.times = times;
    this.ties = ties;
    this.targets = targets;
    this.head = 0;
  }
}
