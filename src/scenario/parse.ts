/**
 * A parsed scenario object checked against the scenario schema, with one message naming the
 * source and the field of the first problem. Free of Node APIs: the what-if panel checks the
 * reader's numbers with it in the browser, with the CLI's messages.
 */
import type { z } from "zod";
import { EsmlabError } from "../util/errors.js";
import { formatPath, getPath } from "../util/paths.js";
import type { ScenarioInput } from "./input.js";
import { oneLine, showValue } from "./messages.js";
import { DISCRIMINATOR_OPTIONS, scenarioSchema } from "./schema.js";

/**
 * Validate a parsed scenario object.
 * @param overflows number literals of the source text that overflowed to ±Infinity (to show
 *   them as written; see {@link overflowingNumbers})
 * @throws EsmlabError naming `source` and the field of the first problem (and how many more)
 */
export function parseScenario(
  value: unknown,
  source: string,
  overflows: readonly string[] = [],
): ScenarioInput {
  const result = scenarioSchema.safeParse(value);
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) =>
    describeIssue(issue, value, source, overflows),
  );
  const more = messages.length > 1 ? ` (and ${messages.length - 1} more)` : "";
  throw new EsmlabError(oneLine(`${messages[0]}${more}`));
}

function describeIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  source: string,
  overflows: readonly string[],
): string {
  const where = `(scenario ${source})`;
  const field = formatPath(issue.path);
  const value = getPath(input, issue.path);
  if (typeof value === "number" && !Number.isFinite(value)) {
    // only an overflowing literal (1e999) parses to ±Infinity; zod would call it "infinity"
    return `invalid ${field || "scenario"}: ${showValue(value, overflows)} ${where}: too large (a double holds at most 1.8e308)`;
  }
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => (field ? `${field}.${k}` : k)).join(", ");
    return `unknown field ${keys} ${where}`;
  }
  if (value === undefined && issue.code === "invalid_type")
    return `missing field ${field} ${where}`;
  if (issue.code === "invalid_union" || (issue.code === "invalid_value" && "values" in issue)) {
    const listed = "values" in issue ? (issue.values as unknown[]).map(String) : [];
    const generic = field.replace(/\[\d+\]/g, "[]");
    const options = (listed.length > 0 ? listed : (DISCRIMINATOR_OPTIONS[generic] ?? [])).join(
      ", ",
    );
    const tag = issue.path.length > 0 ? field : "value";
    return `invalid ${tag}: ${showValue(value, overflows)} ${where}${options ? `: must be one of ${options}` : ""}`;
  }
  return `invalid ${field || "scenario"}: ${showValue(value, overflows)} ${where}: ${issue.message.toLowerCase()}`;
}
