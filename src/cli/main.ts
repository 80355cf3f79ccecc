#!/usr/bin/env node
/**
 * The `esmlab` command line. Every command has `--help`; bad input gives one line on stderr
 * and exit code 1 (2 for a usage error), never a stack trace; a stack trace means a bug.
 */
import { Command, CommanderError } from "commander";
import { isEsmlabError } from "../util/errors.js";
import { ESMLAB_VERSION } from "../version.js";

// `npm run esmlab -- …` runs the command in the package's folder; the user's relative paths
// mean the folder they typed it in, which npm passes as INIT_CWD ("the full path you were in
// when you ran npm run": docs.npmjs.com/cli/commands/npm-run-script). Only for that script, so a study's
// `npm run report` keeps running in the study's root as its scripts expect.
if (process.env.npm_lifecycle_event === "esmlab" && process.env.INIT_CWD) {
  process.chdir(process.env.INIT_CWD);
}

// Ctrl-C and kill exit through process.exit, which runs the 'exit' listeners that remove
// temporary files (src/util/atomic.ts). A command with handlers of its own (notebooks: kill
// the kernels first) takes the signal instead.
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const) {
  process.on(signal, () => {
    if (process.listenerCount(signal) === 1) process.exit(code);
  });
}

const program = new Command()
  .name("esmlab")
  .description("Simulate, import, fit and report how AWS Lambda scales on Kafka / Amazon MSK")
  .version(ESMLAB_VERSION)
  .showSuggestionAfterError()
  .exitOverride()
  .configureOutput({
    writeErr: (s) => process.stderr.write(s.startsWith("error:") ? `esmlab: ${s}` : s),
  });

// Each command's module, in the order `esmlab --help` lists them. Only the command being run
// is loaded (its modules are what it costs to start: `esmlab report` starts Chromium sooner,
// `esmlab --version` answers in a tenth of the time); help, a typo or no command load them all.
const COMMANDS: Record<string, () => Promise<(program: Command) => void>> = {
  init: async () => (await import("./commands/init.js")).registerInit,
  cases: async () => (await import("./commands/cases.js")).registerCases,
  simulate: async () => (await import("./commands/simulate.js")).registerSimulate,
  import: async () => (await import("./commands/import.js")).registerImport,
  fetch: async () => (await import("./commands/fetch.js")).registerFetch,
  fit: async () => (await import("./commands/fit.js")).registerFit,
  calibrate: async () => (await import("./commands/calibrate.js")).registerCalibrate,
  compare: async () => (await import("./commands/compare.js")).registerCompare,
  notebooks: async () => (await import("./commands/notebooks.js")).registerNotebooks,
  kernelspec: async () => (await import("./commands/kernelspec.js")).registerKernelspec,
  report: async () => (await import("./commands/report.js")).registerReport,
  scenario: async () => (await import("./commands/scenario.js")).registerScenario,
  schema: async () => (await import("./commands/schema.js")).registerSchema,
};
const named = process.argv[2];
const version = named === "--version" || named === "-V";
const wanted =
  named !== undefined && Object.hasOwn(COMMANDS, named)
    ? [named]
    : version
      ? []
      : Object.keys(COMMANDS);
for (const register of await Promise.all(wanted.map((name) => COMMANDS[name]!()))) {
  register(program);
}
for (const cmd of program.commands) cmd.exitOverride();

// output piped into a reader that stops early (`esmlab cases | head`): the reader has what it
// wanted, so stop quietly instead of dying on an unhandled EPIPE with a stack trace
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // help and version exit 0; usage errors were already printed by commander
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (isEsmlabError(err)) {
    process.stderr.write(`esmlab: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    throw err;
  }
}
