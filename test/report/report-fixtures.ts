import { Command } from "commander";
import { phaseVerdict } from "../../src/blog/verdict.js";
import { registerReport } from "../../src/cli/commands/report.js";
import { tableBundle } from "../../src/display/bundle.js";
import { runsBundle, verdictsBundle } from "../../src/display/report-data.js";
import { simulate } from "../../src/esm/simulate.js";
import { fitThreePhases } from "../../src/fit/three-phase.js";
import type { Cell, CodeCell, Json, Notebook, Output } from "../../src/notebooks/nbformat.js";
import type { ReportNotebook } from "../../src/report/collect.js";
import type { Run } from "../../src/run/run.js";
import { BUILTIN_SCENARIOS } from "../../src/scenario/builtins.js";
import { resolveScenario } from "../../src/scenario/resolve.js";

export const md = (source: string, tags: string[] = []): Cell => ({
  cell_type: "markdown",
  source,
  metadata: tags.length > 0 ? { tags } : {},
});

export const code = (source: string, outputs: Output[], tags: string[] = []): CodeCell => ({
  cell_type: "code",
  source,
  metadata: tags.length > 0 ? { tags } : {},
  execution_count: 1,
  outputs,
});

/** A chart output as showChart writes it: SVG with vega's per-process ids, spec, text. */
export const chart = (title: string, label?: string): Output => ({
  output_type: "display_data",
  data: {
    "image/svg+xml": `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100"><defs><clipPath id="clip1"><rect width="200" height="100"/></clipPath></defs><g clip-path="url(#clip1)"><text x="10" y="50">${title.replace(/</g, "&lt;")}</text></g></svg>`,
    "application/vnd.vegalite.v5+json": { title: { text: title } },
    "text/plain": "[chart] chart",
  },
  metadata: label === undefined ? {} : { esmlab: { label } },
});

/** A bundle as display() sends it, as a display_data output. */
export const output = (bundle: { data: Readonly<Record<string, unknown>> }): Output => ({
  output_type: "display_data",
  data: JSON.parse(JSON.stringify(bundle.data)) as Record<string, Json>,
  metadata: {},
});

/** Seed cases simulated under the given policy, labelled `label` for case 1 (built once). */
const simulated = new Map<string, Run>();
export function seedRun(name: string, policy: "legacy-15min" | "keda" = "legacy-15min"): Run {
  const key = `${name}/${policy}`;
  let run = simulated.get(key);
  if (run === undefined) {
    const input = { ...BUILTIN_SCENARIOS[name]!, scaler: { policy } };
    run = simulate(resolveScenario(input, { source: name }));
    simulated.set(key, run);
  }
  return run;
}

/** A table output exactly as esmlab's showTable writes it. */
export const table = (
  header: string[],
  rows: (string | number)[][],
  caption: string,
  label?: string,
): Output => {
  const bundle = tableBundle(header, rows, caption, label === undefined ? {} : { label });
  return {
    output_type: "display_data",
    data: bundle.data as Record<string, string>,
    metadata: bundle.metadata as Record<string, Json>,
  };
};

export const nb = (cells: Cell[], esmlab: Record<string, unknown> = {}): Notebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { esmlab: esmlab as never },
  cells,
});

/** Two small executed notebooks shaped like 01 and 03. */
export function sampleNotebooks(runLabel = "case1"): ReportNotebook[] {
  const one = nb(
    [
      md("# The seed blog's three cases\n\nSimulated under **legacy-15min**."),
      code("const policy = 'x';", [], ["parameters"]),
      md(
        "## Simulate and fit\n\nThe phases show in @fig-concurrency, the lag in @fig-lag; @tbl-kept is in the next notebook.",
      ),
      code("recordRuns(runs)", [
        output(runsBundle([seedRun("case1"), seedRun("case2"), seedRun("case2", "keda")])),
      ]),
      code("showVerdicts(verdicts)", [
        output(
          verdictsBundle(
            ["case1", "case2"].map((name) => {
              const run = seedRun(name);
              const v = phaseVerdict(run, fitThreePhases(run));
              return name === "case1"
                ? { ...v, label: runLabel, line: v.line.replace("case1", runLabel) }
                : v;
            }),
          ),
        ),
      ]),
      code("showChart(a)", [chart(`${runLabel}: concurrent invocations`, "fig-concurrency")]),
      code("showChart(b)", [chart("offset lag", "fig-lag")]),
      md("## The blog's conclusions"),
      code("showTable(conclusions)", [
        table(
          ["blog's conclusion", runLabel, "case2"],
          [
            ["1. one invocation at a time", "1 (blog 1, 0.0 %)", "1 (blog 1, 0.0 %)"],
            ["2. invocations in 15 min", "300 (blog 300, 0.0 %)", "330 (blog 300, 10.0 %)"],
            ["3. re-evaluation (s)", "900 (blog 900, 0.0 %)", "1200 (blog 900, 33.3 %)"],
          ],
          "The blog's conclusions: simulated (blog)",
        ),
      ]),
      code("console.log(JSON.stringify(k))", [
        { output_type: "stream", name: "stdout", text: '{"k":1}\n' },
      ]),
    ],
    {
      parameters: { policy: "legacy-15min", seed: 1 },
      inputs: { "data/case1.json": "sha256:abc" },
      versions: { esmlab: "0.1.0", node: "20.20.2", tslab: "1.0.22" },
      startedAt: "2026-01-02T03:04:05.000Z",
      durationMs: 5225.4,
      kernelStartMs: 2134.7,
      status: "ok",
    },
  );
  const three = nb(
    [
      md("# Scaling policies\n\n## Simulate and fit"),
      code("showChart(c)", [chart("policies side by side")]),
      code("secret()", [chart("removed chart")], ["remove-cell"]),
      code("noisy()", [chart("output removed")], ["remove-output"]),
      code("hidden()", [table(["a"], [[1]], "Kept table", "tbl-kept")], ["hide-input"]),
    ],
    { status: "ok", durationMs: 4000, kernelStartMs: 2000, parameters: {}, inputs: {} },
  );
  return [
    { name: "01-blog-cases.ipynb", notebook: one },
    { name: "03-scaling-policies.ipynb", notebook: three },
  ];
}

/** `esmlab report …` in process, its progress lines kept off the test output. */
export async function runReportCommand(args: string[]): Promise<void> {
  const program = new Command().exitOverride();
  registerReport(program);
  const out = process.stdout.write;
  process.stdout.write = () => true;
  try {
    await program.parseAsync(["node", "esmlab", "report", ...args]);
  } finally {
    process.stdout.write = out;
  }
}
