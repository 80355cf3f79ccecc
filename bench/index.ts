/**
 * `npm run bench`: every benchmark of esmlab, printing figures (never asserted in tests, which
 * would flake on shared machines). Large simulations run in child processes of this same file
 * (`--child NAME`) so each peak RSS is that scenario's own.
 */
import { fileURLToPath } from "node:url";
import { benchCalibrate } from "./calibrate.bench.js";
import { benchCharts } from "./charts.bench.js";
import { benchFit } from "./fit.bench.js";
import { benchImport } from "./import.bench.js";
import { benchNotebooks } from "./notebooks.bench.js";
import { benchReport } from "./report.bench.js";
import { benchSimulate, benchSimulateChild } from "./simulate.bench.js";

const child = process.argv.indexOf("--child");
if (child >= 0) {
  benchSimulateChild(process.argv[child + 1]!);
} else {
  console.log(`esmlab bench — node ${process.version}, ${process.platform}/${process.arch}\n`);
  await benchSimulate(fileURLToPath(import.meta.url));
  console.log("");
  await benchImport();
  console.log("");
  await benchFit();
  console.log("");
  await benchCalibrate();
  console.log("");
  await benchCharts();
  console.log("");
  await benchNotebooks();
  console.log("");
  await benchReport();
}
