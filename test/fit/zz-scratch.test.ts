import { it } from "vitest";
import { Rng } from "../../src/engine/prng.js";
import { segment } from "../../src/fit/change-points.js";

it("fp", () => {
  for (const n of [60, 250, 1000, 3000]) {
    for (const k of [2, 2.5, 3]) {
      for (const minLen of [2, 5]) {
        let fp = 0;
        const R = 200;
        for (let s = 0; s < R; s++) {
          const rng = new Rng(s + 1000);
          const v = new Float64Array(n);
          for (let i = 0; i < n; i++) v[i] = rng.normal();
          const seg = segment(v, { minSegmentLength: minLen });
          const pen = k * seg.sigma ** 2 * Math.log(n);
          if (segment(v, { minSegmentLength: minLen, penalty: pen }).breakpoints.length > 0) fp++;
        }
        console.log(`n=${n} k=${k} minLen=${minLen} fp=${fp / R}`);
      }
    }
  }
});
