import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/engine/prng.js";

/**
 * An Rng whose xoshiro128** state is set to the given words. The constructor always seeds
 * through splitmix32, so the reference vectors below need the state set directly: the four
 * fields are TypeScript-private, not runtime-private, and named a, b, c, d = s[0]…s[3].
 */
function withState(s: readonly [number, number, number, number]): Rng {
  const rng = new Rng(0);
  Object.assign(rng, { a: s[0] | 0, b: s[1] | 0, c: s[2] | 0, d: s[3] | 0 });
  return rng;
}

function stateOf(rng: Rng): number[] {
  const r = rng as unknown as { a: number; b: number; c: number; d: number };
  return [r.a >>> 0, r.b >>> 0, r.c >>> 0, r.d >>> 0];
}

const take = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.nextUint32());

describe("Rng.nextUint32 against xoshiro128** reference output", () => {
  it("reproduces the reference C output for state [0, 1, 2, 3]", () => {
    // Output of prng.di.unimi.it/xoshiro128starstar.c from s = {0, 1, 2, 3}, as carried by the
    // test suites of independent JS/TS ports (e.g. a Deno port's xoshiro128starstar_test.ts).
    const expected = [
      5760, 17280, 2966400, 32451840, 2604340873, 3891234569, 1254043636, 216095511, 3291724652,
      2070429911, 3403762308, 371730125, 2871333640, 1107719891, 407174912, 2984142590, 3931454317,
      988064505, 139866493, 1642526786, 2209862179, 1349487243, 1285712680, 615038681, 3943957616,
      1212430137, 2007351553, 492343048, 3280648624, 35038342,
    ];
    expect(take(withState([0, 1, 2, 3]), expected.length)).toEqual(expected);
  });

  it("reproduces the outputs and states of the C reference in edorfaus/xoshiro-6502", () => {
    // test-rom/testdata.asm: the C reference seeded with these words; starstar column and states
    const rng = withState([0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0]);
    const outputs = [0xf1391922, 0x6fe53806, 0xa5be2840, 0xf510ee70];
    const states = [
      [0x72410269, 0xef382c52, 0x2e43bec7, 0x62432f20],
      [0xff3a011b, 0xb33a90fc, 0x2c5a18ae, 0xd81b946b],
      [0x941b058c, 0x605a8949, 0xa641e1b5, 0x0824bb59],
      [0xfc65379c, 0x52006d70, 0x87487639, 0xf1908343],
    ];
    for (let i = 0; i < outputs.length; i++) {
      expect(rng.nextUint32()).toBe(outputs[i]);
      expect(stateOf(rng)).toEqual(states[i]);
    }
  });

  it("builds next() from two outputs: 27 high bits, then 26, over 2^53", () => {
    // from the reference outputs 5760 and 17280: (5760 >>> 5) · 2^26 + (17280 >>> 6), / 2^53
    expect(withState([0, 1, 2, 3]).next()).toBe((180 * 2 ** 26 + 270) / 2 ** 53);
  });
});

describe("Rng", () => {
  it("gives the same stream for the same seed", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        expect(take(new Rng(seed), 8)).toEqual(take(new Rng(seed), 8));
      }),
    );
    expect(take(Rng.stream(7, 3), 8)).toEqual(take(Rng.stream(7, 3), 8));
  });

  it("gives different streams for different seeds", () => {
    const firsts = new Set<string>();
    for (let seed = 0; seed < 1000; seed++) firsts.add(take(new Rng(seed), 2).join(","));
    expect(firsts.size).toBe(1000);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (s, t) => {
          fc.pre(s !== t);
          expect(take(new Rng(s), 4)).not.toEqual(take(new Rng(t), 4));
        },
      ),
    );
  });

  it("gives different streams for different stream numbers of one seed", () => {
    for (const seed of [0, 1, 42, 2 ** 31, 2 ** 32 - 1]) {
      const firsts = new Set<string>();
      for (let k = 0; k < 64; k++) firsts.add(take(Rng.stream(seed, k), 2).join(","));
      expect(firsts.size).toBe(64);
    }
  });

  it("gives uncorrelated streams for neighbouring stream numbers (|r| < 0.04 over 10^4 draws)", () => {
    const n = 10_000;
    for (const [j, k] of [
      [0, 1],
      [1, 2],
      [0, 7],
    ] as const) {
      const x = Rng.stream(1, j);
      const y = Rng.stream(1, k);
      let sx = 0;
      let sy = 0;
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let i = 0; i < n; i++) {
        const u = x.next();
        const v = y.next();
        sx += u;
        sy += v;
        sxy += u * v;
        sxx += u * u;
        syy += v * v;
      }
      const r = (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
      // sd of r for independent streams is 1/√n = 0.01
      expect(Math.abs(r)).toBeLessThan(0.04);
    }
  });

  it("draws next() in [0, 1) and int(n) in [0, n)", () => {
    const rng = new Rng(3);
    let min = 1;
    let max = 0;
    let intOutside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = rng.next();
      if (u < min) min = u;
      if (u > max) max = u;
      const k = rng.int(7);
      if (!Number.isInteger(k) || k < 0 || k >= 7) intOutside++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(intOutside).toBe(0);
    // the extremes of the 53-bit construction
    expect(withState([0, 0, 0, 0]).next()).toBe(0);
  });

  it("draws uniformly: chi-square over 10 bins of 10^5 draws below 33.7 (p = 10^-4, 9 df)", () => {
    for (const seed of [1, 2, 12345]) {
      const rng = new Rng(seed);
      const n = 100_000;
      const bins = new Float64Array(10);
      for (let i = 0; i < n; i++) bins[Math.floor(rng.next() * 10)]! += 1;
      const expected = n / 10;
      const chi2 = bins.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
      expect(chi2).toBeLessThan(33.7);
    }
  });

  it("draws exponential(mean) with a sample mean within 2 % of the mean", () => {
    for (const mean of [0.5, 3, 100]) {
      const rng = new Rng(11);
      const n = 100_000;
      let sum = 0;
      let negative = 0;
      for (let i = 0; i < n; i++) {
        const x = rng.exponential(mean);
        if (!(x >= 0)) negative++;
        sum += x;
      }
      // sd of the sample mean is mean/√n ≈ 0.3 % of the mean: 2 % is > 6 sd
      expect(Math.abs(sum / n - mean)).toBeLessThan(0.02 * mean);
      expect(negative).toBe(0);
    }
  });

  it("draws normal() with mean ≈ 0 and standard deviation ≈ 1", () => {
    const rng = new Rng(5);
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
      if (Math.abs(z) > 1.959964) beyond2++;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sumSq / n - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.02); // sd of the mean: 0.0032
    expect(Math.abs(sd - 1)).toBeLessThan(0.02); // sd of the sd: ≈ 0.0022
    // 5 % of a standard normal lies beyond ±1.96; binomial sd 0.07 %
    expect(Math.abs(beyond2 / n - 0.05)).toBeLessThan(0.004);
  });
});
