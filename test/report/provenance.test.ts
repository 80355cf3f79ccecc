import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RUNS_MIME, runsBundle } from "../../src/display/report-data.js";
import { type Notebook, writeNotebook } from "../../src/notebooks/nbformat.js";
import type { ReportNotebook } from "../../src/report/collect.js";
import { buildProvenance } from "../../src/report/provenance.js";
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM } from "../../src/report/render-pdf.js";
import {
  code,
  md,
  nb,
  output,
  runReportCommand,
  sampleNotebooks,
  seedRun,
} from "./report-fixtures.js";

/** A measured run's record as the importer writes it for esmlab's synthetic example export. */
const measured = {
  id: "measured-0123456789ab",
  label: "example-synthetic.gmd",
  source: "measured",
  seed: null,
  resolutionSec: 60,
  scenario: null,
  parameters: [],
  inputs: [{ path: "../data/measured/example-synthetic.gmd.json", sha256: "ab".repeat(32) }],
  warnings: [
    "../data/measured/example-synthetic.gmd.json: esmlab.synthetic: SYNTHETIC example, not a measurement",
  ],
};

/**
 * The sample notebooks and a third that records the measured run, case 2 again (the same run
 * as the first notebook's) and case 3.
 */
function notebooks(): ReportNotebook[] {
  const third = nb(
    [
      md("# Measured and simulated"),
      code("recordRuns(runs)", [
        {
          output_type: "display_data",
          data: { [RUNS_MIME]: { runs: [measured] }, "text/plain": "1 run" },
          metadata: {},
        },
        output(runsBundle([seedRun("case2"), seedRun("case3")])),
      ]),
    ],
    {
      status: "ok",
      durationMs: 35485.6,
      kernelStartMs: 6138.2,
      startedAt: "2026-01-02T03:05:00.000Z",
      parameters: { measuredPath: "../data/measured/example-synthetic.gmd.json" },
      inputs: { "../data/measured/example-synthetic.gmd.json": `sha256:${"ab".repeat(32)}` },
    },
  );
  return [...sampleNotebooks(), { name: "02-measured.ipynb", notebook: third }];
}

/** Every run record in a notebook's outputs, read straight from the nbformat JSON. */
function recordedRuns(notebook: Notebook): Record<string, unknown>[] {
  return notebook.cells.flatMap((cell) =>
    cell.cell_type !== "code"
      ? []
      : cell.outputs.flatMap((o) => {
          if (o.output_type !== "display_data" || !(RUNS_MIME in o.data)) return [];
          return (o.data[RUNS_MIME] as { runs: Record<string, unknown>[] }).runs;
        }),
  );
}

/** Writes the notebooks as an executed cache and runs `esmlab report --no-execute`. */
async function report(
  extra: string[] = [],
): Promise<{ dir: string; out: string; list: ReportNotebook[] }> {
  const dir = await mkdtemp(join(tmpdir(), "esmlab-provenance-"));
  await mkdir(join(dir, "cache"));
  const list = notebooks();
  for (const { name, notebook } of list) await writeNotebook(join(dir, "cache", name), notebook);
  const out = join(dir, "out");
  await runReportCommand([
    ...list.map(({ name }) => join("notebooks", name)),
    ...["--no-execute", "--cache", join(dir, "cache"), "--out-dir", out, "--no-pdf", ...extra],
  ]);
  return { dir, out, list };
}

