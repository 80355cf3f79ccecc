import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/engine/prng.js";
import { kafkaPartition } from "../../src/kafka/murmur2.js";
import {
  keyHashPartitioner,
  keyPartitionShares,
  keyPartitionTable,
  MAX_KEY_SPACE,
  type RecordPartitioner,
  roundRobinPartitioner,
  zipfKeySampler,
  zipfPartitioner,
} from "../../src/kafka/partitioner.js";
import { EsmlabError } from "../../src/util/errors.js";

const take = (p: RecordPartitioner, n: number): number[] => Array.from({ length: n }, p.next);

/** Records per partition over the next `n` records. */
function counts(p: RecordPartitioner, partitions: number, n: number): Float64Array {
  const c = new Float64Array(partitions);
  for (let i = 0; i < n; i++) c[p.next()]! += 1;
  return c;
}

/** Generalised harmonic number H(n, s) = Σ_{k=1..n} 1/k^s, summed smallest term first. */
function harmonic(n: number, s: number): number {
  let sum = 0;
  for (let k = n; k >= 1; k--) sum += 1 / k ** s;
  return sum;
}

/** Five binomial standard deviations of an observed share `p` over `n` trials. */
const tolerance = (p: number, n: number): number => 5 * Math.sqrt((p * (1 - p)) / n);

describe("roundRobinPartitioner", () => {
  it("sends record i to partition i mod partitions", () => {
    expect(take(roundRobinPartitioner(3), 8)).toEqual([0, 1, 2, 0, 1, 2, 0, 1]);
    expect(take(roundRobinPartitioner(1), 4)).toEqual([0, 0, 0, 0]);
  });

  it("reports its kind", () => {
    expect(roundRobinPartitioner(2).kind).toBe("round-robin");
  });
});

