/**
 * A resolved scenario written back as a scenario file: every value explicit, so simulating the
 * printout gives the same scenario (`esmlab scenario FILE --json`).
 *
 * The resolved form differs from the file form in two places: a trace workload records its
 * length (`records`) where the file gives its timestamps (`file` or `timestampsSec`), and KEDA's
 * settings carry their KEDA names (`pollingIntervalSec`, `minReplicas`, `maxReplicas`) beside
 * the shared ones.
 */

import type { ScenarioInput } from "./input.js";
import type { ResolvedScenario } from "./resolve.js";

export interface ToInputOptions {
  /**
   * The trace file of a trace workload, as a path that works from where the printout will be
   * read (esmlab's CLI gives an absolute one); default: the timestamps inline.
   */
  readonly traceFile?: string;
}

/**
 * The scenario file that resolves to `resolved.scenario`.
 * @example toScenarioInput(await loadScenario("case1")).esm // { batchSize: 1, batchingWindowSec: 0.5, … }
 */
export function toScenarioInput(
  resolved: ResolvedScenario,
  options: ToInputOptions = {},
): ScenarioInput {
  const sc = resolved.scenario;
  const { recordBytes } = sc.workload;
  let workload: ScenarioInput["workload"];
  switch (sc.workload.kind) {
    case "constant":
      workload = { ...sc.workload };
      break;
    case "piecewise":
    case "poisson":
      workload = {
        kind: sc.workload.kind,
        pieces: sc.workload.pieces.map((p) => ({ ...p })),
        recordBytes,
      };
      break;
    case "trace":
      workload =
        options.traceFile !== undefined
          ? { kind: "trace", file: options.traceFile, recordBytes }
          : {
              kind: "trace",
              timestampsSec: Array.from(resolved.traceTimesSec ?? []),
              recordBytes,
            };
      break;
  }
  const scaler: Record<string, unknown> = { ...sc.scaler };
  if (sc.scaler.policy === "keda") {
    delete scaler.pollingIntervalSec;
    delete scaler.minReplicas;
    delete scaler.maxReplicas;
  }
  return {
    name: sc.name,
    label: sc.label,
    ...(sc.description === undefined ? {} : { description: sc.description }),
    seed: sc.seed,
    workload,
    topic: { ...sc.topic },
    esm: { ...sc.esm },
    function: {
      ...sc.function,
      duration:
        sc.function.duration.kind === "empirical"
          ? { kind: "empirical", samplesSec: [...sc.function.duration.samplesSec] }
          : { ...sc.function.duration },
    },
    scaler: scaler as ScenarioInput["scaler"],
    run: { ...sc.run },
  };
}
