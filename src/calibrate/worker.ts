/**
 * A calibration worker thread: rebuilds the objective from the problem it is sent once, then
 * scores batches of points (`pool.ts`).
 */
import { parentPort, workerData } from "node:worker_threads";
import { type CalibrationProblem, Objective } from "./objective.js";
import type { Point } from "./search.js";

const objective = new Objective(workerData as CalibrationProblem);
parentPort?.on("message", (msg: { id: number; points: Point[] }) => {
  const scores = msg.points.map((p) => objective.score(p));
  parentPort?.postMessage({ id: msg.id, scores, simulations: objective.simulations });
});