describe("the provenance file", () => {
  it("holds every run the notebooks recorded with its full scenario, every parameter, versions and timings", async () => {
    const { out, list } = await report();
    const text = await readFile(join(out, "esmlab-report.provenance.json"), "utf8");
    const file = JSON.parse(text) as {
      runs: {
        number: number;
        id: string;
        label: string;
        notebooks: string[];
        scenario: unknown;
        inputs: unknown;
      }[];
      parameters: {
        path: string;
        values: { value: unknown; basis: string; note: string | null; runs: number[] }[];
      }[];
      notebooks: { name: string; durationMs: number | null; runs: string[] }[];
      [key: string]: unknown;
    };
    expect(Object.keys(file)).toEqual([
      "format",
      "title",
      "generatedAt",
      "esmlab",
      "tools",
      "notebooks",
      "runs",
      "parameters",
    ]);
    expect(file.format).toBe("esmlab.report-provenance/1");
    expect(file.tools).toMatchObject({ node: "20.20.2", tslab: "1.0.22" });
    expect(file.notebooks.map((n) => [n.name, n.durationMs])).toEqual([
      ["01-blog-cases.ipynb", 5225.4],
      ["03-scaling-policies.ipynb", 4000],
      ["02-measured.ipynb", 35485.6],
    ]);
    // case 2 was recorded by two notebooks: one run, both notebooks named
    const recorded = list.flatMap(({ name, notebook }) =>
      recordedRuns(notebook).map((run) => ({ name, run })),
    );
    expect(recorded).toHaveLength(6);
    expect(file.runs).toHaveLength(5);
    for (const { name, run } of recorded) {
      const inFile = file.runs.find((r) => r.id === run.id);
      expect(inFile, String(run.id)).toBeDefined();
      expect(inFile!.scenario).toEqual(run.scenario);
      expect(inFile!.inputs).toEqual(run.inputs);
      expect(inFile!.label).toBe(run.label);
      expect(inFile!.notebooks).toContain(name);
      // each recorded parameter, with its basis and source, is in the table for this run
      for (const p of run.parameters as { path: string; value: unknown; basis: string }[]) {
        const entry = file.parameters.find((e) => e.path === p.path);
        const value = entry?.values.find((v) => v.runs.includes(inFile!.number));
        expect(value, `${p.path} of ${run.id}`).toMatchObject({ value: p.value, basis: p.basis });
      }
    }
    // given values are in the table too: case 3's 100 partitions, set in its scenario
    const case3 = file.runs.find((r) => r.id === seedRun("case3").meta.id)!;
    const partitions = file.parameters.find((e) => e.path === "topic.partitions")!;
    expect(partitions.values.find((v) => v.runs.includes(case3.number))).toMatchObject({
      value: 100,
      basis: "given",
    });
    // the page's download link carries the same bytes
    const html = await readFile(join(out, "esmlab-report.html"), "utf8");
    const link = /<a href="data:application\/json;base64,([^"]+)" download="([^"]+)"/.exec(html);
    expect(link?.[2]).toBe("esmlab-report.provenance.json");
    // (Handlebars writes the base64 padding "=" as &#x3D;, which the attribute decodes)
    const base64 = link![1]!.replace(/&#x3D;/g, "=");
    expect(Buffer.from(base64, "base64").toString("utf8")).toBe(text);
    // and the file is recorded as esmlab's output, so the next report may replace it
    const manifest = JSON.parse(await readFile(join(out, ".esmlab-output.json"), "utf8"));
    expect(Object.keys(manifest.files)).toContain("esmlab-report.provenance.json");
  });

  it("is named after --name and replaces only a file esmlab wrote", async () => {
    const { out } = await report(["--name", "march"]);
    expect((await readdir(out)).sort()).toEqual([
      ".esmlab-output.json",
      "march.html",
      "march.provenance.json",
    ]);
    await writeFile(join(out, "esmlab-report.provenance.json"), '{"mine": true}\n');
    const dir = join(out, "..");
    await expect(
      runReportCommand([
        ...notebooks().map(({ name }) => join("notebooks", name)),
        ...["--no-execute", "--cache", join(dir, "cache"), "--out-dir", out, "--no-pdf"],
      ]),
    ).rejects.toThrow(/esmlab-report\.provenance\.json exists and was not written by esmlab/);
    expect(await readFile(join(out, "esmlab-report.provenance.json"), "utf8")).toBe(
      '{"mine": true}\n',
    );
  });

  it.skipIf(!existsSync(DEFAULT_CHROMIUM))(
    "downloads from the report's link in Chromium, under the report's Content-Security-Policy",
    async () => {
      const { dir, out } = await report();
      const { launch } = await import("puppeteer-core");
      const browser = await launch({
        executablePath: DEFAULT_CHROMIUM,
        headless: true,
        args: [...CHROMIUM_ARGS],
      });
      try {
        const page = await browser.newPage();
        const saved = join(dir, "downloads");
        await mkdir(saved);
        const cdp = await browser.target().createCDPSession();
        await cdp.send("Browser.setDownloadBehavior", {
          behavior: "allow",
          downloadPath: saved,
          eventsEnabled: true,
        });
        const done = new Promise<{ state: string }>((resolve) => {
          cdp.on("Browser.downloadProgress", (e) => {
            if (e.state !== "inProgress") resolve(e);
          });
        });
        const violations: string[] = [];
        page.on("console", (m) => {
          if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
        });
        await page.goto(`file://${join(out, "esmlab-report.html")}`, { waitUntil: "load" });
        await page.click(".appendix a[download]");
        expect((await done).state).toBe("completed");
        expect(await readdir(saved)).toEqual(["esmlab-report.provenance.json"]);
        expect(await readFile(join(saved, "esmlab-report.provenance.json"), "utf8")).toBe(
          await readFile(join(out, "esmlab-report.provenance.json"), "utf8"),
        );
        expect(violations).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});

describe("buildProvenance", () => {
  const runs = () =>
    new Map([
      ["01-blog-cases.ipynb", [seedRun("case1"), seedRun("case2"), seedRun("case2", "keda")]],
      ["02-measured.ipynb", [seedRun("case2"), seedRun("case3")]],
    ]);
  const build = () => {
    const nbs = notebooks();
    return buildProvenance([nbs[0]!, nbs[2]!], {
      esmlabVersion: "0.1.0",
      gitCommit: null,
      generatedAt: new Date("2026-03-04T05:06:07Z"),
      runs: new Map(
        [...runs()].map(([name, list]) => [
          name,
          list.map((r) => JSON.parse(JSON.stringify(runsBundle([r]).data[RUNS_MIME])).runs[0]),
        ]),
      ),
      titles: new Map([["01-blog-cases.ipynb", "The seed blog's three cases"]]),
    });
  };

  it("numbers each distinct run once and tells each scenario by its differences from a named run", () => {
    const p = build();
    expect(p.runs.map((r) => r.id)).toEqual(
      [seedRun("case1"), seedRun("case2"), seedRun("case2", "keda"), seedRun("case3")].map(
        (r) => r.meta.id,
      ),
    );
    expect(p.notebooks.map((n) => n.runs)).toEqual(["1–3", "2, 4"]);
    expect(p.runs[0]!.scenario).toBe("a base scenario: its values are in the parameter table");
    // the seed blog's case 2 is case 1 at 5 msg/s on 20 partitions (one consumer each at most)
    expect(p.runs[1]!.scenario).toBe(
      "as case1 (run 1), except scaler.maxPollers = 20; topic.partitions = 20; workload.ratePerSec = 5",
    );
    // under KEDA it is told from case 2, the run it differs least from, its preset counted
    expect(p.runs[2]!.scenario).toMatch(
      /^as case2 \(run 2\), except scaler\.policy = keda \(and its preset's \d+ other scaler settings\)$/,
    );
    // case 3: case 2 on 100 partitions
    expect(p.runs[3]!.scenario).toBe(
      "as case2 (run 2), except scaler.maxPollers = 100; topic.partitions = 100",
    );
  });

  it("has one parameter table: a line per documented, assumed or calibrated value, the given values on one", () => {
    const p = build();
    const rows = (path: string) => {
      const i = p.parameters.findIndex((l) => l.parameter === path);
      const end = p.parameters.findIndex((l, j) => j > i && l.parameter !== "");
      return p.parameters.slice(i, end < 0 ? undefined : end);
    };
    // AWS documents a 500 ms default batching window for Kafka; every run used it
    expect(rows("esm.batchingWindowSec")).toEqual([
      {
        parameter: "esm.batchingWindowSec",
        values: "0.5 (all)",
        basis: "documented",
        note: expect.stringMatching(/^AWS: /),
      },
    ]);
    // the legacy scaler's jump to the partition count is the blog's conclusion 4, assumed
    expect(rows("scaler.scaleUp.rule")[0]).toMatchObject({
      values: "to-max (1–2, 4)",
      basis: "assumed",
    });
    // partitions are given: 10, 20 and 100 for the three cases
    expect(rows("topic.partitions")).toEqual([
      {
        parameter: "topic.partitions",
        values: "10 (1), 20 (2–3), 100 (4)",
        basis: "given",
        note: "",
      },
    ]);
    // a parameter appears once, however many notebooks recorded its runs
    const paths = p.parameters.map((l) => l.parameter).filter((x) => x !== "");
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("names the scope: runs, scaler policies, synthetic data as synthetic, scenarios", () => {
    const nbs = notebooks();
    const p = buildProvenance(nbs, {
      esmlabVersion: "0.1.0",
      gitCommit: null,
      generatedAt: new Date(0),
      runs: new Map(nbs.map(({ name, notebook }) => [name, recordedRuns(notebook) as never])),
    });
    expect(p.scope.runs).toBe(
      "5 runs: 4 simulated, 1 measured (a synthetic example, not a measurement)",
    );
    expect(p.scope.scalers).toBe("legacy-15min (3 runs), keda (1 run)");
    expect(p.scope.measured).toEqual([
      "CloudWatch metrics from example-synthetic.gmd.json, synthetic: “SYNTHETIC example, not a measurement”",
    ]);
    expect(p.scope.scenarios.map((s) => s.split(":")[0])).toEqual(["case1", "case2", "case3"]);
    expect(p.scope.sections.map((s) => s.runs)).toEqual([
      "3 simulated",
      "none recorded",
      "1 measured, 2 simulated",
    ]);
  });
});
