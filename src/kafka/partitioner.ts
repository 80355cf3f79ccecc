/**
 * Record partitioners for the simulator: which partition each produced record lands on.
 *
 * ```
 * round-robin: record i ─▶ i mod P
 * key-hash:    uniform key k ∈ [0, K) ─┐
 * zipf:        key rank ∝ 1/rank^s ────┴─▶ "key-k" ─▶ toPositive(murmur2(utf8)) mod P
 * ```
 *
 * Keyed partitioners follow Kafka's default partitioner (`BuiltInPartitioner.partitionForKey`,
 * see ./murmur2.ts). The key → partition table is computed once, O(K) time and 4 bytes a key;
 * zipf adds an 8-byte-a-key cumulative weight table. Per record: O(1) for round-robin and
 * key-hash, O(log K) for zipf (binary search of the cumulative weights, the inverse-CDF method).
 */

import type { Rng } from "../engine/prng.js";
import { EsmlabError } from "../util/errors.js";
import { MAX_PARTITIONS, murmur2Prefix, toPositive } from "./murmur2.js";

/** The partitioners the simulator offers. */
export const PARTITIONER_KINDS = {
  "round-robin": "round-robin",
  "key-hash": "key-hash",
  zipf: "zipf",
} as const;
export type PartitionerKind = keyof typeof PARTITIONER_KINDS;

/** Assigns a partition to each produced record, in production order. */
export interface RecordPartitioner {
  readonly kind: PartitionerKind;
  /** partition of the next record (records are numbered 0,1,2… in production order) */
  next(): number;
}

/**
 * Largest key space accepted: 10^7 keys cost 40 MB of key → partition table (plus 80 MB of
 * cumulative weights for zipf), the most a simulation should spend on key bookkeeping.
 */
export const MAX_KEY_SPACE = 10_000_000;

/** Options of {@link keyHashPartitioner}. */
export interface KeyHashPartitionerOptions {
  /** Partitions of the topic, an integer in [1, 2^31 − 1]. */
  readonly partitions: number;
  /** Distinct keys, named `key-0` … `key-${keySpace - 1}`; an integer in [1, 10^7]. */
  readonly keySpace: number;
  /** Draws the keys; the partitioner owns its stream from here on. */
  readonly rng: Rng;
}

/** Options of {@link zipfPartitioner}. */
export interface ZipfPartitionerOptions extends KeyHashPartitionerOptions {
  /** Zipf exponent s > 0: key rank k is drawn with probability ∝ 1/k^s (s = 1 is classic Zipf). */
  readonly exponent: number;
}

/** Options of {@link keyPartitionShares}. */
export interface KeyPartitionSharesOptions {
  readonly partitions: number;
  readonly keySpace: number;
  /** Zipf exponent as in {@link ZipfPartitionerOptions}; absent for uniform keys (key-hash). */
  readonly exponent?: number;
}

/**
 * Round-robin: record i goes to partition i mod `partitions`.
 *
 * @param partitions partitions of the topic, an integer in [1, 2^31 − 1]
 * @throws {EsmlabError} when `partitions` is not such an integer
 * @example
 * const p = roundRobinPartitioner(3);
 * [p.next(), p.next(), p.next(), p.next()] // → [0, 1, 2, 0]
 */
export function roundRobinPartitioner(partitions: number): RecordPartitioner {
  checkPartitions(partitions);
  let nextPartition = 0;
  return {
    kind: "round-robin",
    next(): number {
      const p = nextPartition;
      // Wrap instead of counting records, so no counter ever outgrows exact integers.
      nextPartition = p + 1 === partitions ? 0 : p + 1;
      return p;
    },
  };
}

/**
 * Key-hash: each record's key is drawn uniformly from `keySpace` keys and placed as Kafka's
 * default partitioner places it. Partition shares follow the hash, so they are uneven when
 * `keySpace` is small (see {@link keyPartitionShares}).
 *
 * @throws {EsmlabError} when `partitions` or `keySpace` is out of range
 * @example
 * const p = keyHashPartitioner({ partitions: 12, keySpace: 1, rng: new Rng(1) });
 * p.next() // → 1 (the only key, "key-0", hashes to partition 1 of 12)
 */
export function keyHashPartitioner(options: KeyHashPartitionerOptions): RecordPartitioner {
  const { partitions, keySpace, rng } = options;
  checkPartitions(partitions);
  checkKeySpace(keySpace);
  const table = buildKeyPartitionTable(partitions, keySpace);
  return {
    kind: "key-hash",
    next: () => table[rng.int(keySpace)]!,
  };
}

/**
 * Zipf: key rank k (1-based) is drawn with probability (1/k^s) / H(keySpace, s), where
 * H(n, s) = Σ_{j=1..n} 1/j^s, and key `key-${k - 1}` is placed as Kafka would — a few hot keys
 * carry most records, so their partitions run hot.
 *
 * @throws {EsmlabError} when `partitions` or `keySpace` is out of range, or `exponent` is not a
 *   positive finite number
 * @example
 * const p = zipfPartitioner({ partitions: 12, keySpace: 1000, exponent: 1.2, rng: new Rng(7) });
 * p.next() // → a partition in [0, 12), most often 1 (that of the top key "key-0")
 */
export function zipfPartitioner(options: ZipfPartitionerOptions): RecordPartitioner {
  const { partitions, keySpace, exponent, rng } = options;
  checkPartitions(partitions);
  checkKeySpace(keySpace);
  checkExponent(exponent);
  const table = buildKeyPartitionTable(partitions, keySpace);
  const cumulative = buildZipfCumulative(keySpace, exponent);
  return {
    kind: "zipf",
    next: () => table[searchCumulative(cumulative, rng.next())]!,
  };
}