describe("keyPartitionTable", () => {
  it("places keys key-0..key-999 on 12 partitions as OpenJDK running Kafka's murmur2 does", () => {
    // Per-partition key counts printed by OpenJDK 17 with Kafka's Utils.murmur2 and toPositive.
    const table = keyPartitionTable(12, 1000);
    const perPartition = new Array<number>(12).fill(0);
    for (const p of table) perPartition[p]! += 1;
    expect(perPartition).toEqual([80, 93, 93, 72, 77, 85, 90, 76, 86, 82, 90, 76]);
    expect([table[0], table[1], table[2], table[42], table[999]]).toEqual([1, 0, 2, 3, 0]);
  });

  it("handles keys up to MAX_KEY_SPACE (digit counts 1 to 7)", () => {
    const table = keyPartitionTable(100, MAX_KEY_SPACE);
    // OpenJDK: "key-123456" → 10, "key-9999999" → 32 on 100 partitions.
    expect(table[123456]).toBe(10);
    expect(table[MAX_KEY_SPACE - 1]).toBe(32);
  });

  it('equals kafkaPartition("key-" + k) for every key k', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 3000 }),
        (partitions, keySpace) => {
          const table = keyPartitionTable(partitions, keySpace);
          for (let k = 0; k < keySpace; k++) {
            expect(table[k]).toBe(kafkaPartition(`key-${k}`, partitions));
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe("keyHashPartitioner", () => {
  it("over 200k records, gives each partition the share of keys that map to it", () => {
    const [partitions, keySpace, n] = [8, 1000, 200_000];
    const p = keyHashPartitioner({ partitions, keySpace, rng: new Rng(42) });
    expect(p.kind).toBe("key-hash");
    const observed = counts(p, partitions, n);
    const expected = keyPartitionShares({ partitions, keySpace });
    for (let i = 0; i < partitions; i++) {
      const share = expected[i]!;
      expect(Math.abs(observed[i]! / n - share)).toBeLessThan(tolerance(share, n));
    }
  });

  it("expects shares equal to the count of keys per partition over keySpace", () => {
    const shares = keyPartitionShares({ partitions: 12, keySpace: 1000 });
    const javaCounts = [80, 93, 93, 72, 77, 85, 90, 76, 86, 82, 90, 76];
    javaCounts.forEach((c, i) => {
      expect(shares[i]).toBeCloseTo(c / 1000, 12);
    });
  });
});

describe("zipfPartitioner", () => {
  it("H(1000, 1) used below matches the known harmonic number 7.4854708606", () => {
    expect(harmonic(1000, 1)).toBeCloseTo(7.485470860550345, 12);
  });

  it.each([
    [1000, 1],
    [1000, 1.5],
    [50_000, 0.8],
  ])("draws rank 1 of %i keys (s = %d) with frequency 1/H(keySpace, s)", (keySpace, exponent) => {
    const n = 200_000;
    const draw = zipfKeySampler({ keySpace, exponent, rng: new Rng(7) });
    let top = 0;
    let second = 0;
    for (let i = 0; i < n; i++) {
      const k = draw();
      if (k === 0) top++;
      else if (k === 1) second++;
    }
    const h = harmonic(keySpace, exponent);
    expect(Math.abs(top / n - 1 / h)).toBeLessThan(tolerance(1 / h, n));
    const p2 = 1 / 2 ** exponent / h;
    expect(Math.abs(second / n - p2)).toBeLessThan(tolerance(p2, n));
  });

  it("partitions the drawn key as Kafka would: the same rng stream gives table[key]", () => {
    const options = { partitions: 12, keySpace: 1000, exponent: 1.2 };
    const p = zipfPartitioner({ ...options, rng: new Rng(3) });
    const draw = zipfKeySampler({ ...options, rng: new Rng(3) });
    const table = keyPartitionTable(12, 1000);
    expect(p.kind).toBe("zipf");
    for (let i = 0; i < 1000; i++) expect(p.next()).toBe(table[draw()]);
  });

  it("over 200k records, matches the expected Zipf-weighted partition shares", () => {
    const [partitions, keySpace, exponent, n] = [12, 1000, 1.2, 200_000];
    const observed = counts(
      zipfPartitioner({ partitions, keySpace, exponent, rng: new Rng(9) }),
      partitions,
      n,
    );
    const expected = keyPartitionShares({ partitions, keySpace, exponent });
    for (let i = 0; i < partitions; i++) {
      const share = expected[i]!;
      expect(Math.abs(observed[i]! / n - share)).toBeLessThan(tolerance(share, n));
    }
    // The hottest partition is the one holding "key-0".
    expect(expected.indexOf(Math.max(...expected))).toBe(kafkaPartition("key-0", 12));
  });

  it("with one key sends every record to that key's partition", () => {
    const p = zipfPartitioner({ partitions: 12, keySpace: 1, exponent: 2, rng: new Rng(1) });
    expect(take(p, 5)).toEqual([1, 1, 1, 1, 1]);
  });
});

describe("determinism", () => {
  const makers = {
    "key-hash": (seed: number) =>
      keyHashPartitioner({ partitions: 7, keySpace: 500, rng: new Rng(seed) }),
    zipf: (seed: number) =>
      zipfPartitioner({ partitions: 7, keySpace: 500, exponent: 1.1, rng: new Rng(seed) }),
  };

  it.each(Object.entries(makers))("%s: same seed → same sequence", (_, make) => {
    expect(take(make(5), 500)).toEqual(take(make(5), 500));
    expect(take(make(5), 500)).not.toEqual(take(make(6), 500));
  });
});

describe("every partitioner", () => {
  it("returns integer partitions in [0, partitions)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0.05, max: 4, noNaN: true }),
        fc.integer(),
        (partitions, keySpace, exponent, seed) => {
          const all = [
            roundRobinPartitioner(partitions),
            keyHashPartitioner({ partitions, keySpace, rng: new Rng(seed) }),
            zipfPartitioner({ partitions, keySpace, exponent, rng: new Rng(seed) }),
          ];
          for (const p of all) {
            for (const x of take(p, 50)) {
              expect(Number.isInteger(x) && x >= 0 && x < partitions).toBe(true);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("option validation", () => {
  const rng = new Rng(1);
  it.each([
    [() => roundRobinPartitioner(0), "invalid topic.partitions: 0: must be a positive integer"],
    [() => roundRobinPartitioner(2.5), "invalid topic.partitions: 2.5: must be a positive integer"],
    [
      () => keyHashPartitioner({ partitions: -1, keySpace: 10, rng }),
      "invalid topic.partitions: -1",
    ],
    [
      () => keyHashPartitioner({ partitions: 2 ** 31, keySpace: 10, rng }),
      "must be at most 2147483647",
    ],
    [
      () => keyHashPartitioner({ partitions: 4, keySpace: 0, rng }),
      "invalid topic.partitioner.keySpace: 0",
    ],
    [
      () => keyHashPartitioner({ partitions: 4, keySpace: Number.NaN, rng }),
      "invalid topic.partitioner.keySpace: NaN",
    ],
    [
      () => zipfPartitioner({ partitions: 4, keySpace: MAX_KEY_SPACE + 1, exponent: 1, rng }),
      "invalid topic.partitioner.keySpace: 10000001: must be at most 10000000",
    ],
    [
      () => zipfPartitioner({ partitions: 4, keySpace: 10, exponent: 0, rng }),
      "invalid topic.partitioner.exponent: 0",
    ],
    [
      () => zipfPartitioner({ partitions: 4, keySpace: 10, exponent: -1, rng }),
      "invalid topic.partitioner.exponent: -1",
    ],
    [
      () => zipfKeySampler({ keySpace: 10, exponent: Number.POSITIVE_INFINITY, rng }),
      "invalid topic.partitioner.exponent: Infinity",
    ],
    [
      () => keyPartitionShares({ partitions: 4, keySpace: 10, exponent: Number.NaN }),
      "invalid topic.partitioner.exponent: NaN",
    ],
    [() => keyPartitionTable(3, 1.5), "invalid topic.partitioner.keySpace: 1.5"],
  ] as const)("rejects bad options (%#) naming the field", (make, message) => {
    expect(make).toThrow(EsmlabError);
    expect(make).toThrow(message);
  });
});
