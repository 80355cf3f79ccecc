import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/engine/event-queue.js";

interface Popped {
  readonly time: number;
  readonly kind: number;
  readonly target: number;
}

/** Pop every event left in the queue. */
function drain(q: EventQueue): Popped[] {
  const out: Popped[] = [];
  while (q.pop()) out.push({ time: q.time, kind: q.kind, target: q.target });
  return out;
}

/**
 * The specification, independent of heaps and lanes: a plain array kept in insertion order;
 * the next event is the first one of the array stably sorted by (time, priority).
 */
class ReferenceQueue {
  private readonly events: { time: number; priority: number; kind: number; target: number }[] = [];

  push(time: number, priority: number, kind: number, target: number): void {
    this.events.push({ time, priority, kind, target });
  }

  pop(): Popped | undefined {
    if (this.events.length === 0) return undefined;
    // Array.prototype.sort is stable (ES2019), so equal keys keep insertion order
    const order = this.events
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.time - b.e.time || a.e.priority - b.e.priority);
    const first = order[0]!;
    this.events.splice(first.i, 1);
    return { time: first.e.time, kind: first.e.kind, target: first.e.target };
  }

  get size(): number {
    return this.events.length;
  }

  peekTime(): number {
    return this.events.reduce((m, e) => Math.min(m, e.time), Number.POSITIVE_INFINITY);
  }
}

type Op =
  | { readonly op: "push"; readonly dt: number; readonly priority: number; readonly kind: number }
  | { readonly op: "pop" };

/** Few distinct times so that ties (same time, same priority) are frequent. */
const TIMES = [0, 0.5, 1, 2, 3.25] as const;

const opArb = (kinds: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant("push" as const),
        dt: fc.integer({ min: 0, max: TIMES.length - 1 }),
        priority: fc.integer({ min: 0, max: 3 }),
        kind: fc.integer({ min: 0, max: kinds - 1 }),
      }),
    },
    { weight: 2, arbitrary: fc.constant({ op: "pop" as const }) },
  );

/**
 * Replay `ops` on both queues. In "absolute" mode a push's time is TIMES[dt] (times go up and
 * down, exercising the heap); in "monotone" mode each kind's times only grow by TIMES[dt]
 * (the lanes' fast path), and a push may still fall below the lane's last key through a lower
 * priority at an equal time.
 */
function replay(ops: readonly Op[], mode: "absolute" | "monotone"): void {
  const q = new EventQueue(4);
  const ref = new ReferenceQueue();
  const lastTime = new Float64Array(16);
  let target = 0;
  for (const o of ops) {
    if (o.op === "push") {
      let time = TIMES[o.dt]!;
      if (mode === "monotone") {
        time += lastTime[o.kind]!;
        lastTime[o.kind] = time;
      }
      // targets are distinct, so every popped event identifies the pushed one
      q.push(time, o.priority, o.kind, target);
      ref.push(time, o.priority, o.kind, target);
      target++;
    } else {
      const expected = ref.pop();
      const got = q.pop();
      expect(got).toBe(expected !== undefined);
      if (expected !== undefined) {
        expect({ time: q.time, kind: q.kind, target: q.target }).toEqual(expected);
      }
    }
    expect(q.size).toBe(ref.size);
    expect(q.peekTime()).toBe(ref.peekTime());
  }
  // what is left comes out in the same order too
  const rest: Popped[] = [];
  for (let e = ref.pop(); e !== undefined; e = ref.pop()) rest.push(e);
  expect(drain(q)).toEqual(rest);
}

describe("EventQueue", () => {
  it("pops nothing from an empty queue and reports an infinite next time", () => {
    const q = new EventQueue();
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Number.POSITIVE_INFINITY);
    expect(q.pop()).toBe(false);
    q.push(1, 0, 0, 0);
    expect(q.pop()).toBe(true);
    expect(q.pop()).toBe(false);
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });

  it("pops the earlier event first, whatever the push order (the TSDoc example)", () => {
    const q = new EventQueue();
    q.push(2, 0, 7, 1);
    q.push(1, 0, 7, 2);
    expect(q.peekTime()).toBe(1);
    expect(q.pop()).toBe(true);
    expect([q.time, q.kind, q.target]).toEqual([1, 7, 2]);
    expect(q.pop()).toBe(true);
    expect([q.time, q.kind, q.target]).toEqual([2, 7, 1]);
  });

  it("runs events at the same time by priority, then first scheduled first", () => {
    const q = new EventQueue();
    q.push(5, 2, 0, 10);
    q.push(5, 1, 1, 11);
    q.push(5, 2, 2, 12);
    q.push(5, 0, 0, 13);
    q.push(5, 1, 0, 14);
    expect(drain(q).map((e) => e.target)).toEqual([13, 11, 14, 10, 12]);
  });

  it("keeps the largest kind (15) and target (2^27 − 1) intact through lanes and heap", () => {
    const q = new EventQueue();
    const big = 2 ** 27 - 1;
    q.push(3, 0, 15, big); // lane of kind 15
    q.push(1, 0, 15, big - 1); // below the lane's last key: goes to the heap
    q.push(2, 0, 0, 0);
    expect(drain(q)).toEqual([
      { time: 1, kind: 15, target: big - 1 },
      { time: 2, kind: 0, target: 0 },
      { time: 3, kind: 15, target: big },
    ]);
  });

  it("pops in stable (time, priority) order for random interleavings of pushes and pops", () => {
    fc.assert(
      fc.property(fc.array(opArb(4), { maxLength: 300 }), (ops) => replay(ops, "absolute")),
      { numRuns: 300 },
    );
  });

  it("pops in stable (time, priority) order when each kind's times only grow", () => {
    fc.assert(
      fc.property(fc.array(opArb(4), { maxLength: 300 }), (ops) => replay(ops, "monotone")),
      { numRuns: 300 },
    );
  });

  it("pops in stable order with a single kind (one lane against the heap)", () => {
    fc.assert(
      fc.property(
        fc.array(opArb(1), { maxLength: 300 }),
        fc.constantFrom("absolute" as const, "monotone" as const),
        (ops, mode) => replay(ops, mode),
      ),
      { numRuns: 200 },
    );
  });

  it("grows past its initial capacity: 10^5 events pushed out of order come out sorted", () => {
    const q = new EventQueue(2);
    const n = 100_000;
    // a permutation of 0..n-1 (multiplier coprime with n) so pushes are far from monotone
    for (let i = 0; i < n; i++) {
      const t = (i * 7919) % n;
      q.push(t, 0, i % 3, t);
    }
    expect(q.size).toBe(n);
    // count disorders in a plain loop: one expect per event would dominate the run time
    let popped = 0;
    let wrong = 0;
    while (q.pop()) {
      if (q.time !== popped || q.target !== popped) wrong++;
      popped++;
    }
    expect(popped).toBe(n);
    expect(wrong).toBe(0);
  });

  it("grows its lanes past their capacity: 10^5 monotone events per kind keep FIFO order", () => {
    const q = new EventQueue();
    const n = 100_000;
    for (let i = 0; i < n; i++) q.push(Math.floor(i / 10), 0, i % 2, i);
    expect(q.size).toBe(n);
    let popped = 0;
    let wrong = 0;
    while (q.pop()) {
      // equal times in push order: target i pops i-th
      if (q.target !== popped || q.kind !== popped % 2) wrong++;
      popped++;
    }
    expect(popped).toBe(n);
    expect(wrong).toBe(0);
  });
});
