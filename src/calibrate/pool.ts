/**
 * Scores batches of calibration points on every core: one worker thread per core, each with
 * its own copy of the objective, a batch split into contiguous equal shares. A simulation is
 * single-threaded and takes milliseconds, so a batch of dozens keeps two cores busy; results
 * are the same as in process (each point's score depends on the point only).
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type CalibrationProblem, Objective } from "./objective.js";
import type { BatchObjective, Point } from "./search.js";

export interface Evaluator {
  readonly objective: BatchObjective;
  /** Simulations run so far, on every thread. */
  simulations(): number;
  close(): Promise<void>;
}

/**
 * An evaluator of `problem` on `workers` threads (default: one per core); in process when
 * `workers` is 0 or 1, or when the compiled worker script is not there.
 */
export function createEvaluator(problem: CalibrationProblem, workers?: number): Evaluator {
  const n = workers ?? availableParallelism();
  const script = workerScript();
  if (n <= 1 || script === null) return inProcess(problem);
  return threaded(problem, n, script);
}

function inProcess(problem: CalibrationProblem): Evaluator {
  const obj = new Objective(problem);
  return {
    objective: async (points) => points.map((p) => obj.score(p)),
    simulations: () => obj.simulations,
    close: async () => {},
  };
}

function threaded(problem: CalibrationProblem, n: number, script: string): Evaluator {
  const pool = Array.from({ length: n }, () => {
    const w = new Worker(script, { workerData: problem });
    w.unref();
    return { worker: w, simulations: 0 };
  });
  let nextId = 0;
  const run = (slot: (typeof pool)[number], points: Point[]): Promise<number[]> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const onMessage = (msg: { id: number; scores: number[]; simulations: number }) => {
        if (msg.id !== id) return;
        slot.worker.off("message", onMessage);
        slot.worker.off("error", reject);
        slot.simulations = msg.simulations;
        resolve(msg.scores);
      };
      slot.worker.on("message", onMessage);
      slot.worker.once("error", reject);
      slot.worker.postMessage({ id, points });
    });
  return {
    objective: async (points) => {
      const share = Math.ceil(points.length / n);
      const parts = await Promise.all(
        pool.map((slot, i) => {
          const chunk = points.slice(i * share, (i + 1) * share);
          return chunk.length === 0 ? Promise.resolve([]) : run(slot, chunk);
        }),
      );
      return parts.flat();
    },
    simulations: () => pool.reduce((sum, s) => sum + s.simulations, 0),
    close: async () => {
      await Promise.all(pool.map((s) => s.worker.terminate()));
    },
  };
}

/**
 * The compiled worker beside this module (`dist/src/calibrate/worker.js`, and in an installed
 * package); from the TypeScript sources (tests) the build's copy, which `scripts/ensure.mjs`
 * keeps current; null when neither exists.
 */
function workerScript(): string | null {
  const here = fileURLToPath(import.meta.url);
  const candidates = here.endsWith(".ts")
    ? [fileURLToPath(new URL("../../dist/src/calibrate/worker.js", import.meta.url))]
    : [fileURLToPath(new URL("./worker.js", import.meta.url))];
  return candidates.find((c) => existsSync(c)) ?? null;
}
