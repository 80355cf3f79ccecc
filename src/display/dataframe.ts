/**
 * Runs as danfojs-node DataFrames, for analysts who want pandas-style work in a notebook.
 *
 * danfojs-node is an optional peer dependency: it is heavy (≈ 0.7 s to load, hundreds of MB
 * resident, TensorFlow among its dependencies) and its install reaches outside the npm registry
 * unless two `overrides` are set (docs/toolchain.md), so esmlab neither installs it for its users
 * nor names its types in esmlab's declarations. It is loaded on first use, from the project that
 * installed esmlab.
 */
import { createRequire } from "node:module";
import type { Run, SeriesColumn } from "../run/run.js";
import { SERIES_COLUMNS } from "../run/run.js";
import { EsmlabError } from "../util/errors.js";

/** What esmlab relies on of a danfojs DataFrame; pass danfojs' own type for the rest. */
export interface DataFrameLike {
  readonly shape: number[];
  readonly columns: string[];
  head(rows?: number): DataFrameLike;
  print(): void;
}

/** The line that says how to install danfojs-node so that it installs from the registry alone. */
export const DANFOJS_INSTALL =
  'npm install danfojs-node, with "overrides": {"xlsx": "0.18.5", "@tensorflow/tfjs-node": "npm:@tensorflow/tfjs@^3.21.0"} in your package.json (without them its install downloads from outside the npm registry)';

/**
 * True when danfojs-node can be loaded from here, so a notebook can offer DataFrames only where
 * they work.
 * @example if (esmlab.canMakeDataFrames()) (await esmlab.runToDataFrame(run)).head().print();
 */
export function canMakeDataFrames(): boolean {
  try {
    createRequire(import.meta.url).resolve("danfojs-node");
    return true;
  } catch {
    return false;
  }
}

/**
 * A run's series as a DataFrame: one row per interval, the standard columns then the extra
 * ones (e.g. a measured `Duration`); missing cells are NaN.
 *
 * @typeParam F the frame type to return: danfojs-node's `DataFrame` for its full API
 * @throws EsmlabError when danfojs-node is not installed, saying how to install it
 * @throws RangeError when `columns` names a column the run does not have
 * @example (await runToDataFrame(run)).shape // [2701, 9]
 */
export async function runToDataFrame<F = DataFrameLike>(
  run: Run,
  columns: readonly (SeriesColumn | string)[] = [
    ...SERIES_COLUMNS,
    ...Object.keys(run.series.extra),
  ],
): Promise<F> {
  const dfd = await loadDanfo();
  const data: Record<string, number[]> = {};
  for (const name of columns) {
    const col =
      (run.series.columns as Record<string, Float64Array>)[name] ?? run.series.extra[name];
    if (col === undefined) throw new RangeError(`run ${run.meta.id} has no column ${name}`);
    data[name] = Array.from(col);
  }
  return new dfd.DataFrame(data) as F;
}

interface DanfoModule {
  DataFrame: new (data: Record<string, number[]>) => unknown;
}

async function loadDanfo(): Promise<DanfoModule> {
  // a specifier in a variable keeps TypeScript from needing danfojs-node's types to build esmlab
  const name = "danfojs-node";
  let mod: { default?: DanfoModule } & DanfoModule;
  try {
    mod = (await import(name)) as typeof mod;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new EsmlabError(
        `runToDataFrame needs danfojs-node, an optional peer dependency of esmlab: ${DANFOJS_INSTALL}`,
        { cause: err },
      );
    }
    throw err;
  }
  return mod.default ?? mod;
}
