/**
 * Calibration speed (issue 3 target: a seed case under 10 s). The "measured" run is synthetic:
 * case 2's workload simulated at 1-minute resolution under a legacy scaler evaluating every
 * 13 minutes with a 1-minute actuation delay; calibration starts from the on-demand-2022 preset.
 */
import { simulate } from "../src/esm/simulate.js";
import { calibrate } from "../src/fit/calibrate.js";
import { BUILTIN_SCENARIOS } from "../src/scenario/builtins.js";
import { loadScenario } from "../src/scenario/load.js";
import { resolveScenario } from "../src/scenario/resolve.js";

export async function benchCalibrate(): Promise<void> {
  console.log("== calibrate");
  for (const name of ["case1", "case2", "case3"] as const) {
    const truth = resolveScenario(
      {
        ...BUILTIN_SCENARIOS[name]!,
        scaler: { policy: "legacy-15min", evaluationIntervalSec: 780, actuationDelaySec: 60 },
        run: { resolutionSec: 60 },
      },
      { source: `${name}-truth` },
    );
    const measured = simulate(truth);
    const base = (await loadScenario(name, { policy: "on-demand-2022" })).resolved;
    const r = calibrate(measured, base);
    console.log(
      `  ${name}: ${r.simulations} simulations in ${(r.wallMs / 1000).toFixed(2)} s; concurrency RMSE ${r.errorBefore.concurrencyRmse.toFixed(2)} → ${r.errorAfter.concurrencyRmse.toFixed(2)}  [target < 10 s]`,
    );
  }
}
