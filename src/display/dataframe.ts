/**
 * Runs as danfojs-node DataFrames, for analysts who want pandas-style work in a notebook.
 * danfojs is heavy (≈ 0.7 s to load, hundreds of MB resident: toolchain.md), so it is loaded on
 * first use and kept out of the simulator and fitter.
 */
import type { DataFrame } from "danfojs-node";
import type { Run, SeriesColumn } from "../run/run.js";
import { SERIES_COLUMNS } from "../run/run.js";

/**
 * A run's series as a DataFrame: one row per interval, the standard columns then the extra
 * ones (e.g. a measured `Duration`); missing cells are NaN.
 * @example (await runToDataFrame(run)).shape // [2701, 9]
 */
export async function runToDataFrame(
  run: Run,
  columns: readonly (SeriesColumn | string)[] = [
    ...SERIES_COLUMNS,
    ...Object.keys(run.series.extra),
  ],
): Promise<DataFrame> {
  const mod = (await import("danfojs-node")) as unknown as { default?: DanfoModule } & DanfoModule;
  const dfd = mod.default ?? mod;
  const data: Record<string, number[]> = {};
  for (const name of columns) {
    const col =
      (run.series.columns as Record<string, Float64Array>)[name] ?? run.series.extra[name];
    if (col === undefined) throw new RangeError(`run ${run.meta.id} has no column ${name}`);
    data[name] = Array.from(col);
  }
  return new dfd.DataFrame(data);
}

interface DanfoModule {
  DataFrame: new (data: Record<string, number[]>) => DataFrame;
}
