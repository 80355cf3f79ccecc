/**
 * `esmlab scenario FILE --json` prints a scenario that resolves to the same scenario again and
 * that `simulate` accepts: for every shipped scenario, every built-in and every workload type.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/load.js";
import { runCli, tempDir } from "../helpers.js";

const dir = tempDir("esmlab-round-trip-");
const printed = tempDir("esmlab-round-trip-printed-");

const base = { topic: { partitions: 6 }, function: { duration: { kind: "constant", sec: 0.5 } } };
const inline: Record<string, unknown> = {
  constant: { ...base, workload: { kind: "constant", ratePerSec: 3, durationSec: 60 } },
  piecewise: {
    ...base,
    workload: {
      kind: "piecewise",
      pieces: [
        { durationSec: 30, ratePerSec: 1 },
        { durationSec: 30, ratePerSec: 0 },
      ],
      recordBytes: 512,
    },
  },
  "poisson-rate": { ...base, workload: { kind: "poisson", ratePerSec: 2, durationSec: 60 } },
  "poisson-pieces": {
    ...base,
    workload: { kind: "poisson", pieces: [{ durationSec: 60, ratePerSec: 2 }] },
  },
  "trace-inline": { ...base, workload: { kind: "trace", timestampsSec: [0, 1, 1, 2.5] } },
  "trace-file": { ...base, workload: { kind: "trace", file: "r.trace" } },
  keda: {
    ...base,
    workload: { kind: "constant", ratePerSec: 3, durationSec: 60 },
    scaler: { policy: "keda" },
  },
  "normal-fixed": {
    ...base,
    workload: { kind: "constant", ratePerSec: 3, durationSec: 60 },
    function: { duration: { kind: "normal", meanSec: 1, sdSec: 0.2 } },
    scaler: { policy: "fixed", pollers: 3 },
  },
  "provisioned-zipf": {
    ...base,
    workload: { kind: "constant", ratePerSec: 3, durationSec: 60 },
    topic: { partitions: 6, partitioner: { kind: "zipf", keySpace: 100, exponent: 1.1 } },
    scaler: { policy: "provisioned" },
  },
};
writeFileSync(join(dir, "r.trace"), "0\n0.5\n2\n");
for (const [name, s] of Object.entries(inline))
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(s));

const sources = [
  "case1",
  "case2",
  "case3",
  ...readdirSync("data/scenarios")
    .filter((f) => f.endsWith(".json"))
    .map((f) => join("data/scenarios", f)),
  ...Object.keys(inline).map((n) => join(dir, `${n}.json`)),
];

describe("scenario --json round trip", () => {
  for (const [i, source] of sources.entries()) {
    it(`${source}: the printout resolves to the same scenario`, async () => {
      const res = runCli("scenario", source, "--json");
      expect(res.err).toBe("");
      expect(res.code).toBe(0);
      // saved elsewhere: a trace file is printed by absolute path, so it is still found
      const again = join(printed, `printed-${i}.json`);
      writeFileSync(again, res.out);
      const a = await loadScenario(source);
      const b = await loadScenario(again);
      const strip = (w: object) => ({ ...w, file: "file" in w && w.file !== null ? "…" : null });
      expect({ ...b.resolved.scenario, workload: strip(b.resolved.scenario.workload) }).toEqual({
        ...a.resolved.scenario,
        workload: strip(a.resolved.scenario.workload),
      });
      expect(Array.from(b.resolved.traceTimesSec ?? [])).toEqual(
        Array.from(a.resolved.traceTimesSec ?? []),
      );
    });
  }

  it("simulate accepts a printed trace scenario (file and inline)", () => {
    for (const name of ["trace-file", "trace-inline"]) {
      const again = join(printed, `${name}.json`);
      writeFileSync(again, runCli("scenario", join(dir, `${name}.json`), "--json").out);
      const res = runCli("simulate", again, "--out", join(printed, `run-${name}`), "--json");
      expect(res.err).toBe("");
      expect(res.code).toBe(0);
      expect(JSON.parse(res.out).producedRecords).toBe(name === "trace-file" ? 3 : 4);
    }
  });
});
