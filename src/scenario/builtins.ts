/**
 * Built-in scenarios. `case1`–`case3` are the seed blog's three measurements (Hexaview, "AWS
 * Lambda Scaling with MSK", Feb 2023; table in `docs/aws-esm.md`): a constant rate for 2000 s,
 * record i at i / rate on partition i mod P, a 3 s function, batch size 1, LATEST, and the
 * scaler of that era (`legacy-15min`).
 */
import type { ScenarioInput } from "./input.js";

const seedCase = (name: string, ratePerSec: number, partitions: number): ScenarioInput => ({
  name,
  label: `${name}: ${ratePerSec} msg/s × 2000 s, ${partitions} partitions, 3 s function`,
  description: `Seed blog ${name.replace("case", "case ")}: ${ratePerSec * 2000} messages at ${ratePerSec}/s over ${partitions} partitions, batch size 1, time.sleep(3)`,
  workload: { kind: "constant", ratePerSec, durationSec: 2000 },
  topic: { partitions, partitioner: { kind: "round-robin" } },
  esm: { batchSize: 1, startingPosition: "LATEST" },
  function: { duration: { kind: "constant", sec: 3 } },
  scaler: { policy: "legacy-15min" },
});

/** Built-in scenarios by name. */
export const BUILTIN_SCENARIOS: Readonly<Record<string, ScenarioInput>> = {
  case1: seedCase("case1", 2, 10),
  case2: seedCase("case2", 5, 20),
  case3: seedCase("case3", 5, 100),
};

/** Names of the seed cases, in order. */
export const SEED_CASES = ["case1", "case2", "case3"] as const;
