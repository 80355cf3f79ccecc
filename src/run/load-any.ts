/**
 * A run from whatever a user points at: a run directory, or CloudWatch export files (imported
 * on the fly, as `esmlab import` would).
 */
import { stat } from "node:fs/promises";
import { loadCloudWatch } from "../import/load.js";
import { EsmlabError } from "../util/errors.js";
import type { Run } from "./run.js";
import { loadRun } from "./run-io.js";

/**
 * Load a run directory, or import a CloudWatch export file.
 * @throws EsmlabError when the path does not exist or is neither
 */
export async function loadAnyRun(path: string): Promise<Run> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new EsmlabError(`cannot read run ${path}: no such file or directory`);
  if (info.isDirectory()) return loadRun(path);
  return (await loadCloudWatch([path])).run;
}
