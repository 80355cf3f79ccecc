import { sep } from "node:path";
import type { Command } from "commander";
import { SPEC_SOURCE } from "../../study/esmlab-spec.js";
import { initStudy } from "../../study/scaffold.js";
import { PACKAGE_ROOT } from "../../version.js";

/**
 * Adds `esmlab init DIR [--esmlab SPEC]`: scaffolds a study (src/study/scaffold.ts) and prints
 * the commands that run it.
 */
export function registerInit(program: Command): void {
  program
    .command("init")
    .description(
      "create a study: an npm project with esmlab's notebooks, example data and the report scripts",
    )
    .argument("<dir>", "folder to create: absent or empty")
    .option(
      "--esmlab <spec>",
      "the esmlab dependency to write: a version range, a .tgz or folder path, a file:, git or URL spec (default: how this project depends on esmlab, else ^<this version>)",
    )
    .addHelpText(
      "after",
      "\nExample:\n  npx esmlab init my-study && cd my-study && npm install && npm run report",
    )
    .action(async (dir: string, flags: { esmlab?: string }) => {
      const study = await initStudy(
        dir,
        flags.esmlab === undefined ? {} : { esmlab: flags.esmlab },
      );
      const { spec, source, from } = study.esmlab;
      const why = from === undefined ? SPEC_SOURCE[source] : `as ${from} has it`;
      const shown = dir.replace(/[/\\]+$/, "") || sep;
      process.stdout.write(
        `wrote ${shown}${sep}: ${study.notebooks.length} notebooks, data/, reports/, README.md\n` +
          `it depends on esmlab ${spec} (${why})\n` +
          `next:\n  cd ${shellWord(shown)}\n  npm install\n  npm run report\n`,
      );
      if (source === "version" && !PACKAGE_ROOT.split(sep).includes("node_modules")) {
        process.stderr.write(
          `note: this esmlab runs from a checkout (${PACKAGE_ROOT}), not an installed package: ` +
            `npm install in the study fetches esmlab ${spec} from the registry; ` +
            "to use the checkout, run npm pack in it and pass --esmlab <the .tgz>\n",
        );
      }
    });
}

/** `s` quoted for a POSIX shell when it needs it. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}
