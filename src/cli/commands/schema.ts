import type { Command } from "commander";
import { scenarioJsonSchema } from "../../scenario/schema.js";
import { writeFileAtomic } from "../../util/atomic.js";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description('print the JSON Schema of scenario files (for editors: "$schema" in a scenario)')
    .option("-o, --out <file>", "write it to a file instead (atomically)")
    .action(async (flags: { out?: string }) => {
      const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
      if (flags.out === undefined) process.stdout.write(text);
      else await writeFileAtomic(flags.out, text);
    });
}
