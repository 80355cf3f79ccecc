/**
 * `npm run bench`: every benchmark of esmlab, printing figures (never asserted in tests, which
 * would flake on shared machines). Large simulations run in child processes of this same file
 * (`--child NAME`) so each peak RSS is that scenario's own: a child loads the simulator's
 * benchmark alone, not the others' modules (TypeScript, Chromium's driver, the report).
 */
import { fileURLToPath } from "node:url";

const child = process.argv.indexOf("--child");
if (child >= 0) {
  (await import("./simulate.bench.js")).benchSimulateChild(process.argv[child + 1]!);
} else {
  console.log(`esmlab bench — node ${process.version}, ${process.platform}/${process.arch}\n`);
  await (await import("./simulate.bench.js")).benchSimulate(fileURLToPath(import.meta.url));
  console.log("");
  await (await import("./import.bench.js")).benchImport();
  console.log("");
  await (await import("./fit.bench.js")).benchFit();
  console.log("");
  await (await import("./calibrate.bench.js")).benchCalibrate();
  console.log("");
  await (await import("./charts.bench.js")).benchCharts();
  console.log("");
  await (await import("./notebooks.bench.js")).benchNotebooks();
  console.log("");
  await (await import("./report.bench.js")).benchReport();
  console.log("");
  await (await import("./whatif.bench.js")).benchWhatIf();
}