/**
 * A sampler of Zipf key indices: returns k − 1 for rank k drawn as in {@link zipfPartitioner},
 * consuming the rng exactly as that partitioner does (one `rng.next()` per draw).
 *
 * @returns a function drawing a key index in [0, keySpace)
 * @throws {EsmlabError} as {@link zipfPartitioner}
 * @example
 * const draw = zipfKeySampler({ keySpace: 1000, exponent: 1, rng: new Rng(7) });
 * draw() // → 0 with probability 1/H(1000, 1) ≈ 0.1336
 */
export function zipfKeySampler(options: Omit<ZipfPartitionerOptions, "partitions">): () => number {
  const { keySpace, exponent, rng } = options;
  checkKeySpace(keySpace);
  checkExponent(exponent);
  const cumulative = buildZipfCumulative(keySpace, exponent);
  return () => searchCumulative(cumulative, rng.next());
}

/**
 * Partition of each key `key-0` … `key-${keySpace - 1}` under Kafka's default partitioner.
 *
 * @returns table[k] = partition of `key-${k}`
 * @throws {EsmlabError} when `partitions` or `keySpace` is out of range
 * @example
 * keyPartitionTable(12, 3) // → Uint32Array [1, 0, 2]
 */
export function keyPartitionTable(partitions: number, keySpace: number): Uint32Array {
  checkPartitions(partitions);
  checkKeySpace(keySpace);
  return buildKeyPartitionTable(partitions, keySpace);
}

/**
 * Expected share of records per partition for a key-hash partitioner (no `exponent`) or a
 * zipf partitioner (with `exponent`): the summed key probabilities of the keys on each partition.
 *
 * @returns shares[p], summing to 1
 * @throws {EsmlabError} when an option is out of range
 * @example
 * keyPartitionShares({ partitions: 12, keySpace: 3 }) // → shares 1/3 on partitions 0, 1, 2
 */
export function keyPartitionShares(options: KeyPartitionSharesOptions): Float64Array {
  const { partitions, keySpace, exponent } = options;
  checkPartitions(partitions);
  checkKeySpace(keySpace);
  if (exponent !== undefined) checkExponent(exponent);
  const table = buildKeyPartitionTable(partitions, keySpace);
  const shares = new Float64Array(partitions);
  let total = 0;
  for (let k = 0; k < keySpace; k++) {
    const weight = exponent === undefined ? 1 : (k + 1) ** -exponent;
    shares[table[k]!]! += weight;
    total += weight;
  }
  for (let p = 0; p < partitions; p++) shares[p]! /= total;
  return shares;
}

/** ASCII bytes of `key-`, the prefix every simulated key shares. */
const KEY_PREFIX = [0x6b, 0x65, 0x79, 0x2d];

/**
 * Unchecked twin of {@link keyPartitionTable}. Writes each key's ASCII bytes into one reused
 * buffer instead of building and encoding a string per key: at 10^7 keys that is the difference
 * between tens of milliseconds and seconds. Equal to `kafkaPartition(\`key-${k}\`, partitions)`
 * because the decimal digits of k are ASCII, so UTF-8 is the identity on them.
 */
function buildKeyPartitionTable(partitions: number, keySpace: number): Uint32Array {
  const table = new Uint32Array(keySpace);
  const bytes = new Uint8Array(KEY_PREFIX.length + 16);
  bytes.set(KEY_PREFIX);
  let digits = 1;
  let nextPowerOfTen = 10;
  for (let k = 0; k < keySpace; k++) {
    if (k === nextPowerOfTen) {
      digits++;
      nextPowerOfTen *= 10;
    }
    const length = KEY_PREFIX.length + digits;
    let n = k;
    for (let j = length - 1; j >= KEY_PREFIX.length; j--) {
      bytes[j] = 48 + (n % 10);
      n = Math.floor(n / 10);
    }
    table[k] = toPositive(murmur2Prefix(bytes, length)) % partitions;
  }
  return table;
}

/** cumulative[i] = Σ_{j=1..i+1} 1/j^s: unnormalised, so the draw scales u by the total instead. */
function buildZipfCumulative(keySpace: number, exponent: number): Float64Array {
  const cumulative = new Float64Array(keySpace);
  let sum = 0;
  for (let i = 0; i < keySpace; i++) {
    sum += (i + 1) ** -exponent;
    cumulative[i] = sum;
  }
  return cumulative;
}

/**
 * Smallest i with cumulative[i] > u · total, for u uniform in [0, 1): index i is then hit with
 * probability proportional to its weight. Falls back to the last index when rounding makes
 * u · total reach the total.
 */
function searchCumulative(cumulative: Float64Array, u: number): number {
  const target = u * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function checkPartitions(partitions: number): void {
  checkCount(partitions, "topic.partitions", MAX_PARTITIONS);
}

function checkKeySpace(keySpace: number): void {
  checkCount(keySpace, "topic.partitioner.keySpace", MAX_KEY_SPACE);
}

function checkCount(value: number, field: string, max: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new EsmlabError(`invalid ${field}: ${value}: must be a positive integer`);
  }
  if (value > max) throw new EsmlabError(`invalid ${field}: ${value}: must be at most ${max}`);
}

function checkExponent(exponent: number): void {
  if (!Number.isFinite(exponent) || exponent <= 0) {
    throw new EsmlabError(
      `invalid topic.partitioner.exponent: ${exponent}: must be a positive finite number`,
    );
  }
}
