/**
 * The shipped data: the scenario JSON Schema is current, and every example scenario validates
 * against it (checked by the schema, independently of zod) and simulates to a drained run.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { simulate } from "../src/esm/simulate.js";
import { loadScenario } from "../src/scenario/load.js";
import { scenarioJsonSchema } from "../src/scenario/schema.js";

const dir = "data/scenarios";
const examples = readdirSync(dir).filter((f) => f.endsWith(".json"));

describe("data/", () => {
  it("data/scenario.schema.json is the schema the code validates with (npm run schema)", () => {
    const committed = JSON.parse(readFileSync("data/scenario.schema.json", "utf8"));
    expect(committed).toEqual(scenarioJsonSchema());
  });

  it("every example validates against the JSON Schema (ajv, independent of zod)", () => {
    const validate = new Ajv2020({ strict: false }).compile(scenarioJsonSchema());
    for (const f of examples) {
      const ok = validate(JSON.parse(readFileSync(join(dir, f), "utf8")));
      expect(ok, `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(
      validate({
        workload: { kind: "constant", ratePerSec: 1, durationSec: 1 },
        topic: { partitions: 0 },
      }),
    ).toBe(false);
  });

  it("every example says it is synthetic", () => {
    for (const f of examples) {
      expect(JSON.parse(readFileSync(join(dir, f), "utf8")).description, f).toMatch(
        /^Synthetic example/,
      );
    }
    const gmd = JSON.parse(readFileSync("data/measured/example-case2-synthetic.gmd.json", "utf8"));
    expect(gmd.Messages[0].Value).toMatch(/^SYNTHETIC example, not a measurement/);
    expect(readFileSync(join(dir, "bursts.trace"), "utf8")).toMatch(
      /^# esmlab example trace: SYNTHETIC, not a measurement/,
    );
  });

  for (const f of examples) {
    it(`${f} loads and simulates until drained`, async () => {
      const loaded = await loadScenario(join(dir, f));
      const run = simulate(loaded.resolved, {
        inputs: loaded.inputs,
        ...(loaded.traceTimesSec === undefined ? {} : { traceTimesSec: loaded.traceTimesSec }),
      });
      expect(run.meta.summary.truncated).toBe(false);
      expect(run.meta.summary.processedRecords).toBe(
        run.meta.summary.producedRecords! + (run.meta.summary.initialLagRecords ?? 0),
      );
      expect(run.meta.provenance.inputs.length).toBeGreaterThan(0);
    });
  }
});
