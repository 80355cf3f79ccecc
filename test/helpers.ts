/** Shared helpers for tests: simulations with an invocation trace, the CLI, temporary folders. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { type InvocationTrace, simulate } from "../src/esm/simulate.js";
import { serializeNotebook } from "../src/notebooks/nbformat.js";
import type { MeasuredRunMeta, Run, RunMeta } from "../src/run/run.js";
import type { ScenarioInput } from "../src/scenario/input.js";
import { loadScenario } from "../src/scenario/load.js";
import { resolveScenario } from "../src/scenario/resolve.js";
import { isEsmlabError } from "../src/util/errors.js";

export interface Traced {
  readonly run: Run;
  readonly trace: InvocationTrace[];
}

/** Simulate an inline scenario, recording every invocation. */
export function simulateTraced(input: ScenarioInput): Traced {
  const trace: InvocationTrace[] = [];
  const run = simulate(resolveScenario(input, { source: input.name ?? "test" }), {
    onInvocation: (inv) => trace.push(inv),
  });
  return { run, trace };
}

/** Simulate a built-in scenario (optionally under another policy), recording every invocation. */
export async function simulateBuiltin(
  name: string,
  policy?: ScenarioInput["scaler"],
): Promise<Traced> {
  const loaded = await loadScenario(name, policy === undefined ? {} : { policy: policy.policy });
  const trace: InvocationTrace[] = [];
  const run = simulate(loaded.resolved, { onInvocation: (inv) => trace.push(inv) });
  return { run, trace };
}

/** Max number of invocations in flight at any instant within [fromSec, toSec). */
export function maxInFlight(
  trace: readonly InvocationTrace[],
  fromSec: number,
  toSec: number,
): number {
  const edges: [number, number][] = [];
  for (const inv of trace) {
    if (inv.endSec <= fromSec || inv.startSec >= toSec) continue;
    edges.push([Math.max(inv.startSec, fromSec), 1], [inv.endSec, -1]);
  }
  // at equal times an end comes before a start: a slot freed at t can be reused at t
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of edges) {
    cur += d;
    max = Math.max(max, cur);
  }
  return max;
}

/** Sum of a column over rows with t in [fromSec, toSec). */
export function sumRows(
  run: Run,
  column: "invocations" | "processed" | "produced",
  fromSec: number,
  toSec: number,
): number {
  const { t } = run.series.columns;
  const col = run.series.columns[column];
  let total = 0;
  for (let i = 0; i < run.series.length; i++)
    if (t[i]! >= fromSec && t[i]! < toSec) total += col[i]!;
  return total;
}

/** Run the built `esmlab` CLI (dist/) in a child process. */
export function runCli(...args: string[]): { code: number | null; out: string; err: string } {
  const res = spawnSync(process.execPath, ["dist/src/cli/main.js", ...args], { encoding: "utf8" });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

/** A fresh temporary folder, removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The refusal `promise` ends in: an EsmlabError of exit code 2, whose message is returned. */
export async function refusal(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isEsmlabError(err), String(err)).toBe(true);
  expect((err as { exitCode: number }).exitCode).toBe(2);
  return (err as Error).message;
}

/**
 * A run's meta as a measured run's: the fields only simulations have (scenario, seed,
 * parameters, assumed, scale events) left out, `source` measured.
 */
export function measuredMeta(meta: RunMeta): MeasuredRunMeta {
  const { scenario: _sc, seed: _s, parameters: _p, assumed: _a, scaleEvents: _e, ...common } = meta;
  return { ...common, source: "measured" };
}

/** Writes `folder/<name>.ipynb`, a notebook of code cells (ids `<name>-1`, …); returns its path. */
export function writeCodeNotebook(folder: string, name: string, cells: readonly string[]): string {
  const path = join(folder, `${name}.ipynb`);
  writeFileSync(
    path,
    serializeNotebook({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: cells.map((source, i) => ({
        cell_type: "code",
        id: `${name}-${i + 1}`,
        source,
        metadata: {},
        execution_count: null,
        outputs: [],
      })),
    }),
  );
  return path;
}
