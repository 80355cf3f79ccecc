/**
 * `esmlab/schema`: the scenario file's schema, as zod (to validate in your own code) and as JSON
 * Schema (for editors; also committed as `data/scenario.schema.json`). An entry point of its own
 * because its declarations are zod's: the main entry exports the plain `ScenarioInput` type.
 *
 * @example
 * import { scenarioSchema } from "esmlab/schema";
 * scenarioSchema.safeParse(JSON.parse(text)).success; // → true for a valid scenario
 */
export { scenarioJsonSchema, scenarioSchema } from "./scenario/schema.js";
