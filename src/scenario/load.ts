/**
 * Loading scenarios: a built-in name or a JSON file → validated → resolved.
 *
 * ```
 * name | file ─▶ (BOM) ─▶ JSON.parse ─▶ zod (scenarioSchema) ─▶ trace file? ─▶ resolveScenario
 * ```
 * Every failure is one {@link EsmlabError} line naming the file (or built-in) and the field,
 * showing values as written (see `messages.ts`): never a stack trace, whatever the bytes.
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { qualifyLabel } from "../run/label.js";
import type { InputFile } from "../run/run.js";
import type { PolicyName } from "../scaler/policy.js";
import { EsmlabError } from "../util/errors.js";
import { sha256 } from "../util/hash.js";
import { BUILTIN_SCENARIOS } from "./builtins.js";
import type { ScenarioInput } from "./input.js";
import { oneLine, overflowingNumbers, showValue } from "./messages.js";
import { parseScenario } from "./parse.js";
import { type ResolvedScenario, resolveScenario } from "./resolve.js";

export { parseScenario } from "./parse.js";

/** Overrides from the command line. */
export interface ScenarioOverrides {
  /** Replace the scaler by this policy's preset. */
  readonly policy?: PolicyName;
  readonly seed?: number;
  readonly resolutionSec?: number;
}

export interface LoadedScenario {
  readonly resolved: ResolvedScenario;
  readonly inputs: readonly InputFile[];
  /** Timestamps of a trace workload (a file's or inline); also in `resolved.traceTimesSec`. */
  readonly traceTimesSec?: Float64Array;
  /** The trace file of a trace workload, as an absolute path. */
  readonly traceFile?: string;
}

/**
 * Apply command-line overrides to a scenario input. A policy other than the scenario's own
 * (legacy-15min when it names none) is added to its label's short name, so one scenario under
 * two policies makes two runs that read apart: "case2 (keda): 5 msg/s × …" (a scenario with
 * neither label nor name keeps the label resolveScenario gives it, its source).
 * @example applyOverrides(BUILTIN_SCENARIOS.case2, { policy: "keda" }).label // "case2 (keda): 5 msg/s × 2000 s, 20 partitions, 3 s function"
 */
export function applyOverrides(input: ScenarioInput, o: ScenarioOverrides): ScenarioInput {
  const label = input.label ?? input.name;
  const otherPolicy =
    o.policy !== undefined && o.policy !== (input.scaler?.policy ?? "legacy-15min");
  return {
    ...input,
    ...(otherPolicy && label !== undefined ? { label: qualifyLabel(label, o.policy) } : {}),
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.policy === undefined ? {} : { scaler: { policy: o.policy } as ScenarioInput["scaler"] }),
    ...(o.resolutionSec === undefined
      ? {}
      : { run: { ...input.run, resolutionSec: o.resolutionSec } }),
  };
}

/**
 * Load a built-in scenario by name, or a scenario JSON file.
 * @throws EsmlabError for an unknown name, an unreadable file, invalid JSON or an invalid field
 */
export async function loadScenario(
  nameOrPath: string,
  overrides: ScenarioOverrides = {},
): Promise<LoadedScenario> {
  const builtin = BUILTIN_SCENARIOS[nameOrPath];
  if (builtin !== undefined) {
    const input = parseScenario(applyOverrides(builtin, overrides), nameOrPath);
    return { resolved: resolveScenario(input, { source: nameOrPath }), inputs: [] };
  }
  if (!nameOrPath.endsWith(".json")) {
    const names = Object.keys(BUILTIN_SCENARIOS).join(", ");
    throw new EsmlabError(`unknown scenario ${nameOrPath}: give a .json file or one of ${names}`);
  }
  const text = await readText(nameOrPath, "scenario");
  let json: unknown;
  try {
    // a UTF-8 byte order mark (Windows editors write one) is not part of the JSON
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new EsmlabError(oneLine(`scenario ${nameOrPath} is not valid JSON: ${why}`), {
      cause: err,
    });
  }
  const overflows = overflowingNumbers(text);
  const input = parseScenario(json, nameOrPath, overflows);
  const inputs: InputFile[] = [{ path: nameOrPath, sha256: sha256(text) }];
  let traceTimesSec: Float64Array | undefined;
  let traceFile: string | undefined;
  if (input.workload.kind === "trace" && input.workload.file !== undefined) {
    traceFile = resolve(dirname(nameOrPath), input.workload.file);
    const traceText = await readText(
      traceFile,
      "trace",
      ` (workload.file of scenario ${nameOrPath})`,
    );
    traceTimesSec = parseTrace(traceText, traceFile);
    inputs.push({ path: input.workload.file, sha256: sha256(traceText) });
  }
  const withOverrides = parseScenario(applyOverrides(input, overrides), nameOrPath, overflows);
  const resolved = resolveScenario(withOverrides, {
    source: nameOrPath,
    ...(traceTimesSec === undefined ? {} : { traceTimesSec }),
  });
  return {
    resolved,
    inputs,
    ...(resolved.traceTimesSec === undefined ? {} : { traceTimesSec: resolved.traceTimesSec }),
    ...(traceFile === undefined ? {} : { traceFile }),
  };
}

async function readText(path: string, what: string, context = ""): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new EsmlabError(
      oneLine(
        `cannot read ${what} ${path}${context}: ${code === "ENOENT" ? "no such file" : code}`,
      ),
      { cause: err },
    );
  }
}

/**
 * Parse a trace: one timestamp (seconds from the run start, ≥ 0, ascending) per line; blank
 * lines and lines starting with `#` are skipped.
 * @throws EsmlabError naming the file and line of a bad or out-of-order timestamp
 */
export function parseTrace(text: string, file: string): Float64Array {
  const out: number[] = [];
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const v = Number(line);
    if (!Number.isFinite(v) || v < 0) {
      throw new EsmlabError(
        oneLine(
          `trace ${file} line ${i + 1}: ${showValue(line)} is not a timestamp ≥ 0 in seconds`,
        ),
      );
    }
    if (out.length > 0 && v < out[out.length - 1]!) {
      throw new EsmlabError(`trace ${file} line ${i + 1}: ${v} is before the previous timestamp`);
    }
    out.push(v);
  }
  if (out.length === 0) throw new EsmlabError(`trace ${file} has no timestamps`);
  return Float64Array.from(out);
}
