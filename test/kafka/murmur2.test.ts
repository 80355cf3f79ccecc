import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  javaUtf8,
  kafkaPartition,
  murmur2,
  murmur2Prefix,
  toPositive,
} from "../../src/kafka/murmur2.js";
import { EsmlabError } from "../../src/util/errors.js";

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/**
 * Kafka's own vectors, quoted from apache/kafka
 * clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java, `testMurmur2`.
 */
const KAFKA_UTILS_TEST: ReadonlyArray<readonly [string, number]> = [
  ["21", -973932308],
  ["foobar", -790332482],
  ["a-little-bit-long-string", -985981536],
  ["a-little-bit-longer-string", -1486304829],
  ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971],
  ["abc", 479470107],
];

/**
 * Printed by Kafka's Java murmur2 (copied from Utils.java into a Test.java), quoted from
 * tulios/kafkajs src/producer/partitioners/defaultJava/murmur2.spec.js, and reproduced here with
 * OpenJDK 17; they cover every tail length 0–3 and keys of 1–9 bytes. (The sibling file under
 * `default/` holds kafkajs's legacy, not Java-compatible, hashes: do not take vectors from it.)
 */
const KAFKAJS_JAVA_OUTPUT: ReadonlyArray<readonly [string, number]> = [
  ["0", 971027396],
  ["1", -1993445489],
  ["128", -326012175],
  ["2187", -1508407203],
  ["16384", -325739742],
  ["78125", -1654490814],
  ["279936", 1462227128],
  ["823543", -2014198330],
  ["2097152", 607668903],
  ["4782969", -1182699775],
  ["10000000", -1830336757],
  ["19487171", -1603849305],
  ["35831808", -857013643],
  ["62748517", -1167431028],
  ["105413504", -381294639],
  ["170859375", -1658323481],
  ["100:48069", 1009543857],
];

/**
 * A second, independent transcription of Kafka's Java `murmur2`, in BigInt with explicit 32-bit
 * wrapping (Java `int` semantics spelled out), to cross-check the `Math.imul` port on any input.
 */
function referenceMurmur2(data: Uint8Array): number {
  const int = (x: bigint): bigint => BigInt.asIntN(32, x);
  const ushr = (x: bigint, n: bigint): bigint => int(BigInt.asUintN(32, x) >> n);
  const m = 0x5bd1e995n;
  const length = data.length;
  let h = int(int(0x9747b28cn) ^ BigInt(length));
  const byte = (i: number): bigint => BigInt(data[i] ?? 0);
  for (let i = 0; i < Math.floor(length / 4); i++) {
    const i4 = i * 4;
    let k = int(byte(i4) + (byte(i4 + 1) << 8n) + (byte(i4 + 2) << 16n) + (byte(i4 + 3) << 24n));
    k = int(k * m);
    k = int(k ^ ushr(k, 24n));
    k = int(k * m);
    h = int(h * m);
    h = int(h ^ k);
  }
  const base = length & ~3;
  const tail = length % 4;
  if (tail === 3) h = int(h ^ (byte(base + 2) << 16n));
  if (tail >= 2) h = int(h ^ (byte(base + 1) << 8n));
  if (tail >= 1) h = int(int(h ^ byte(base)) * m);
  h = int(h ^ ushr(h, 13n));
  h = int(h * m);
  h = int(h ^ ushr(h, 15n));
  return Number(h);
}

describe("murmur2", () => {
  it.each(KAFKA_UTILS_TEST)("murmur2(%j) matches Kafka UtilsTest: %i", (key, expected) => {
    expect(murmur2(ascii(key))).toBe(expected);
  });

  it.each(KAFKAJS_JAVA_OUTPUT)("murmur2(%j) matches Kafka's Java output: %i", (key, expected) => {
    expect(murmur2(ascii(key))).toBe(expected);
  });

  it("hashes the empty key to the mixed seed", () => {
    expect(murmur2(new Uint8Array(0))).toBe(referenceMurmur2(new Uint8Array(0)));
  });

  it("agrees with a BigInt transcription of Kafka's Java code on any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(murmur2(bytes)).toBe(referenceMurmur2(bytes));
      }),
    );
  });

  it("murmur2Prefix(bytes, n) hashes only the first n bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(40), (bytes, n) => {
        const length = Math.min(n, bytes.length);
        expect(murmur2Prefix(bytes, length)).toBe(murmur2(bytes.slice(0, length)));
      }),
    );
  });
});

describe("toPositive", () => {
  it("masks the sign bit as Kafka does, so Integer.MIN_VALUE maps to 0", () => {
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(-1)).toBe(2147483647);
    expect(toPositive(0)).toBe(0);
    expect(toPositive(479470107)).toBe(479470107);
    // 2^31 − 790332482, from the "foobar" vector
    expect(toPositive(-790332482)).toBe(1357151166);
  });
});

describe("javaUtf8", () => {
  it("encodes like Java's String.getBytes(UTF_8), lone surrogates as '?'", () => {
    // Byte values printed by OpenJDK for the same strings.
    expect([...javaUtf8("été")]).toEqual([195, 169, 116, 195, 169]);
    expect([...javaUtf8("\u{1F600}")]).toEqual([240, 159, 152, 128]);
    expect([...javaUtf8("\uD800x")]).toEqual([63, 120]);
    expect([...javaUtf8("x\uDC00")]).toEqual([120, 63]);
  });
});

describe("kafkaPartition", () => {
  it("is toPositive(murmur2) mod partitions, derived by hand from Kafka's vectors", () => {
    // "21":     2^31 − 973932308 = 1173551340; digit sum 30 → divisible by 3 and by 10
    expect(kafkaPartition("21", 3)).toBe(0);
    expect(kafkaPartition("21", 10)).toBe(0);
    // "foobar": 1357151166; last two digits 66 → mod 4 = 2
    expect(kafkaPartition("foobar", 4)).toBe(2);
    // "abc":    479470107, odd with digit sum 39 → mod 6 = 3
    expect(kafkaPartition("abc", 6)).toBe(3);
    // "a-little-bit-long-string": 2^31 − 985981536 = 1161502112 → mod 10 = 2
    expect(kafkaPartition("a-little-bit-long-string", 10)).toBe(2);
  });

  it("matches OpenJDK running Kafka's murmur2 on simulator-style and non-ASCII keys", () => {
    // (toPositive(Utils.murmur2(key.getBytes(UTF_8))) % n) printed by OpenJDK 17 for each key.
    expect(kafkaPartition("key-0", 12)).toBe(1);
    expect(kafkaPartition("key-42", 12)).toBe(3);
    expect(kafkaPartition("key-123456", 100)).toBe(10);
    expect(kafkaPartition("orders-7", 12)).toBe(4);
    expect(kafkaPartition("été", 100)).toBe(73);
    expect(kafkaPartition("\u{1F600}", 12)).toBe(9);
    expect(kafkaPartition("\uD800x", 100)).toBe(84);
  });

  it("always returns a partition in [0, partitions)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 30 }),
        fc.integer({ min: 1, max: 2147483647 }),
        (key, partitions) => {
          const p = kafkaPartition(key, partitions);
          expect(Number.isInteger(p)).toBe(true);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThan(partitions);
        },
      ),
    );
  });

  it.each([0, -3, 1.5, Number.NaN, 2 ** 31])("rejects partitions = %d naming the field", (n) => {
    expect(() => kafkaPartition("k", n)).toThrow(EsmlabError);
    expect(() => kafkaPartition("k", n)).toThrow(`invalid topic.partitions: ${n}:`);
  });
});
