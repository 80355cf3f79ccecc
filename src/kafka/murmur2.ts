/**
 * Kafka's key hash: the 32-bit MurmurHash2 variant the Java producer uses to place keyed
 * records, and the partition it implies.
 *
 * Ported from Apache Kafka, `clients/src/main/java/org/apache/kafka/common/utils/Utils.java`
 * (`murmur2`, `toPositive`) and
 * `clients/src/main/java/org/apache/kafka/clients/producer/internals/BuiltInPartitioner.java`
 * (`partitionForKey`). Kafka's variant differs from Austin Appleby's reference only in its fixed
 * seed `0x9747b28c`; it must stay bit-for-bit identical, or simulated keys land on different
 * partitions from real ones. Cost of `murmur2`: O(bytes), no allocation.
 */

import { EsmlabError } from "../util/errors.js";

/** Kafka's fixed seed, as a signed 32-bit int like Java's `int seed = 0x9747b28c`. */
const SEED = 0x9747b28c | 0;
/** Mixing constants from Appleby's MurmurHash2 (Kafka keeps them as `m` and `r`). */
const M = 0x5bd1e995;
const R = 24;

/**
 * Kafka's `Utils.murmur2`: the 32-bit MurmurHash2 of `bytes` with seed `0x9747b28c`.
 *
 * @param bytes the serialized key
 * @returns the hash as a signed 32-bit integer, exactly the `int` Java returns
 * @example
 * murmur2(new TextEncoder().encode("foobar")) // → -790332482 (Kafka UtilsTest.testMurmur2)
 */
export function murmur2(bytes: Uint8Array): number {
  return murmur2Prefix(bytes, bytes.length);
}

/**
 * Unchecked twin of {@link murmur2}: hashes `bytes[0, length)` so a hot loop can reuse one
 * buffer for many keys without a `subarray` per key. The caller guarantees
 * `0 ≤ length ≤ bytes.length`.
 *
 * @param bytes buffer whose first `length` bytes are the key
 * @param length key length in bytes
 * @returns the signed 32-bit hash, as {@link murmur2}
 * @example
 * murmur2Prefix(new TextEncoder().encode("foobar!!"), 6) // → -790332482
 */
export function murmur2Prefix(bytes: Uint8Array, length: number): number {
  // Java's int arithmetic wraps at 32 bits: `Math.imul` is its `*`, `| 0`/`^` its int results.
  let h = SEED ^ length;
  const whole = length & ~3;
  // Indexes below are in [0, length) by construction, hence the non-null assertions.
  for (let i = 0; i < whole; i += 4) {
    // Little-endian; Java adds the shifted bytes, which equals OR since they do not overlap.
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  // Kafka's `switch (length % 4)` falls through 3 → 2 → 1; the cumulative `>=` tests replay that order
  // without a fall-through clause (which tsconfig's noFallthroughCasesInSwitch forbids).
  const tail = length & 3;
  if (tail >= 3) h ^= bytes[whole + 2]! << 16;
  if (tail >= 2) h ^= bytes[whole + 1]! << 8;
  if (tail >= 1) {
    h ^= bytes[whole]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * Kafka's `Utils.toPositive`: clears the sign bit. Not `Math.abs` — Kafka chose the mask so
 * `Integer.MIN_VALUE` maps to 0 rather than staying negative, and partitions depend on it.
 *
 * @param n a signed 32-bit integer (other numbers are first truncated to one, as Java's `int`)
 * @returns `n & 0x7fffffff`, in [0, 2^31)
 * @example
 * toPositive(-790332482) // → 1357151166
 */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** Largest partition count a Java `int` partition index can address: 2^31 − 1. */
export const MAX_PARTITIONS = 0x7fffffff;

const encoder = new TextEncoder();
/**
 * A UTF-16 code unit that is half of no surrogate pair. Java's `String.getBytes(UTF_8)` (what
 * Kafka's `StringSerializer` calls) encodes each as `?` (0x3F), while `TextEncoder` writes
 * U+FFFD (three bytes); replacing them first keeps such keys on Kafka's partition.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The bytes Kafka's `StringSerializer` (UTF-8) produces for `key`, lone surrogates as `?`.
 *
 * @param key any string
 * @returns its UTF-8 encoding as Java would write it
 * @example
 * javaUtf8("\uD800x") // → Uint8Array [63, 120]
 */
export function javaUtf8(key: string): Uint8Array {
  return encoder.encode(key.replace(LONE_SURROGATE, "?"));
}

/**
 * The partition Kafka's default producer partitioner gives a record with string key `key`
 * (`BuiltInPartitioner.partitionForKey`: `toPositive(murmur2(keyBytes)) % numPartitions`).
 * Keyless records are not covered: Kafka places those with its sticky partitioner instead.
 *
 * @param key the record key, serialized as UTF-8 like Kafka's `StringSerializer`
 * @param partitions number of partitions of the topic, an integer in [1, 2^31 − 1]
 * @returns the partition index, in [0, partitions)
 * @throws {EsmlabError} when `partitions` is not an integer in [1, 2^31 − 1]
 * @example
 * kafkaPartition("key-0", 12) // → 1 (checked against Kafka's Java murmur2)
 */
export function kafkaPartition(key: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
    throw new EsmlabError(
      `invalid topic.partitions: ${partitions}: must be a positive integer at most ${MAX_PARTITIONS}`,
    );
  }
  return toPositive(murmur2(javaUtf8(key))) % partitions;
}
