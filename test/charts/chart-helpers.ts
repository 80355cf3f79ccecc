/** Shared fixtures of the chart tests: the seed runs, a 1-minute measured-like run, the schema. */
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import type { Run } from "../../src/run/run.js";
import { asMeasured } from "../fit/fit-helpers.js";
import { simulateBuiltin } from "../helpers.js";

let validator: ValidateFunction | undefined;

/** The official Vega-Lite JSON schema shipped with the package, compiled once (draft-07). */
export function vegaLiteValidator(): ValidateFunction {
  const schema = JSON.parse(
    readFileSync("node_modules/vega-lite/build/vega-lite-schema.json", "utf8"),
  ) as object;
  // formats ("uri") are not checked: the schema uses them only for $schema and URLs
  validator ??= new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  return validator;
}

/** Schema errors of a spec, as short strings ([] when valid). */
export function schemaErrors(spec: unknown): string[] {
  const validate = vegaLiteValidator();
  if (validate(spec)) return [];
  return (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath} ${e.message}`);
}

const cache = new Map<string, Promise<Run>>();

/** A seed case simulated at 1 s under its own policy (cached per name and policy). */
export function seedRun(name: string, policy?: string): Promise<Run> {
  const key = `${name}/${policy ?? ""}`;
  let run = cache.get(key);
  if (run === undefined) {
    run = simulateBuiltin(
      name,
      policy === undefined ? undefined : ({ policy } as Parameters<typeof simulateBuiltin>[1]),
    ).then((t) => t.run);
    cache.set(key, run);
  }
  return run;
}

/** case1 as a 1-minute measured import holds it (no scenario, concurrency absent while idle). */
export async function minuteRun(): Promise<Run> {
  return asMeasured(await seedRun("case1"), 3000);
}
