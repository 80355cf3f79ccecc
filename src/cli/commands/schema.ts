import type { Command } from "commander";
import { scenarioJsonSchema } from "../../scenario/schema.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { checkFileTarget } from "../../util/output-guard.js";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description('print the JSON Schema of scenario files (for editors: "$schema" in a scenario)')
    .option(
      "-o, --out <file>",
      "write it to a file instead (atomically): a new file, or a scenario schema to replace",
    )
    .action(async (flags: { out?: string }) => {
      const schema = scenarioJsonSchema();
      const text = `${JSON.stringify(schema, null, 2)}\n`;
      if (flags.out === undefined) {
        process.stdout.write(text);
        return;
      }
      await checkFileTarget(flags.out, "a scenario schema", (content) =>
        isSchemaOf(content, schema),
      );
      await writeFileAtomic(flags.out, text);
    });
}

/** True when `content` is a JSON Schema with the same title as esmlab's scenario schema. */
function isSchemaOf(content: string, schema: Record<string, unknown>): boolean {
  try {
    const data = JSON.parse(content) as Record<string, unknown>;
    return typeof data.$schema === "string" && data.title === schema.title;
  } catch {
    return false;
  }
}
